"""Rebuild the keyword column of every library entry: the index now holds the pinyin and the
initials from every character of the name on (``search._suffixes``), so ``dn`` finds 笔记本电脑.
The FTS5 triggers (SQLite) and the generated tsvector column (PostgreSQL) follow the column."""

from django.db import migrations

BATCH = 2000


def reindex(apps, schema_editor):
    from guanwu.datacenter.commodities.search import index_columns

    Commodity = apps.get_model("commodities", "Commodity")
    last = 0
    while True:
        rows = list(
            Commodity.objects.filter(pk__gt=last).order_by("pk")
            .only("pk", "enterprise_id", "g_name", "g_model", "ie_flag", "trade_code", "search")[:BATCH]
        )
        if not rows:
            return
        changed = []
        for row in rows:
            _, _, text = index_columns(row.enterprise_id, row.g_name, row.g_model or "", row.ie_flag, row.trade_code)
            if text != row.search:
                row.search = text
                changed.append(row)
        Commodity.objects.bulk_update(changed, ["search"])
        last = rows[-1].pk


class Migration(migrations.Migration):
    dependencies = [("commodities", "0005_commodity_enterprise_no_own_index")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
