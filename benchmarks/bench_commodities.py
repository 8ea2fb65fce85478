"""商品数据库 benchmarks: (a) the Excel import of a generated template file against
django-import-export, (b) the picker search on a library of 1M rows through the API.

    .venv/bin/python benchmarks/bench_commodities.py import [ROWS]     # (a), default 100,000 rows
    .venv/bin/python benchmarks/bench_commodities.py search [ROWS]     # (b), default 1,000,000 rows, SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guanwu_bench_commodities \\
        .venv/bin/python benchmarks/bench_commodities.py search        # (b) on PostgreSQL (the database is
                                                                       # dropped and created afresh)

(a) The file has the commodities template's headers and real goods: HS codes drawn from the
2020 tariff, 申报要素 with exactly the tariff's number of elements and valid 品牌类型/出口享惠情况,
units, countries, currencies and districts from the code tables. Ours: the real import job
(calamine read, compiled converters, code checks, tariff and element checks of every row,
duplicate check, bulk upsert with the keyword index). django-import-export: a ModelResource
with ``use_bulk=True`` (batch 1,000, no per-row instance lookup, no diff) reading the same file
through tablib, whose hooks do the same tariff/element checks, legal units, dedupe key and index
columns, so both do the same work per row. Targets: 100k rows <= 15 s, >= 5x django-import-export.

django-import-export is installed for this script only (never a project dependency)::

    .venv/bin/pip install django-import-export==4.4.3

(the script runs that command itself when the package is missing) and is added to
INSTALLED_APPS only in this script's settings module.

(b) One enterprise owns all ROWS entries (the worst case for one tenant; another enterprise owns
50k more), 200 trade companies, names from the tariff with variants, last used over 300 days. Queries through
``GET /api/v1/commodities`` with a token, as the goods grid's dialog sends them: name keywords
(Chinese words, pinyin, initials, brand words, and words that match nothing), HS code prefixes
(2 to 8 digits) and trade company (by code, by name prefix, and with a keyword). Targets: p95
<= 100 ms on SQLite, <= 50 ms on PostgreSQL. The machine is shared and has 2 cores: figures are
as measured, with whatever else ran at the time.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import os
import random
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

IMPORT_EXPORT_PIN = "django-import-export==4.4.3"
ROOT = Path(__file__).resolve().parents[1]


def _settings_module(with_import_export: bool) -> str:
    """A settings module made here: the project's settings (+ import_export for benchmark a)."""
    name = "bench_commodities_settings"
    # the data dir must be chosen before the settings are read (never the developer's var/)
    data_dir = os.environ.get("GUANWU_BENCH_DIR") or tempfile.mkdtemp(prefix="guanwu-bench-")
    os.environ["GUANWU_BENCH_DIR"] = os.environ["GUANWU_DATA_DIR"] = data_dir
    module = types.ModuleType(name)
    sys.path.insert(0, str(ROOT / "src"))
    exec("from guanwu.settings import *  # noqa", module.__dict__)
    if with_import_export:
        module.INSTALLED_APPS = [*module.INSTALLED_APPS, "import_export"]
    sys.modules[name] = module
    return name


def _ensure_import_export() -> None:
    if importlib.util.find_spec("import_export") is None:
        print(f"installing {IMPORT_EXPORT_PIN} for this benchmark ...", flush=True)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", IMPORT_EXPORT_PIN])


def _ensure_postgres_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return
    import psycopg

    base, _, dbname = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{dbname}"')
    print(f"PostgreSQL database {dbname} created afresh")


def _setup(with_import_export: bool):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _setup import django_setup

    os.environ["DJANGO_SETTINGS_MODULE"] = _settings_module(with_import_export)
    django_setup(os.environ["DJANGO_SETTINGS_MODULE"])


# ----------------------------------------------------------------------------- (a) import


def _goods_pool(rng: random.Random):
    from guanwu.params import index
    from guanwu.params import services as params

    tariff = [t for t in index.tariff().items if t.elements]
    countries = [c for c in params.codes("countries") if len(c) == 3]
    districts = list(params.codes("districts"))
    return params, tariff, countries, districts


WORDS = ["标准型", "加厚", "出口型", "A款", "B款", "大号", "小号", "经济型", "工业用", "家用", "蓝色", "白色"]
BRANDS = ["无品牌", "HUAWEI", "SANDISK", "DELL", "MIDEA", "GREE", "ST", "MURATA", "3M", "BOSCH"]


def _model(t, rng: random.Random, r: int) -> str:
    values = []
    brand_type = rng.choice("01234")
    for name in t.elements:
        if name == "品牌类型":
            values.append(brand_type)
        elif name == "出口享惠情况":
            values.append(rng.choice("0123"))
        elif name in ("GTIN", "CAS", "其他"):
            values.append("无")
        elif "品牌" in name:  # 规范申报: 品牌类型 0 declares 无品牌
            values.append("无品牌" if brand_type == "0" else rng.choice(BRANDS))
        elif "型号" in name:
            values.append(f"M-{r % 9973}")
        else:
            values.append(rng.choice(WORDS))
    return "|".join(values)


def make_import_file(n: int) -> bytes:
    import xlsxwriter

    from guanwu.datacenter.commodities.imports import COMMODITY_COLUMNS

    rng = random.Random(42)
    _params, tariff, countries, districts = _goods_pool(rng)
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True})
    ws = wb.add_worksheet("数据")
    ws.write_row(0, 0, [c.marked_header for c in COMMODITY_COLUMNS])
    for r in range(1, n + 1):
        t = rng.choice(tariff)
        name = t.name.lstrip("-－ ")[:rng.randint(4, 14)] + rng.choice(WORDS)
        ws.write_row(r, 0, [
            f"61019{r % 50:05d}", f"西安第{r % 50}贸易有限公司", rng.choice(("进口", "出口")), t.code_ts, "",
            f"{name}{r}", _model(t, rng, r), t.first_unit, rng.choice(countries), rng.choice(countries),
            rng.choice(("USD", "EUR", "JPY", "CNY")), round(rng.uniform(0.5, 999), 2), rng.choice(districts), "", "1",
        ])
    wb.close()
    return out.getvalue()


def import_export_resource(enterprise_id: int):
    from import_export import fields, resources

    from guanwu.datacenter.commodities import services
    from guanwu.datacenter.commodities.goods import check_goods
    from guanwu.datacenter.commodities.imports import COMMODITY_COLUMNS
    from guanwu.datacenter.commodities.models import Commodity

    ie = {"进口": "I", "出口": "E"}

    class CommodityResource(resources.ModelResource):
        class Meta:
            model = Commodity
            use_bulk = True
            batch_size = 1000
            force_init_instance = True  # every row is new: no lookup per row
            skip_diff = True
            report_skipped = False
            fields = tuple(c.field for c in COMMODITY_COLUMNS)

        def before_import_row(self, row, **kwargs):
            row["*进出口标志"] = ie.get(row["*进出口标志"], row["*进出口标志"])
            values = {c.field: row.get(c.marked_header) for c in COMMODITY_COLUMNS}
            values = {k: ("" if v is None else str(v)) if k != "decl_price" else v for k, v in values.items()}
            errors = check_goods(values, values["ie_flag"])
            if errors:
                raise ValueError("; ".join(m for _, m in errors))
            row["__units"] = (values["first_unit"], values["second_unit"])

        def before_save_instance(self, instance, row, **kwargs):
            instance.enterprise_id = enterprise_id
            for column in COMMODITY_COLUMNS:
                if column.field != "decl_price" and getattr(instance, column.field) is None:
                    setattr(instance, column.field, "")
            instance.first_unit, instance.second_unit = row["__units"]
            values = {f: getattr(instance, f) or "" for f in ("trade_code", "trade_name", "ie_flag", "code_ts",
                                                               "g_name", "g_model")}
            instance.dedupe_key = services.key_of(values)
            for name, value in services.index_values(enterprise_id, instance.g_name, instance.g_model,
                                                     instance.ie_flag, instance.trade_code).items():
                setattr(instance, name, value)

    for column in COMMODITY_COLUMNS:  # the template's headers (with the * of required columns)
        CommodityResource.fields[column.field] = fields.Field(attribute=column.field, column_name=column.marked_header)
    return CommodityResource()


def bench_import(n: int) -> None:
    _ensure_import_export()
    _setup(with_import_export=True)
    from _setup import demo_actor
    from django.core.files.uploadedfile import SimpleUploadedFile

    from guanwu.datacenter.commodities.models import Commodity
    from guanwu.imports import services
    from guanwu.jobs import services as jobs
    from guanwu.tenancy.models import Enterprise

    actor = demo_actor()
    t0 = time.perf_counter()
    data = make_import_file(n)
    print(f"generated {n:,} rows ({len(data) / 1e6:.1f} MB xlsx) in {time.perf_counter() - t0:.1f} s")
    before = Commodity.objects.filter(enterprise=actor.enterprise).count()
    t0 = time.perf_counter()
    job = services.start_import(actor, "commodities", SimpleUploadedFile("commodities.xlsx", data), "all_or_nothing")
    jobs.run(job.pk)  # the worker's code path, in this process
    ours = time.perf_counter() - t0
    job.refresh_from_db()
    assert job.status == "succeeded", (job.message, job.result.get("error_sample", [])[:5])
    stored = Commodity.objects.filter(enterprise=actor.enterprise).count() - before
    assert stored == n, (stored, job.message, job.result)
    print(f"guanwu import: {job.message}; {ours:.2f} s wall, {n / ours:,.0f} rows/s (target 100k rows <= 15 s)")

    import tablib
    from django.db import transaction

    other = Enterprise.objects.exclude(pk=actor.enterprise.pk).first()
    resource = import_export_resource(other.pk)
    t0 = time.perf_counter()
    dataset = tablib.Dataset().load(io.BytesIO(data), format="xlsx")
    with transaction.atomic():
        result = resource.import_data(dataset, dry_run=False, raise_errors=True, use_transactions=False)
    theirs = time.perf_counter() - t0
    stored = Commodity.objects.filter(enterprise=other).count()
    assert not result.has_errors() and stored == n, (stored, result.totals)
    print(f"django-import-export {IMPORT_EXPORT_PIN.split('==')[1]} (use_bulk=True): {theirs:.2f} s wall, "
          f"{n / theirs:,.0f} rows/s")
    print(f"ratio: guanwu is {theirs / ours:.1f}x faster (target >= 5x)")


# ----------------------------------------------------------------------------- (b) search


TRADE_NAMES = [f"{city}{word}{kind}有限公司" for city in ("西安", "宝鸡", "咸阳", "渭南", "汉中")
               for word in ("华信", "恒通", "瑞丰", "德源", "金桥", "万达", "东方", "长城")
               for kind in ("贸易", "进出口", "实业", "电子", "纺织")]


def fill_library(n: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from guanwu.datacenter.commodities import services
    from guanwu.datacenter.commodities.models import Commodity
    from guanwu.imports import bulk
    from guanwu.tenancy.models import Enterprise

    rng = random.Random(7)
    _params, tariff, countries, districts = _goods_pool(rng)
    enterprises = list(Enterprise.objects.order_by("pk")[:2])
    Commodity.objects.filter(enterprise__in=enterprises).delete()
    now = timezone.now()
    t0 = time.perf_counter()
    for enterprise, count in ((enterprises[0], n), (enterprises[1], 50_000)):
        rows = []
        for r in range(count):
            t = rng.choice(tariff)
            name = t.name.lstrip("-－ ")[:rng.randint(2, 12)] + rng.choice(["", "", *WORDS])
            trade = r % len(TRADE_NAMES)
            used = now - dt.timedelta(seconds=rng.randint(0, 300 * 86400))  # used in the last 300 days
            values = {
                "trade_code": f"6101{trade:06d}", "trade_name": TRADE_NAMES[trade], "ie_flag": rng.choice("IE"),
                "code_ts": t.code_ts, "g_name": name, "g_model": _model(t, rng, r),
            }
            rows.append({
                **values, "dedupe_key": services.key_of({**values, "g_name": f"{name}#{r}"}), "ciq_code": "",
                "ciq_name": "", "g_unit": t.first_unit, "first_unit": t.first_unit, "second_unit": t.second_unit,
                "origin_country": rng.choice(countries), "destination_country": "CHN", "trade_curr": "USD",
                "decl_price": None, "district_code": rng.choice(districts), "dest_code": "", "duty_mode": "1",
                "usage_count": rng.randint(0, 60), "first_used_at": now - dt.timedelta(days=rng.randint(300, 900)),
                "last_used_at": used, "source": "learned", "created_at": used, "updated_at": used,
                **services.index_values(enterprise.pk, name, values["g_model"], values["ie_flag"],
                                        values["trade_code"]),
            })
            if len(rows) == 50_000:
                with transaction.atomic():
                    bulk.insert(Commodity, rows, enterprise=enterprise)
                rows = []
        with transaction.atomic():
            bulk.insert(Commodity, rows, enterprise=enterprise)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"library: {n:,} + 50,000 rows loaded with the keyword index in {time.perf_counter() - t0:.0f} s")


NAME_QUERIES = [
    "咖啡", "针织", "电脑", "塑料", "钢铁", "轮胎", "鞋", "玩具", "集成电路", "棉制",
    "冻", "牛肉", "葡萄酒", "发动机", "电池", "纸", "木制", "玻璃", "陶瓷", "药品",
    "kafei", "zhenzhi", "bjb", "dell", "huawei", "mzzz", "sj", "不存在的商品", "量子计算机", "xyzzy",
]
HS_QUERIES = ["84", "8471", "847130", "61", "6109", "0901", "9503", "85423", "39269090", "2204", "87", "7308"]


def measure(client, headers, params_list, rounds: int) -> tuple[float, float, int]:
    from _setup import percentile

    rng = random.Random(11)
    times = []
    hits = 0
    for _ in range(rounds):
        params = rng.choice(params_list)
        t0 = time.perf_counter()
        response = client.get("/api/v1/commodities", {**params, "limit": 20}, headers=headers)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.content
        hits += bool(response.json()["items"])
    return percentile(times, 50), percentile(times, 95), hits


def bench_search(n: int) -> None:
    _ensure_postgres_database()
    _setup(with_import_export=False)
    from _setup import demo_actor
    from django.db import connection
    from django.test import Client

    demo_actor()
    fill_library(n)
    client = Client()
    token = client.post("/api/v1/auth/token", {"username": "a_admin", "password": "guanwu-demo"},
                        content_type="application/json").json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    client.get("/api/v1/commodities", {"q": "x"}, headers=headers)  # warm up
    trade = [{"trade_code": f"6101{i:06d}"} for i in range(0, len(TRADE_NAMES), 7)]
    trade += [{"trade_name": name[:4]} for name in TRADE_NAMES[::9]]
    trade += [{"trade_code": f"6101{i:06d}", "q": q} for i, q in zip(range(0, 200, 13), NAME_QUERIES, strict=False)]
    groups = {
        "name keyword": [{"q": q} for q in NAME_QUERIES],
        "HS code prefix": [{"q": q} for q in HS_QUERIES],
        "trade company": trade,
    }
    db = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    target = 50 if db == "PostgreSQL" else 100
    print(f"search through GET /api/v1/commodities on {db}, {n:,} rows of one enterprise (+50,000 of another):")
    for label, params in groups.items():
        p50, p95, hits = measure(client, headers, params, 300)
        print(f"  {label:15} 300 queries: p50 {p50:6.2f} ms, p95 {p95:6.2f} ms ({hits} with results; "
              f"target p95 <= {target} ms)")


def main() -> None:
    what = sys.argv[1] if len(sys.argv) > 1 else "import"
    if what == "import":
        bench_import(int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)
    elif what == "search":
        bench_search(int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
