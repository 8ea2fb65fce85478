#!/usr/bin/env python3
"""跨境电商 B2B 出口 (issue 16) benchmarks, one section each:

    .venv/bin/python benchmarks/bench_crossborder.py [--part a|b|c|all] [--messages 2000] [--lines 10]

- (a) import of 10,000 orders (20,000 lines) from Excel, target <= 10 s;
- (b) build + official-XSD validation of CEB603 export lists with ``--lines`` (10) goods lines
  each, messages/s on one core, target >= 300/s (pure message layer, no database: the records
  of ``bench_ceb_messages.make_messages``, ``build_ceb603`` then ``validate_ceb`` against the
  official 202205 export XSD, compiled once per process);
- (c) 1,000 lists from submit to 放行 through the gateway and the simulator with zero delay,
  target <= 60 s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

TARGET_B = 300  # messages/s


# (a) --------------------------------------------------------------------------- Excel import


def part_a(args: argparse.Namespace) -> int:
    print("(a) import of 10,000 orders from Excel: not written yet")
    return 0


# (b) ------------------------------------------------------------- CEB603 build + XSD validation


def part_b(args: argparse.Namespace) -> int:
    from benchmarks.bench_ceb_messages import make_messages
    from guanwu.messages.ceb import build_ceb603, validate_ceb

    messages = make_messages(args.messages, args.lines)
    validate_ceb(build_ceb603(messages[0]))  # compile the XSD once (cached for the process)
    t_build = t_validate = 0.0
    cpu0 = time.process_time()
    for message in messages:
        t1 = time.perf_counter()
        xml = build_ceb603(message)
        t2 = time.perf_counter()
        errors = validate_ceb(xml)
        t3 = time.perf_counter()
        if errors:
            print("invalid message:", errors[:3])
            return 1
        t_build += t2 - t1
        t_validate += t3 - t2
    cpu = time.process_time() - cpu0
    n, total = len(messages), t_build + t_validate
    rate = n / total
    print(f"(b) CEB603 build + official-XSD validation: {n} messages x {args.lines} lines")
    print(f"    build {n / t_build:.0f}/s, validate {n / t_validate:.0f}/s")
    print(f"    build + validate: {total:.2f} s = {rate:.0f} messages/s (CPU {n / cpu:.0f}/s)"
          f"  target >= {TARGET_B}/s  {'OK' if rate >= TARGET_B else 'TOO SLOW'}")
    return 0 if rate >= TARGET_B else 1


# (c) ------------------------------------------------------------- submit to 放行 via simulator


def part_c(args: argparse.Namespace) -> int:
    print("(c) 1,000 lists from submit to 放行: not written yet")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", choices=("a", "b", "c", "all"), default="all")
    parser.add_argument("--messages", type=int, default=2000, help="(b) number of CEB603 messages")
    parser.add_argument("--lines", type=int, default=10, help="(b) goods lines per list")
    args = parser.parse_args()
    parts = {"a": part_a, "b": part_b, "c": part_c}
    chosen = parts if args.part == "all" else {args.part: parts[args.part]}
    return max(run(args) for run in chosen.values())


if __name__ == "__main__":
    raise SystemExit(main())
