"""The 申报要素 checker (issue 17 section 6) on one 20-element 规格型号: p50/p95 ms per check;
the 企业库 build for an enterprise with 500,000 historical items and 100,000 reviewed rows
(target <= 60 s on SQLite) and the library query p95 at that size (target <= 100 ms).

    .venv/bin/python benchmarks/bench_standards.py [--items 500000] [--reviewed 100000] [--skip-checker]
Target: p95 <= 2 ms for the checker on one 20-element text (``standards.services.checker.check``,
tariff lookup included). The real tariff's longest element list has 16 names, so the line is a
real 商品编号 given 20 element names that touch every rule (品牌类型, 出口享惠情况, 品牌, 型号,
成分含量 with CAS numbers, 规格 and 重量 units, GTIN, CAS, a choice element, dates). Also the API
round trip (token auth, JSON in and out) on the same text.
"""

from __future__ import annotations

import dataclasses
import time

from _setup import demo_actor, django_setup, percentile

django_setup()

from django.test import Client  # noqa: E402

from guanwu.params import services as params  # noqa: E402
from guanwu.standards.services import checker  # noqa: E402

CODE = "2801100000"
ELEMENTS = (
    "品牌类型", "出口享惠情况", "成分含量（对于成分较复杂，字节较长商品可用CAS号代", "包装规格",
    "品牌（中文及外文名称）", "型号", "规格（厚度×宽度×长度）", "个体重量", "需要二次结算、无需二次结算",
    "签约日期", "计价日期", "用途", "材质", "种类", "等级", "颜色", "输出功率", "货号", "GTIN", "CAS",
)
TEXT = ("1|0|棉60%, 涤纶35%, 氨纶5%, 见 7732-18-5|500克/袋|耐克 NIKE|AB-100|2mm×1250mm×2500mm|1000-2000克/条"
        "|无需二次结算|20200131|2020-02-29|服装面料|棉|机织|一级|蓝色|100W|SKU-778|4006381333931, 6901234567892"
        "|7732-18-5、64-17-5")
RUNS = 5000


def bench_checker() -> None:
    tariff = dataclasses.replace(params.tariff_item(CODE), elements=ELEMENTS)
    assert len(TEXT.split("|")) == len(ELEMENTS) == 20
    assert checker.check_text(tariff, TEXT) == [], checker.check_text(tariff, TEXT)
    original = params.tariff_item
    params.tariff_item = lambda code_ts, as_of=None: tariff if code_ts == CODE else original(code_ts, as_of)
    try:
        times = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            checker.check(CODE, TEXT)
            times.append((time.perf_counter() - t0) * 1000)
        print(f"checker on one 20-element text, {RUNS} runs: p50 {percentile(times, 50):.3f} ms, "
              f"p95 {percentile(times, 95):.3f} ms (target p95 <= 2)")

        client = Client()
        token = client.post("/api/v1/auth/token", {"username": "a_admin", "password": "guanwu-demo"},
                            content_type="application/json").json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        body = {"code_ts": CODE, "g_model": TEXT}
        times = []
        for _ in range(500):
            t0 = time.perf_counter()
            response = client.post("/api/v1/standards/check", body, content_type="application/json", headers=headers)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200 and response.json() == {"findings": []}, response.content
        print(f"POST /api/v1/standards/check, same text, 500 requests: p50 {percentile(times, 50):.2f} ms, "
              f"p95 {percentile(times, 95):.2f} ms")
    finally:
        params.tariff_item = original
    report_rate()


def report_rate(n: int = 100_000, distinct: int = 20_000) -> None:
    """The report's checking loop (``standards.services.report.build_report``) over ``n`` history
    items of real T-shirt texts, ``distinct`` of them different (history repeats itself)."""
    from guanwu.standards.services import report

    model = "0|0|针织|T恤衫|圆领无扣无拉链|{}%棉|{}|TS-{}|无|无|无"
    texts = [model.format(100 - (j % 3) * 10, "无品牌" if j % 2 else "耐克", j) for j in range(distinct)]
    items = [("6109100010", texts[i % distinct], "E") for i in range(n)]
    t0 = time.perf_counter()
    found = report.build_report(0, iter(items))
    seconds = time.perf_counter() - t0
    print(f"report over {n} history items ({distinct} distinct texts): {seconds:.2f} s, "
          f"{found.flagged_items} flagged")


# -- the library build and query ---------------------------------------------------------------------


def _insert_sql(model, values: dict) -> tuple[str, list[str], list]:
    """A raw INSERT of every concrete column of ``model``: ``values`` by column, the rest their default."""
    from django.db import connection

    cols, defaults = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        cols.append(f.column)
        defaults.append(values.get(f.column, f.get_db_prep_save(f.get_default(), connection)))
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in cols)}) "
           f"VALUES ({', '.join(['%s'] * len(cols))})")
    return sql, cols, defaults


def seed_library(ent, n_items: int, n_reviewed: int) -> None:
    """``n_items`` released items in declarations of 10 items (about 40 % repeats of an earlier
    text, a quarter of those with full-width or spaced variants) and ``n_reviewed`` reviewed rows
    (half about items of the history, half new; one in five 不规范)."""
    import datetime as dt
    import random

    from django.db import connection, transaction
    from django.utils import timezone

    from guanwu.declarations.models import Declaration, DeclarationItem
    from guanwu.params import index
    from guanwu.standards.models import ReviewedRow, ReviewUpload
    from guanwu.standards.services import normalise

    rng = random.Random(17)
    tariff = index.tariff()
    codes = [t for t in tariff.items if 3 <= len(t.elements) <= 12][:3000]
    texts: list[tuple[str, str, str]] = []

    def text() -> tuple[str, str, str]:
        if texts and rng.random() < 0.4:
            code, name, model = rng.choice(texts)
            if rng.random() < 0.25:
                model = model.replace("A", "Ａ").replace("|", " |", 1)
            return code, name, model
        t = rng.choice(codes)
        values = ["0", "0" if rng.random() < 0.5 else "3"] + [f"值{rng.randrange(10**6)}A" for _ in t.elements[2:]]
        made = (t.code_ts, f"{t.name[:20]}{rng.randrange(1000)}", "|".join(values))
        texts.append(made)
        return made

    start = dt.date(2021, 1, 1)
    n_decls = n_items // 10
    decl_sql, decl_cols, decl_defaults = _insert_sql(Declaration, {})
    item_sql, item_cols, item_defaults = _insert_sql(DeclarationItem, {})
    ops = connection.ops
    with transaction.atomic(), connection.cursor() as cursor:
        first_id = (Declaration.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        rows = []
        for i in range(n_decls):
            day = start + dt.timedelta(days=i * 1800 // max(n_decls, 1))
            values = dict(zip(decl_cols, decl_defaults, strict=True))
            values.update(enterprise_id=ent.pk, status="released", ie_flag="IE"[i % 2], trade_mode="0110",
                          agent_code=ent.customs_code, trade_code=ent.customs_code if i % 3 else "6101339999",
                          declared_at=ops.adapt_datetimefield_value(
                              timezone.make_aware(dt.datetime.combine(day, dt.time(10)))),
                          created_at=ops.adapt_datetimefield_value(timezone.now()),
                          updated_at=ops.adapt_datetimefield_value(timezone.now()),
                          client_seq_no=None, internal_no="")
            rows.append([values[c] for c in decl_cols])
            if len(rows) == 5000:
                cursor.executemany(decl_sql, rows)
                rows = []
        if rows:
            cursor.executemany(decl_sql, rows)
        rows = []
        history: list[tuple[str, str, str, dt.date]] = []
        for i in range(n_items):
            code, name, model = text()
            values = dict(zip(item_cols, item_defaults, strict=True))
            values.update(declaration_id=first_id + i // 10, g_no=i % 10 + 1, code_ts=code, g_name=name, g_model=model)
            rows.append([values[c] for c in item_cols])
            if i % 10 == 0:
                history.append((code, name, model, start + dt.timedelta(days=(i // 10) * 1800 // max(n_decls, 1))))
            if len(rows) == 10000:
                cursor.executemany(item_sql, rows)
                rows = []
        if rows:
            cursor.executemany(item_sql, rows)
    up = ReviewUpload.objects.create(source="simulator", period="2025-12", file_name="bench", row_count=n_reviewed)
    batch = []
    for i in range(n_reviewed):
        if i % 2 == 0 and history:
            code, name, model, day = rng.choice(history)
        else:
            code, name, model = text()
            day = start + dt.timedelta(days=rng.randrange(1800))
        bad = i % 5 == 0
        batch.append(ReviewedRow(upload=up, line=i + 2, code_ts=code, g_name=name, g_model=model,
                                 key=normalise.key(code, name, model), trade_mode="0110", ie_flag="I",
                                 agent_code=ent.customs_code if i % 4 else "6101339998",
                                 trade_code=ent.customs_code if i % 4 == 0 else "6101339999", decl_date=day,
                                 conclusion="nonstandard" if bad else "standard",
                                 reasons=[["品牌类型", "不规范"]] if bad else []))
        if len(batch) == 5000:
            ReviewedRow.objects.bulk_create(batch)
            batch = []
    if batch:
        ReviewedRow.objects.bulk_create(batch)


def bench_library(actor, n_items: int, n_reviewed: int) -> None:
    import datetime as dt

    from guanwu.standards.models import LibraryEntry
    from guanwu.standards.services import access, library

    if not access.is_authorised(actor.enterprise):
        access.confirm(actor)
    t0 = time.perf_counter()
    seed_library(actor.enterprise, n_items, n_reviewed)
    print(f"seeded {n_items:,} historical items and {n_reviewed:,} reviewed rows in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    counts = library.build(actor.enterprise)
    first = time.perf_counter() - t0
    print(f"library build (first): {first:.1f} s -> {counts} (target <= 60 s)")
    t0 = time.perf_counter()
    counts = library.build(actor.enterprise)
    print(f"library rebuild (nothing changed): {time.perf_counter() - t0:.1f} s -> {counts}")
    total = LibraryEntry.objects.filter(enterprise=actor.enterprise).count()
    code = LibraryEntry.objects.filter(enterprise=actor.enterprise).values_list("code_ts", flat=True).first()
    queries = [
        {}, {"mark": "nonstandard"}, {"mark": "standard", "role": "owner"}, {"mark": "matched", "ie_flag": "E"},
        {"code_ts": code[:4]}, {"code_ts": code}, {"date_from": dt.date(2023, 1, 1), "date_to": dt.date(2023, 3, 31)},
        {"trade_mode": "0110", "mark": "nonstandard", "date_from": dt.date(2022, 1, 1)}, {"q": "值12"},
    ]
    per_query: dict[str, list[float]] = {}
    times = []
    for _ in range(20):
        for conditions in queries:
            t0 = time.perf_counter()
            qs = library.query(actor, **conditions)
            qs.count()
            list(qs[0:50])
            ms = (time.perf_counter() - t0) * 1000
            times.append(ms)
            per_query.setdefault(str(conditions), []).append(ms)
    print(f"library query (count + first page of 50) over {total:,} entries, {len(times)} runs: "
          f"p50 {percentile(times, 50):.1f} ms, p95 {percentile(times, 95):.1f} ms (target p95 <= 100)")
    for name, values in per_query.items():
        print(f"    {name}: p95 {percentile(values, 95):.1f} ms")


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=500_000)
    parser.add_argument("--reviewed", type=int, default=100_000)
    parser.add_argument("--skip-checker", action="store_true")
    args = parser.parse_args()
    actor = demo_actor()
    if not args.skip_checker:
        bench_checker()
    bench_library(actor, args.items, args.reviewed)


if __name__ == "__main__":
    main()
