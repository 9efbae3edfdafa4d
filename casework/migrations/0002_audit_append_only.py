"""Make the audit trail append-only in the database itself.

On PostgreSQL a trigger refuses every UPDATE and DELETE of an audit row, whatever the client.
TRUNCATE stays possible for the database owner (retention, test teardown). On SQLite, the
single-user demo default, a trigger refuses UPDATE; DELETE is left to the application's own
guard because Django's test flush on SQLite deletes rows one table at a time.
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION casework_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER casework_auditevent_append_only
    BEFORE UPDATE OR DELETE ON casework_auditevent
    FOR EACH ROW EXECUTE FUNCTION casework_audit_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS casework_auditevent_append_only ON casework_auditevent;
DROP FUNCTION IF EXISTS casework_audit_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER casework_auditevent_no_update BEFORE UPDATE ON casework_auditevent
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only (UPDATE refused)'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS casework_auditevent_no_update;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
