"""The commodity library's index on ``enterprise_id`` alone goes: the unique (enterprise,
dedupe_key) and every picker index start with the enterprise, so it served no query and cost
an index write per inserted entry.

The index is dropped by name (found by introspection) rather than by ``AlterField``: on SQLite
altering a field remakes the table, which would drop the FTS5 triggers of 0002."""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "commodities_commodity"


def _own_indexes(schema_editor) -> list[str]:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    return [
        name for name, info in constraints.items()
        if info["index"] and not info["unique"] and not info["primary_key"] and info["columns"] == ["enterprise_id"]
    ]


def drop_index(apps, schema_editor):
    for name in _own_indexes(schema_editor):
        schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def create_index(apps, schema_editor):
    if _own_indexes(schema_editor):
        return
    name = schema_editor._create_index_name(TABLE, ["enterprise_id"])
    schema_editor.execute(
        f"CREATE INDEX {schema_editor.quote_name(name)} ON {schema_editor.quote_name(TABLE)} (\"enterprise_id\")"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("commodities", "0004_search_tsv"),
        ("tenancy", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_index, create_index)],
            state_operations=[
                migrations.AlterField(
                    model_name="commodity",
                    name="enterprise",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+",
                        to="tenancy.enterprise", verbose_name="企业",
                    ),
                ),
            ],
        ),
    ]
