import pytest


@pytest.fixture
def library(db):
    """The default library, as the data migration leaves it. Transactional tests elsewhere (browser
    tests) flush the database, which removes migration-loaded rows, so put it back when missing."""
    from collections_crm.history import system_user
    from outreach.library import library_entries, library_load
    from outreach.models import MessageTemplate

    if MessageTemplate.objects.filter(creditor__isnull=True, status="approved").count() < len(list(library_entries())):
        library_load(actor=system_user())
