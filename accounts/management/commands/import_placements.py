"""manage.py import_placements FILE --creditor SLUG [--actor USERNAME]: the operator's door to the
placement import. Thin: checks its arguments, calls ``placement_import`` and prints the summary."""

from __future__ import annotations

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from accounts.choices import PlacementSource, PlacementStatus
from accounts.models import Creditor
from accounts.placement.services import placement_import
from collections_crm.errors import ApplicationError
from collections_crm.history import system_user


class Command(BaseCommand):
    help = "Import a placement CSV (see docs/placement-format.md) for one creditor."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the placement CSV (UTF-8, with or without BOM).")
        parser.add_argument("--creditor", required=True, help="The creditor's slug.")
        parser.add_argument("--actor", help="Username the import is attributed to (default: the system user).")
        parser.add_argument(
            "--workers", type=int, default=0,
            help="Validate in this many extra processes beside the database writes (big files, spare cores).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not draw the progress bar.")

    def handle(self, *args, **options):
        path = options["file"]
        if not os.path.isfile(path):
            raise CommandError(f"There is no file at {path}.")
        creditor = Creditor.objects.filter(slug=options["creditor"]).first()
        if creditor is None:
            known = ", ".join(Creditor.objects.values_list("slug", flat=True)[:20]) or "none yet"
            raise CommandError(f"No creditor with slug “{options['creditor']}”. Known creditors: {known}.")
        if options["actor"]:
            actor = get_user_model().objects.filter(username=options["actor"]).first()
            if actor is None:
                raise CommandError(f"No user named “{options['actor']}”.")
        else:
            actor = system_user()

        size = os.path.getsize(path)
        bar = tqdm(
            total=size, unit="B", unit_scale=True, desc="Importing", file=self.stderr._out,
            disable=options["no_progress"], leave=False,
        )

        def progress(bytes_read: int) -> None:
            bar.update(bytes_read - bar.n)

        try:
            with open(path, "rb") as stream:
                result = placement_import(
                    creditor=creditor, stream=stream, actor=actor, file_name=os.path.basename(path),
                    progress=progress, source=PlacementSource.COMMAND, workers=max(0, options["workers"]),
                )
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        except OSError as exc:
            raise CommandError(f"Could not read {path}: {exc.strerror or exc}.") from None
        finally:
            bar.close()

        if result.status == PlacementStatus.FAILED:
            if result.created or result.updated:
                raise CommandError(
                    f"Import #{result.pk} stopped part-way ({result.created} created, {result.updated} updated "
                    f"before it stopped): {result.message}"
                )
            raise CommandError(f"Nothing was imported: {result.message} (import #{result.pk})")
        self.stdout.write(
            f"Import #{result.pk} of {result.file_name} for {creditor.slug}: {result.rows_total} rows — "
            f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
            f"{result.rejected} rejected."
        )
        for error in result.errors[:20]:
            self.stdout.write(f"  line {error['line']}, {error['column'] or 'row'}: {error['reason']}")
        if result.rejected > 20:
            self.stdout.write(f"  … and {result.rejected - 20} more; download the error CSV from the import page.")
