"""Load the default template library (idempotent: slots that already have an approved template are
left alone)."""

from django.core.management.base import BaseCommand

from collections_crm.history import system_user
from outreach.library import library_load


class Command(BaseCommand):
    help = "Create and approve the default message templates where none is approved yet."

    def handle(self, *args, **options):
        counts = library_load(actor=system_user())
        self.stdout.write(f"Default templates: {counts['created']} created, {counts['skipped']} already there.")
