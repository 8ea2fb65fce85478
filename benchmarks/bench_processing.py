#!/usr/bin/env python3
"""加工贸易 (issue 15) benchmarks.

    .venv/bin/python benchmarks/bench_processing.py [--part a|b|c|all] [--messages 20] [--lines 1000]

(a) build + schema-check (``build_inv101`` + ``validate_sas``: the generated INV101.xsd and the
    rules) INV101 保税核注清单 messages of ``--lines`` lines (1,000 by default): messages/s on one
    core. Pure: no database, no Django. The plain data is the garment processor's export list of
    ``bench_sas_messages.make_list`` (distinct 企业内部编号 per message), built before timing.
(b) balances of a book with 2,000 materials, 10,000 products (50 materials each) after 100,000
    list lines: recompute time (target <= 2 s on SQLite) and the check of one new 1,000-line
    export list (target <= 200 ms). NOT WRITTEN YET: the hook is :func:`part_b`.
(c) the 核销 page at that size (target <= 300 ms). NOT WRITTEN YET: the hook is :func:`part_c`.

Parts (b) and (c) need Django and the ``processing`` app (``benchmarks/_setup.django_setup``);
part (a) does not, so ``--part a`` runs anywhere the package imports.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.bench_sas_messages import make_list  # noqa: E402
from guanwu.messages.sas import build_inv101, validate_sas  # noqa: E402

PARTS = ("a", "b", "c")


# ---------------------------------------------------------------------------------------- (a)


def part_a(messages: int, lines: int) -> int:
    """(a) INV101 of ``lines`` lines: build + validate, messages per second."""
    lists = [make_list(n, lines) for n in range(messages)]
    validate_sas(build_inv101(lists[0]))  # compile the XSD once, outside the timing
    t_build = t_validate = 0.0
    size = 0
    cpu0 = time.process_time()
    for data in lists:
        t1 = time.perf_counter()
        xml = build_inv101(data)
        t2 = time.perf_counter()
        errors = validate_sas(xml)
        t3 = time.perf_counter()
        if errors:
            print("(a) invalid message:", errors[:3])
            return 1
        t_build += t2 - t1
        t_validate += t3 - t2
        size += len(xml)
    cpu = time.process_time() - cpu0
    total = t_build + t_validate
    kib = size / messages / 1024
    print(f"(a) INV101 build + schema-check: {messages} messages x {lines} lines, {kib:.0f} KiB each")
    print(f"    build:                {t_build:.2f} s  ({messages / t_build:.1f} messages/s)")
    print(f"    validate (XSD+rules): {t_validate:.2f} s  ({messages / t_validate:.1f} messages/s)")
    print(f"    build + validate:     {total:.2f} s  ({messages / total:.1f} messages/s, "
          f"{messages * lines / total:,.0f} lines/s)")
    print(f"    CPU time (process):   {cpu:.2f} s  ({messages / cpu:.1f} messages per CPU second)")
    return 0


# ---------------------------------------------------------------------------------------- (b)


def part_b(args: argparse.Namespace) -> int:
    """(b) balances recompute (<= 2 s) and the check of a 1,000-line export list (<= 200 ms) on a
    book of 2,000 materials / 10,000 products x 50 / 100,000 list lines. To be written with the
    processing app's balance services (p15ui)."""
    print("(b) balances: not written yet")
    return 0


# ---------------------------------------------------------------------------------------- (c)


def part_c(args: argparse.Namespace) -> int:
    """(c) the 核销 page of that book (<= 300 ms). To be written with the processing views (p15ui)."""
    print("(c) 核销 page: not written yet")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=(*PARTS, "all"), default="all")
    parser.add_argument("--messages", type=int, default=20, help="(a) messages built and checked")
    parser.add_argument("--lines", type=int, default=1000, help="(a) lines per INV101")
    args = parser.parse_args()
    wanted = PARTS if args.part == "all" else (args.part,)
    status = 0
    if "a" in wanted:
        status |= part_a(args.messages, args.lines)
    if "b" in wanted:
        status |= part_b(args)
    if "c" in wanted:
        status |= part_c(args)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
