"""Load the customs code tables and the tariff shipped in ``params/data/`` into the database.

Sources (converted by scripts/build_params_data.py from public GACC data, see README.md here):
- ``tables_2019.json.gz``: the 25 parameter tables of 海关总署公告2018年第61号 (2019 vintage), with
  the known gaps added by hand: 监管方式 9710 跨境电商B2B直接出口 and 9810 跨境电商出口海外仓
  (海关总署公告2020年第75号), 随附单据类别 10000004 跨境B2B出口单证.
- ``tariff_2020.json.gz``: 11,988 ten-digit codes with legal units, rates (fractions: 0.13 = 13%),
  监管条件 and 申报要素 (1,791 ``#N/A`` rows filled from the 申报要素 sheet; 9 codes have none).
- ``ciq_2020.json.gz``: 22,475 检验检疫名称 rows.

Loading is idempotent: a table is replaced as a whole and its version bumped (which invalidates
the in-process search indexes); a tariff version is keyed by its effective date, so a later
tariff loads beside the old one and lookups choose by as-of date.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction

from .models import CiqName, CodeEntry, CodeTable, TariffItem, TariffVersion

DATA = Path(__file__).resolve().parent / "data"
TABLES_FILE = DATA / "tables_2019.json.gz"
TARIFF_FILE = DATA / "tariff_2020.json.gz"
CIQ_FILE = DATA / "ciq_2020.json.gz"
ENTRY_FIELDS = {"code", "name", "en_name", "old_code", "old_ciq_code", "py", "pyi"}


def _read(path: Path) -> Any:
    with gzip.open(path, "rb") as fh:
        return json.loads(fh.read())


def needs_loading() -> bool:
    return not (CodeTable.objects.exists() and TariffVersion.objects.exists())


def _rate(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value not in ("", None) else None
    except InvalidOperation:
        return None


@transaction.atomic
def load_tables(path: Path = TABLES_FILE) -> dict[str, int]:
    counts = {}
    for spec in _read(path):
        table, created = CodeTable.objects.get_or_create(
            slug=spec["slug"], defaults={"name": spec["name"], "source": spec["source"]}
        )
        if not created:
            table.entries.all().delete()
            table.name, table.source, table.version = spec["name"], spec["source"], table.version + 1
            table.save()
        CodeEntry.objects.bulk_create(
            [
                CodeEntry(
                    table=table, code=row["code"], name=row["name"], en_name=row.get("en_name", ""),
                    old_code=row.get("old_code", ""), old_ciq_code=row.get("old_ciq_code", ""),
                    pinyin=row.get("py", ""), initials=row.get("pyi", ""),
                    extra={k: v for k, v in row.items() if k not in ENTRY_FIELDS},
                )
                for row in spec["rows"]
            ],
            batch_size=2000,
        )
        counts[spec["slug"]] = len(spec["rows"])
    _invalidate()
    transaction.on_commit(_invalidate)
    return counts


@transaction.atomic
def load_tariff(path: Path = TARIFF_FILE, *, effective_date: dt.date | None = None, name: str | None = None,
                ciq_path: Path | None = CIQ_FILE) -> TariffVersion:
    data = _read(path)
    effective = effective_date or dt.date.fromisoformat(data["effective_date"])
    version, _ = TariffVersion.objects.update_or_create(
        effective_date=effective, defaults={"name": name or data["name"], "source": path.name}
    )
    version.items.all().delete()
    version.ciq_names.all().delete()
    TariffItem.objects.bulk_create(
        [
            TariffItem(
                version=version, code_ts=it["code_ts"], name=it["name"], first_unit=it["first_unit"],
                second_unit=it["second_unit"], mfn_rate=_rate(it["mfn_rate"]), general_rate=_rate(it["general_rate"]),
                export_rate=_rate(it["export_rate"]), vat_rate=_rate(it["vat_rate"]),
                consumption_rate=_rate(it["consumption_rate"]), licence_codes=it["licence_codes"],
                elements=it["elements"], note=it.get("note", ""), pinyin=it.get("py", ""), initials=it.get("pyi", ""),
            )
            for it in data["items"]
        ],
        batch_size=2000,
    )
    if ciq_path is not None:
        CiqName.objects.bulk_create(
            [CiqName(version=version, code_ts=c, ciq_code=q, name=n, status=s) for c, q, n, s in _read(ciq_path)],
            batch_size=4000,
        )
    _invalidate()
    transaction.on_commit(_invalidate)
    return version


def _invalidate() -> None:
    from . import index

    index.invalidate()


def load_all(say: Callable[[str], None] = print) -> None:
    counts = load_tables()
    say(f"  参数代码表 {len(counts)} 张, 共 {sum(counts.values()):,} 条")
    version = load_tariff()
    say(f"  {version.name}: {version.items.count():,} 个商品编号")
