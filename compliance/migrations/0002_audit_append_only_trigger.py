"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the audit log (issue item 7): even a
raw SQL session or a bug cannot rewrite history quietly. SQLite has no such trigger; there the hash chain
(``verify_audit_chain``) still detects any edit or deletion. TRUNCATE is left alone on purpose: test
databases are flushed with it (revoke TRUNCATE from the application's role in production)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION compliance_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'compliance_auditevent is append-only: % is not allowed on the audit log', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS compliance_auditevent_no_update_delete ON compliance_auditevent;
CREATE TRIGGER compliance_auditevent_no_update_delete
    BEFORE UPDATE OR DELETE ON compliance_auditevent
    FOR EACH ROW EXECUTE FUNCTION compliance_auditevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS compliance_auditevent_no_update_delete ON compliance_auditevent;
DROP FUNCTION IF EXISTS compliance_auditevent_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):

    dependencies = [("compliance", "0001_audit_log")]

    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]
