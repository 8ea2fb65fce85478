"""`guanwu simulator run|once|status|manifest add|manifest list|arrival add|arrival list`."""

from __future__ import annotations

import datetime as dt
import signal
import threading
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import timezone

from guanwu.gateway import folders
from guanwu.params import services as params
from guanwu.params.enums import IEFlag
from guanwu.simulator import engine
from guanwu.simulator.models import (
    ArrivalReport,
    CebKind,
    CebState,
    Manifest,
    SimCebDocument,
    SimDeclaration,
    SimSasBook,
    SimSasMessage,
    SimSasState,
    SimState,
)


class Command(BaseCommand):
    help = "海关模拟器: run 循环处理 (Ctrl-C 停止); once 处理一轮; manifest/arrival 维护舱单和运抵报告"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{run,once,status,manifest,arrival}")
        run = sub.add_parser("run", help="每秒处理一轮, 直到 Ctrl-C")
        run.add_argument("--interval", type=float, default=1.0, help="间隔秒数 (默认 1)")
        sub.add_parser("once", help="处理一轮: 读取发件箱、发出到期的回执")
        sub.add_parser("status", help="各状态的报关单数")

        manifest = sub.add_parser("manifest", help="舱单")
        msub = manifest.add_subparsers(dest="manifest_action", required=True, metavar="{add,list}")
        add = msub.add_parser("add", help="新增或更新舱单")
        add.add_argument("--bill-no", required=True, help="提运单号")
        # Options left out keep the stored values of an existing manifest.
        add.add_argument("--traf-mode", help="运输方式代码 (2 水路, 5 航空; 新增时默认 2)")
        add.add_argument("--traf-name", help="运输工具名称 (船名/航班号)")
        add.add_argument("--voyage", help="航次号")
        add.add_argument("--gross-wt", help="毛重(千克)")
        add.add_argument("--pack-no", type=int, help="件数")
        add.add_argument("--ie-flag", choices=["I", "E"], help="进出口 (I/E, 新增时默认 I)")
        add.add_argument("--customs", help="关区代码 (4位)")
        msub.add_parser("list", help="列出舱单")

        arrival = sub.add_parser("arrival", help="运抵报告")
        asub = arrival.add_subparsers(dest="arrival_action", required=True, metavar="{add,list}")
        aadd = asub.add_parser("add", help="新增运抵报告")
        aadd.add_argument("--bill-no", required=True, help="提运单号")
        aadd.add_argument("--customs", default="", help="关区代码 (4位)")
        aadd.add_argument("--location", default="", help="监管场所/存放地点")
        aadd.add_argument("--arrived-at", default="", help="运抵时间 YYYY-MM-DD HH:MM (默认现在)")
        asub.add_parser("list", help="列出运抵报告")

    def handle(self, *args, **opts):
        action = opts["action"]
        if action == "run":
            self._run(opts["interval"])
        elif action == "once":
            self.stdout.write(f"处理 {engine.run_once()} 项")
        elif action == "status":
            self._status()
        elif action == "manifest":
            self._manifest_add(opts) if opts["manifest_action"] == "add" else self._manifest_list()
        else:
            self._arrival_add(opts) if opts["arrival_action"] == "add" else self._arrival_list()

    # -- loop ------------------------------------------------------------------------------

    def _run(self, interval: float) -> None:
        stop = threading.Event()
        previous = None
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
        self.stdout.write(
            f"海关模拟器已启动: 目录 {folders.gateway_dir()}, 回执间隔 {engine.delay_seconds():g} 秒, "
            f"查验率 {engine.inspection_rate():.0%}, 退单率 {engine.rejection_rate():.0%}; 按 Ctrl-C 停止"
        )
        try:
            while not stop.is_set():
                try:
                    done = engine.run_once()
                except Exception as exc:  # keep serving; the next round retries
                    self.stderr.write(f"模拟器处理出错: {exc}")
                    done = 0
                if done:
                    self.stdout.write(f"{timezone.localtime():%H:%M:%S} 处理 {done} 项")
                stop.wait(max(0.05, interval))
        except KeyboardInterrupt:
            pass
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
        self.stdout.write("海关模拟器已停止")

    def _status(self) -> None:
        labels = dict(SimState.choices)
        rows = SimDeclaration.objects.order_by().values("state").annotate(n=Count("id"))
        counts = {row["state"]: row["n"] for row in rows}
        parts = [f"{labels[s]} {counts.get(s, 0)}" for s in SimState.values]
        self.stdout.write("报关单: " + ", ".join(parts))
        sas = dict(SimSasMessage.objects.order_by().values_list("state").annotate(n=Count("id")))
        sas_labels = dict(SimSasState.choices)
        self.stdout.write("加工贸易报文: " + ", ".join(f"{sas_labels[s]} {sas.get(s, 0)}" for s in SimSasState.values)
                          + f"; 已批账册/资质 {SimSasBook.objects.count()} 本")
        ceb_labels, kinds = dict(CebState.choices), dict(CebKind.choices)
        for kind in (CebKind.ORDER, CebKind.LIST, CebKind.SUMMARY):
            ceb = dict(SimCebDocument.objects.filter(kind=kind).order_by().values_list("state").annotate(n=Count("id")))
            if ceb:
                states = ", ".join(f"{ceb_labels[s]} {n}" for s, n in ceb.items())
                self.stdout.write(f"跨境电商{kinds[kind]}: {states}")
        self.stdout.write(f"舱单 {Manifest.objects.count()} 票, 运抵报告 {ArrivalReport.objects.count()} 票")

    # -- manifests -------------------------------------------------------------------------

    def _manifest_add(self, opts) -> None:
        bill_no = opts["bill_no"].strip()
        if not bill_no:
            raise CommandError("提运单号不能为空")
        values: dict[str, object] = {}
        if opts["traf_mode"] is not None:
            traf_mode = opts["traf_mode"].strip()
            if params.table_exists("transport-modes") and not params.code_exists("transport-modes", traf_mode):
                raise CommandError(f"运输方式代码 {traf_mode} 不存在")
            values["traf_mode"] = traf_mode
        if opts["customs"] is not None:
            customs = opts["customs"].strip()
            known = not params.table_exists("customs-offices") or params.code_exists("customs-offices", customs)
            if customs and not known:
                raise CommandError(f"关区代码 {customs} 不存在")
            values["customs_code"] = customs
        if opts["gross_wt"] is not None:
            try:
                gross_wt = Decimal(opts["gross_wt"]) if opts["gross_wt"] else None
            except InvalidOperation:
                raise CommandError(f"毛重应为数字: {opts['gross_wt']}") from None
            if gross_wt is not None and (not gross_wt.is_finite() or gross_wt < 0):
                raise CommandError("毛重应为不小于0的数字")
            values["gross_wt"] = gross_wt
        if opts["pack_no"] is not None:
            if opts["pack_no"] < 0:
                raise CommandError("件数不能为负数")
            values["pack_no"] = opts["pack_no"]
        for option, field in (("traf_name", "traf_name"), ("voyage", "voyage_no"), ("ie_flag", "i_e_flag")):
            if opts[option] is not None:
                values[field] = opts[option].strip()
        manifest, created = Manifest.objects.update_or_create(bill_no=bill_no, defaults=values)
        self.stdout.write(f"{'已新增' if created else '已更新'}舱单 {manifest.bill_no}")

    def _manifest_list(self) -> None:
        modes = params.codes("transport-modes") if params.table_exists("transport-modes") else {}
        ie = dict(IEFlag.choices)
        manifests = Manifest.objects.order_by("bill_no")
        if not manifests:
            self.stdout.write("没有舱单")
            return
        self.stdout.write("提运单号\t运输方式\t运输工具\t航次\t毛重\t件数\t进出口\t关区")
        for m in manifests:
            self.stdout.write("\t".join(str(v) for v in (
                m.bill_no, f"{m.traf_mode} {modes.get(m.traf_mode, '')}".strip(), m.traf_name, m.voyage_no,
                "" if m.gross_wt is None else m.gross_wt.normalize(), "" if m.pack_no is None else m.pack_no,
                ie.get(m.i_e_flag, m.i_e_flag), m.customs_code,
            )))

    # -- arrivals --------------------------------------------------------------------------

    def _arrival_add(self, opts) -> None:
        bill_no = opts["bill_no"].strip()
        if not bill_no:
            raise CommandError("提运单号不能为空")
        arrived_at = timezone.now()
        if opts["arrived_at"]:
            try:
                arrived_at = timezone.make_aware(dt.datetime.fromisoformat(opts["arrived_at"]))
            except ValueError:
                raise CommandError("运抵时间格式应为 YYYY-MM-DD HH:MM") from None
        manifest = Manifest.objects.filter(bill_no=bill_no).first()
        customs = opts["customs"].strip() or (manifest.customs_code if manifest else "")
        report = ArrivalReport.objects.create(
            bill_no=bill_no, customs_code=customs, location=opts["location"], arrived_at=arrived_at
        )
        self.stdout.write(f"已新增运抵报告 {report.bill_no}")
        if manifest is None:
            self.stdout.write(self.style.WARNING(f"注意: 舱单中没有提运单号 {bill_no}"))

    def _arrival_list(self) -> None:
        reports = ArrivalReport.objects.order_by("-arrived_at", "-id")
        if not reports:
            self.stdout.write("没有运抵报告")
            return
        self.stdout.write("提运单号\t运抵时间\t关区\t地点")
        for r in reports:
            self.stdout.write(
                f"{r.bill_no}\t{timezone.localtime(r.arrived_at):%Y-%m-%d %H:%M}\t{r.customs_code}\t{r.location}"
            )
