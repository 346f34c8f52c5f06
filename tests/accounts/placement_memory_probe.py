"""Run one placement import in a fresh process and report its peak RSS (used by the memory test).

    python -m tests.accounts.placement_memory_probe FILE  → prints JSON on the last line
Needs DJANGO_SETTINGS_MODULE and a DATABASE_URL of its own; migrates that database first."""

import json
import resource
import sys


def main(path: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from accounts.models import Account, Creditor
    from accounts.placement.services import placement_import
    from collections_crm.history import system_user

    creditor, _ = Creditor.objects.get_or_create(
        slug="memory-probe",
        defaults={"name": "Probe", "display_name": "Probe", "country": "NG", "currency": "NGN",
                  "default_phone_region": "NG", "high_value_threshold": 500000},
    )
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with open(path, "rb") as stream:
        result = placement_import(creditor=creditor, stream=stream, actor=system_user(), file_name="probe.csv")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    print(json.dumps({
        "status": result.status, "rows": result.rows_total, "created": result.created,
        "rejected": result.rejected, "accounts": Account.objects.filter(creditor=creditor).count(),
        "rss_before_mb": round(before_mb, 1), "peak_rss_mb": round(peak_mb, 1),
    }))


if __name__ == "__main__":
    main(sys.argv[1])
