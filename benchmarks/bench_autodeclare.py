#!/usr/bin/env python3
"""智能辅助申报 end to end: N marked declarations (5 goods items each) through one run, with real
Huey consumer processes, the customs simulator (zero delay) and the gateway poller.

    .venv/bin/python benchmarks/bench_autodeclare.py                       # SQLite, one worker
    DATABASE_URL=postgres://postgres@localhost/guanwu_bench_ad REDIS_URL=redis://localhost:6379/0 \\
        .venv/bin/python benchmarks/bench_autodeclare.py --workers 2         # PostgreSQL + Redis, two

The drafts are created and marked first (not timed). The clock starts at 开始申报 (``start_run``)
and reports: the time until every declaration is 申报成功(自动) (declarations/s of the engine:
checks per profile — manifest, arrival, comparison —, rules, DecMessage build and XSD, outbox),
and the wall time until every declaration is released by the simulator, its receipts applied by
the gateway poller (``guanwu gateway run``, its own process). Each worker is a ``guanwu run_huey``
process with one worker thread; the peak resident memory (VmHWM) of each is printed. Target: 1,000 declarations <= 60 s.
"""

from __future__ import annotations

import argparse
import copy
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

os.environ.setdefault("GUANWU_SIMULATOR_DELAY_SECONDS", "0")
os.environ.setdefault("GUANWU_SIMULATOR_REJECTION_RATE", "0")
os.environ.setdefault("GUANWU_SIMULATOR_INSPECTION_RATE", "0")
os.environ.setdefault("GUANWU_GATEWAY_POLL_SECONDS", "0.5")
os.environ.setdefault("GUANWU_QUEUE_NAME", f"bench-ad-{uuid.uuid4().hex[:6]}")

from _setup import ROOT, demo_actor, django_setup


def five_items(payload: dict) -> dict:
    """The demo T-shirt export with 5 goods items (distinct 货号, so no duplicate items)."""
    out = copy.deepcopy(payload)
    base = out["items"][0]
    out["items"] = []
    for n in range(5):
        item = copy.deepcopy(base)
        item["g_model"] = base["g_model"].replace("TS-240", f"TS-24{n}")
        out["items"].append(item)
    out["containers"] = [{**out["containers"][0], "goods_no": "1,2,3,4,5"}]
    return out


def peak_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--declarations", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1, help="consumer processes, one worker thread each")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--kill-after", type=float, default=0,
                        help="SIGKILL the first worker this many seconds after 开始申报 and start it again "
                             "(a restart in the middle of the batch: nothing lost, nothing sent twice)")
    args = parser.parse_args()
    if args.workers > 1 and not os.environ.get("REDIS_URL"):
        print("note: several consumers on SqliteHuey share one queue file; use REDIS_URL for a fair figure")
    os.environ["GUANWU_AUTODECLARE_WORKERS"] = str(args.workers)
    data_dir = django_setup()

    from django.conf import settings
    from django.db import connection, transaction

    from guanwu.autodeclare import services
    from guanwu.autodeclare.models import AutoDeclaration, AutoStatus, Profile, Run
    from guanwu.declarations import services as declarations
    from guanwu.declarations.demo import demo_payloads
    from guanwu.declarations.models import Declaration, DeclarationStatus
    from guanwu.gateway.models import OutboxMessage
    from guanwu.simulator.models import ArrivalReport, Manifest

    actor = demo_actor()  # enterprise A, with the module's demo (enabled, profiles, 7 marked drafts)
    ent = actor.enterprise
    Run.objects.filter(enterprise=ent).delete()
    Profile.objects.filter(enterprise=ent).delete()
    AutoDeclaration.objects.filter(enterprise=ent).delete()  # the demo's marks: not part of the figure
    payload = five_items(demo_payloads(ent)[0][1])
    bill = "MSKU8899000001"
    Manifest.objects.update_or_create(bill_no=bill, defaults={
        "traf_mode": "2", "traf_name": "MAERSK EDMONTON", "voyage_no": "216W", "gross_wt": payload["gross_wet"],
        "pack_no": payload["pack_no"], "i_e_flag": "E", "customs_code": "2248"})
    ArrivalReport.objects.get_or_create(bill_no=bill, defaults={"customs_code": "2248"})
    payload["bill_no"] = bill
    profile = services.create_profile(actor, {
        "name": "基准测试", "ie_flag": "E", "scope": "enterprise", "agent_code": ent.customs_code,
        "auto_confirm": True, "manifest_required": True, "arrival_required": True, "compare_required": True,
        "batch_wait_seconds": 60})
    start = time.perf_counter()
    with transaction.atomic():
        ids = [declarations.create_draft(actor, payload).pk for _ in range(args.declarations)]
    services.mark(actor, ids)
    prepared = time.perf_counter() - start
    print(f"database: {connection.vendor}; queue: {settings.HUEY['huey_class']}; data dir {data_dir}")
    print(f"drafts: {args.declarations} x 5 items created and marked in {prepared:.1f} s (not timed)")

    env = {**os.environ, "GUANWU_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT / "src"),
           "DJANGO_SETTINGS_MODULE": "guanwu.settings", "GUANWU_WORKERS": "1"}
    guanwu = [sys.executable, "-m", "guanwu.cli"]
    consumers = [subprocess.Popen([*guanwu, "run_huey", "--quiet", "--workers", "1"], env=env)
                 for _ in range(args.workers)]
    simulator = subprocess.Popen([*guanwu, "simulator", "run", "--interval", "0.2"], env=env,
                                 stdout=subprocess.DEVNULL)
    # Receipts are applied by the gateway poller; here in its own process, so that the engine's
    # workers are only that (in `guanwu serve` one consumer thread stays free for it).
    gateway = subprocess.Popen([*guanwu, "gateway", "run", "--interval", "0.5"], env=env, stdout=subprocess.DEVNULL)
    try:
        time.sleep(3)  # consumers up
        connection.close()
        t0 = time.perf_counter()
        run = services.start_run(actor, [profile.pk], "agent")
        declared_at = released_at = None
        done = (DeclarationStatus.RELEASED, DeclarationStatus.CLOSED)
        killed = False
        while time.perf_counter() - t0 < args.timeout:
            time.sleep(0.5)
            if args.kill_after and not killed and time.perf_counter() - t0 >= args.kill_after:
                in_hand = AutoDeclaration.objects.filter(auto_status=AutoStatus.DECLARING).count()
                consumers[0].send_signal(signal.SIGKILL)
                consumers[0].wait()
                print(f"worker killed at {time.perf_counter() - t0:.1f} s with {in_hand} declaration(s) in hand; "
                      "starting it again")
                consumers[0] = subprocess.Popen([*guanwu, "run_huey", "--quiet", "--workers", "1"], env=env)
                killed = True
            succeeded = AutoDeclaration.objects.filter(declaration_id__in=ids, auto_status=AutoStatus.SUCCEEDED).count()
            if declared_at is None and succeeded == len(ids):
                declared_at = time.perf_counter() - t0
            released = Declaration.objects.filter(pk__in=ids, status__in=done).count()
            if released == len(ids):
                released_at = time.perf_counter() - t0
                break
        peaks = [peak_kib(p.pid) for p in consumers]
        run.refresh_from_db()
        failed = AutoDeclaration.objects.filter(declaration_id__in=ids, auto_status=AutoStatus.FAILED).count()
        numbers = list(Declaration.objects.filter(pk__in=ids).values_list("client_seq_no", flat=True))
        sent = OutboxMessage.objects.filter(key__in=numbers).count()
        print(f"workers: {args.workers} consumer process(es) x 1 thread")
        if declared_at:
            print(f"all 申报成功(自动):      {declared_at:.1f} s ({len(ids) / declared_at:.0f} declarations/s)")
        else:
            print(f"not all declared within {args.timeout:.0f} s: {succeeded} succeeded, {failed} failed")
        if released_at:
            print(f"all released (wall):    {released_at:.1f} s (target <= 60 s)")
        else:
            print(f"not all released within {args.timeout:.0f} s: {released}/{len(ids)}")
        print(f"run: {run.batch_count} batch(es), {run.total_succeeded} succeeded, {run.total_failed} failed; "
              f"messages in the outbox: {sent} (one per declaration: {sent == len(ids)}); "
              f"distinct ClientSeqNo: {len(set(numbers))}")
        print("peak memory per worker: " + ", ".join(f"{kib / 1024:.0f} MiB" for kib in peaks))
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        services.stop_run(actor, run.pk)
    finally:
        for proc in [*consumers, simulator, gateway]:
            proc.send_signal(signal.SIGTERM)  # SIGINT is ignored by children of a background shell
        for proc in [*consumers, simulator, gateway]:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
