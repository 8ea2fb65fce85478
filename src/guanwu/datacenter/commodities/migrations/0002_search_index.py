"""The keyword index of the commodity library (see search.py): an FTS5 table kept in step by
triggers on SQLite, a GIN index over ``to_tsvector('simple', search)`` on PostgreSQL. Other
databases search the column with LIKE."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE commodities_commodity_fts USING fts5("
    "search, content='commodities_commodity', content_rowid='id', tokenize='ascii')",
    "CREATE TRIGGER commodities_commodity_fts_ai AFTER INSERT ON commodities_commodity BEGIN "
    "INSERT INTO commodities_commodity_fts(rowid, search) VALUES (new.id, new.search); END",
    "CREATE TRIGGER commodities_commodity_fts_ad AFTER DELETE ON commodities_commodity BEGIN "
    "INSERT INTO commodities_commodity_fts(commodities_commodity_fts, rowid, search) "
    "VALUES ('delete', old.id, old.search); END",
    "CREATE TRIGGER commodities_commodity_fts_au AFTER UPDATE OF search ON commodities_commodity BEGIN "
    "INSERT INTO commodities_commodity_fts(commodities_commodity_fts, rowid, search) "
    "VALUES ('delete', old.id, old.search); "
    "INSERT INTO commodities_commodity_fts(rowid, search) VALUES (new.id, new.search); END",
    "INSERT INTO commodities_commodity_fts(commodities_commodity_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS commodities_commodity_fts_au",
    "DROP TRIGGER IF EXISTS commodities_commodity_fts_ad",
    "DROP TRIGGER IF EXISTS commodities_commodity_fts_ai",
    "DROP TABLE IF EXISTS commodities_commodity_fts",
]
POSTGRES = [
    "CREATE INDEX commodity_search_gin ON commodities_commodity USING gin (to_tsvector('simple', search))",
]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS commodity_search_gin"]


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("commodities", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
