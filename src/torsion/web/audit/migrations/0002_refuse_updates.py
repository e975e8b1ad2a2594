"""The database itself refuses to change an audit row, whatever code (or person with a shell) tries."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER audit_accessevent_no_update BEFORE UPDATE ON audit_accessevent
       BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only.'); END""",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_accessevent_refuse_update() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'The audit trail is append-only.'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_accessevent_no_update BEFORE UPDATE ON audit_accessevent
       FOR EACH ROW EXECUTE FUNCTION audit_accessevent_refuse_update()""",
]
DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_accessevent_no_update"],
    "postgresql": ["DROP TRIGGER IF EXISTS audit_accessevent_no_update ON audit_accessevent",
                   "DROP FUNCTION IF EXISTS audit_accessevent_refuse_update()"],
}


def create(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
