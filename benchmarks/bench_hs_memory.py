"""Memory of processes holding the suggestion index: each one's RSS and PSS (its share of the pages
it holds with others) with N processes alive at once, as ``guanwu serve``'s web workers and queue
worker hold it.

    GUANWU_BENCH_DIR=/tmp/b .venv/bin/python benchmarks/bench_hs_memory.py [--processes 3]

The index is built and stored first if the data dir has none. Each child process sets Django up,
loads the stored index as a web worker does (``knowledge.current(build_missing=False)``), answers
50 suggestions, and reports; the parent reads ``/proc/<pid>/smaps_rollup`` of every child while all
are alive (Linux only). Figures in MB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from _setup import ROOT, django_setup

CHILD = """
import os, sys, time
sys.path.insert(0, {src!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanwu.settings")
import django
django.setup()
from guanwu.classify import knowledge, services
started = time.perf_counter()
known = knowledge.current(build_missing=False)
loaded = time.perf_counter() - started
assert known is not None, "no stored index"
for q in {queries!r}:
    services.suggest(None, q, 5)
print(f"ready {{loaded:.2f}}", flush=True)
sys.stdin.read()
"""

QUERIES = ["男士纯棉针织圆领T恤", "不锈钢保温杯 500ml 真空", "iPhone 手机壳 TPU", "冷冻去骨牛腩块", "锂离子电池模组",
           "聚乙烯塑料袋", "汽车刹车片", "LED灯珠", "婴儿配方奶粉", "电动牙刷"] * 5


def rollup(pid: int) -> dict[str, float]:
    values = {}
    with open(f"/proc/{pid}/smaps_rollup") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key in ("Rss", "Pss"):
                values[key] = int(rest.split()[0]) / 1024
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=3)
    args = parser.parse_args()
    data_dir = django_setup()
    from guanwu.classify import knowledge, stored
    from guanwu.params import index as params_index

    if not stored.enabled():
        sys.exit("CLASSIFY_INDEX_CACHE is off: nothing is shared")
    path = stored.path_for(knowledge._inputs(params_index.version_for())[3])
    if not path.exists():
        knowledge.current()  # built and stored; then dropped, so that only the children hold it
        knowledge._cache.clear()
    env = {**os.environ, "GUANWU_DATA_DIR": str(data_dir)}
    code = CHILD.format(src=str(ROOT / "src"), queries=QUERIES)
    children = [subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 text=True, env=env) for _ in range(args.processes)]
    loads = [child.stdout.readline().split()[1] for child in children]
    time.sleep(0.5)
    figures = [rollup(child.pid) for child in children]
    for child in children:
        child.stdin.close()
        child.wait()
    size = path.stat().st_size / 2**20
    print(f"{args.processes} processes holding the suggestion index (stored file {size:.0f} MB):")
    for n, (figure, load) in enumerate(zip(figures, loads, strict=True), 1):
        print(f"  process {n}: RSS {figure['Rss']:.0f} MB, PSS {figure['Pss']:.0f} MB, index loaded in {load} s")
    print(f"total PSS {sum(f['Pss'] for f in figures):.0f} MB, total RSS {sum(f['Rss'] for f in figures):.0f} MB")


if __name__ == "__main__":
    main()
