"""Audit rows are linked onto the hash chain after their transaction commits.

A request writes its audit rows unlinked (``seq`` empty) and takes no lock; the linker gives
them ``seq``, ``prev_hash`` and ``row_hash`` moments later (casework/models/audit.py). The
append-only trigger therefore lets exactly that change through, once: from an unlinked row to a
linked one, every other column unchanged. Any other UPDATE, and every DELETE, is still refused.
A column added to the table later must be added to the comparison below.
"""

from django.db import migrations, models

COLUMNS = (
    "id",
    "created_at",
    "actor_id",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "school_id",
    "request_id",
    "data",
)
_NEW = ", ".join(f"NEW.{c}" for c in COLUMNS)
_OLD = ", ".join(f"OLD.{c}" for c in COLUMNS)

PG_UP = f"""
CREATE OR REPLACE FUNCTION casework_audit_append_only() RETURNS trigger AS $$
BEGIN
    -- The one change allowed: linking an unlinked row onto the chain, nothing else.
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
            AND OLD.prev_hash = '' AND OLD.row_hash = ''
            AND ({_NEW}) IS NOT DISTINCT FROM ({_OLD}) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
PG_DOWN = """
CREATE OR REPLACE FUNCTION casework_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
_SAME = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in COLUMNS)
SQLITE_UP = (
    "CREATE TRIGGER casework_auditevent_no_update BEFORE UPDATE ON casework_auditevent "
    "WHEN NOT (OLD.seq IS NULL AND NEW.seq IS NOT NULL AND OLD.prev_hash = '' "
    f"AND OLD.row_hash = '' AND {_SAME}) "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only (UPDATE refused)'); END;"
)
SQLITE_DOWN = (
    "CREATE TRIGGER casework_auditevent_no_update BEFORE UPDATE ON casework_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only (UPDATE refused)'); END;"
)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP, params=None)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS casework_auditevent_no_update")
        schema_editor.execute(SQLITE_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN, params=None)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS casework_auditevent_no_update")
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("casework", "0012_move_meetings_to_workflows")]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("seq__isnull", True)),
                fields=["id"],
                name="casework_audit_unlinked",
            ),
        ),
    ]
