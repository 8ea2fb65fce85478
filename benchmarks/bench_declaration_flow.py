#!/usr/bin/env python3
"""End to end through gateway and simulator: N declarations from 申报 to 放行, wall time.

    .venv/bin/python benchmarks/bench_declaration_flow.py [--declarations 1000] [--in-process]

By default the simulator (``guanwu simulator run``) and the receipt poller (``guanwu gateway
run``) run as their own processes, as ``guanwu serve`` runs them, while this process declares;
``--in-process`` runs everything in this one process, round by round (CPU time = the work).

SQLite on the embedded defaults, simulator with zero delay and no random rejection or
inspection. The drafts (2 goods items each, the demo's T-shirt export) are created first and
not timed; the clock runs from the first 申报 until every declaration is released: rules check,
DecMessage build + XSD validation, outbox write, the simulator taking each file (XSD, codes,
tariff, elements, manifest), its receipts, and the gateway applying every receipt once.
Target: 1,000 declarations <= 60 s.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

os.environ.setdefault("GUANWU_SIMULATOR_DELAY_SECONDS", "0")
os.environ.setdefault("GUANWU_SIMULATOR_REJECTION_RATE", "0")
os.environ.setdefault("GUANWU_SIMULATOR_INSPECTION_RATE", "0")

from _setup import demo_actor, django_setup


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--declarations", type=int, default=1000)
    parser.add_argument("--in-process", action="store_true")
    args = parser.parse_args()
    django_setup()

    from django.db import transaction

    from guanwu.declarations import services
    from guanwu.declarations.demo import demo_payloads
    from guanwu.declarations.models import Declaration, DeclarationStatus, Receipt
    from guanwu.gateway.services import poll_once
    from guanwu.simulator.demo import create_demo_manifests
    from guanwu.simulator.engine import run_once

    actor = demo_actor()
    create_demo_manifests()
    payload = demo_payloads(actor.enterprise)[0][1]  # the T-shirt export, 2 items
    Declaration.objects.all().delete()
    start = time.perf_counter()
    with transaction.atomic():
        ids = [services.create_draft(actor, payload).pk for _ in range(args.declarations)]
    created = time.perf_counter() - start

    children = []
    if not args.in_process:
        guanwu = [sys.executable, "-m", "guanwu.cli"]
        children = [
            subprocess.Popen([*guanwu, "simulator", "run", "--interval", "0.2"], stdout=subprocess.DEVNULL),
            subprocess.Popen([*guanwu, "gateway", "run", "--interval", "0.2"], stdout=subprocess.DEVNULL),
        ]
        time.sleep(3)  # let them start
    start, cpu_start = time.perf_counter(), time.process_time()
    for pk in ids:
        services.declare(actor, pk)  # each in its own transaction; the file is written at commit
    declared = time.perf_counter() - start
    rounds = 0
    done = (DeclarationStatus.RELEASED, DeclarationStatus.CLOSED)
    try:
        while Declaration.objects.filter(pk__in=ids).exclude(status__in=done).exists() and rounds < 3000:
            if args.in_process:
                run_once()
                poll_once()
            else:
                time.sleep(0.2)
            rounds += 1
    finally:
        for child in children:
            child.send_signal(signal.SIGTERM)  # SIGINT is ignored by children of a background shell
        for child in children:
            child.wait(timeout=30)
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    load = os.getloadavg()[0]
    released = Declaration.objects.filter(pk__in=ids, status__in=done).count()
    receipts = Receipt.objects.filter(declaration_id__in=ids).count()
    print(f"declarations:            {args.declarations} (2 items each); drafts created in {created:.1f} s")
    print(f"declare (rules+XSD+file): {declared:.1f} s ({args.declarations / declared:.0f}/s)")
    mode = "in one process" if args.in_process else "simulator and poller in their own processes"
    print(f"declared -> released:     {total:.1f} s wall time, {mode} (target <= 60 s)")
    print(f"                          {cpu:.1f} s CPU time here; load average {load:.1f} on {os.cpu_count()} cores")
    print(f"released or closed:       {released}/{args.declarations}; receipts applied: {receipts}")


if __name__ == "__main__":
    main()
