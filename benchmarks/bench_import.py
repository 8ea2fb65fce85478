"""The Excel import pipeline on a generated 100k-row file, against the naive baseline.

    .venv/bin/python benchmarks/bench_import.py [ROWS]
Pipeline: calamine read + compiled column converters + tariff/code checks + bulk_create, valid-rows
mode, through the real job handler. Baseline: openpyxl read_only iteration + the same checks +
one ORM ``save()`` per row, on a 20,000-row file (extrapolated per row; stated in the output).
Targets: 100k rows <= 15 s and >= 10x the baseline, on this 2-core machine.
"""

from __future__ import annotations

import io
import random
import sys
import time

from _setup import demo_actor, django_setup

django_setup("benchmarks.bench_settings")

import xlsxwriter  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from benchmarks.benchapp.models import BenchItem  # noqa: E402
from guanwu.imports import bulk, services  # noqa: E402
from guanwu.imports.spec import Column, ImportSpec, register  # noqa: E402
from guanwu.jobs import services as jobs  # noqa: E402
from guanwu.params import services as params  # noqa: E402

HEADERS = ["*商品编号", "*商品名称", "*原产国", "*数量", "*单价", "*币制", "日期"]


def _tariff_check(row: dict) -> list[tuple[str, str]]:
    if params.tariff_item(row["code_ts"]) is None:
        return [("商品编号", f"商品编号 {row['code_ts']} 不存在于税则")]
    return []


def _save(actor, rows: list[dict]) -> int:
    return bulk.insert(BenchItem, rows, enterprise=actor.enterprise)


register(ImportSpec(
    key="bench", title="基准", save=_save, clean_row=_tariff_check, columns=[
        Column("商品编号", "code_ts", required=True, max_length=10),
        Column("商品名称", "name", required=True, max_length=100),
        Column("原产国", "country", required=True, code_table="countries"),
        Column("数量", "qty", kind="decimal", required=True),
        Column("单价", "price", kind="decimal", decimal_places=4, required=True),
        Column("币制", "currency", required=True, code_table="currencies"),
        Column("日期", "day", kind="date"),
    ],
))


def make_file(n: int) -> bytes:
    rng = random.Random(42)
    codes = [t.code_ts for t in params.search_tariff("", 200_000)[1]]
    countries = list(params.codes("countries"))
    currencies = list(params.codes("currencies"))
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True})
    ws = wb.add_worksheet("数据")
    ws.write_row(0, 0, HEADERS)
    for r in range(1, n + 1):
        bad = r % 1000 == 0
        ws.write_row(r, 0, [
            "9999999999" if bad else rng.choice(codes), f"商品{r}", rng.choice(countries),
            rng.randint(1, 5000), round(rng.uniform(0.1, 999), 4), "XXX" if r % 1500 == 0 else rng.choice(currencies),
            f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        ])
    wb.close()
    return out.getvalue()


def baseline(data: bytes, actor) -> float:
    countries, currencies = set(params.codes("countries")), set(params.codes("currencies"))
    t0 = time.perf_counter()
    wb = load_workbook(io.BytesIO(data), read_only=True)
    rows = wb.active.iter_rows(min_row=2, values_only=True)
    saved = 0
    for code_ts, name, country, qty, price, currency, day in rows:
        if params.tariff_item(str(code_ts)) is None or country not in countries or currency not in currencies:
            continue
        BenchItem(enterprise=actor.enterprise, code_ts=code_ts, name=name, country=country, qty=qty, price=price,
                  currency=currency, day=day).save()
        saved += 1
    return time.perf_counter() - t0


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    actor = demo_actor()
    data = make_file(n)
    print(f"generated {n:,} rows ({len(data) / 1e6:.1f} MB xlsx)")
    t0 = time.perf_counter()
    job = services.start_import(actor, "bench", SimpleUploadedFile("bench.xlsx", data), "valid_only")
    jobs.run(job.pk)  # the worker's code path, in this process
    elapsed = time.perf_counter() - t0
    job.refresh_from_db()
    assert job.status == "succeeded", job.message
    print(f"pipeline: {job.message}; {elapsed:.2f} s wall, {n / elapsed:,.0f} rows/s (target 100k <= 15 s)")
    sample = 20_000
    base_seconds = baseline(make_file(sample), actor)
    per_row = base_seconds / sample
    print(f"naive baseline (openpyxl + per-row save) on {sample:,} rows: {base_seconds:.2f} s, "
          f"{1 / per_row:,.0f} rows/s -> {per_row * n:.1f} s extrapolated to {n:,} rows")
    print(f"speed-up: {per_row * n / elapsed:.1f}x (target >= 10x)")


if __name__ == "__main__":
    main()
