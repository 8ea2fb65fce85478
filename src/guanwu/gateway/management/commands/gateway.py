"""`guanwu gateway poll|run|status`: the gateway poller outside the worker."""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from guanwu.gateway import folders, services
from guanwu.gateway.models import GatewayError
from guanwu.gateway.tasks import poll_interval, poll_locked


def _summary(counts: dict[str, int]) -> str:
    return (
        f"写出报文 {counts.get('written', 0)} 个, 处理回执 {counts.get('done', 0)} 个, "
        f"失败 {counts.get('failed', 0)} 个"
    )


class Command(BaseCommand):
    help = "报文交换: poll 处理一次发件箱和收件箱; run 循环处理 (Ctrl-C 停止); status 查看状态"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{poll,run,status}")
        sub.add_parser("poll", help="写出待发送报文并处理收到的回执, 一次")
        run = sub.add_parser("run", help="循环处理, 直到 Ctrl-C")
        run.add_argument("--interval", type=float, default=None, help="间隔秒数 (默认 GUANWU_GATEWAY_POLL_SECONDS)")
        sub.add_parser("status", help="显示发件箱、收件箱和错误数")

    def handle(self, *args, **opts):
        action = opts["action"]
        if action == "poll":
            counts = poll_locked()
            if counts is None:
                raise CommandError("另一个进程正在处理报文交换, 请稍后再试")
            self.stdout.write(_summary(counts))
        elif action == "run":
            self._run(opts["interval"] or poll_interval())
        else:
            self._status()

    def _run(self, interval: float) -> None:
        stop = threading.Event()
        previous = None
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
        self.stdout.write(f"报文交换目录: {folders.gateway_dir()}, 每 {interval:g} 秒处理一次, 按 Ctrl-C 停止")
        try:
            while not stop.is_set():
                counts = poll_locked()
                if counts and any(counts.values()):
                    self.stdout.write(_summary(counts))
                stop.wait(interval)
        except KeyboardInterrupt:
            pass
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
        self.stdout.write("报文交换已停止")

    def _status(self) -> None:
        counts = services.outbox_counts()
        inbox = len(folders.ready_files(folders.INBOX))
        errors = GatewayError.objects.filter(resolved=False).count()
        self.stdout.write(f"报文交换目录: {folders.gateway_dir()}")
        self.stdout.write(f"待写出 {counts['pending']} 个, 已写出 {counts['written']} 个")
        self.stdout.write(f"收件箱待处理 {inbox} 个, 未处理错误 {errors} 个")
        self.stdout.write(f"已注册回执处理程序: {', '.join(services.registered_tags()) or '无'}")
