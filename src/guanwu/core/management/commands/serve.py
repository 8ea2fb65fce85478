"""`guanwu serve`: set up on first start, then run web server, worker and the other processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from guanwu.core import demo, processes
from guanwu.core.processes import SERVE_PROCESSES
from guanwu.core.setup import ensure_ready

from .demo import print_logins


class Command(BaseCommand):
    help = "启动关务平台: 数据库迁移、载入参数、演示数据, 然后运行 Web 服务、后台任务和海关模拟器"

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("GUANWU_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("GUANWU_PORT", "8000")))
        parser.add_argument("--web-workers", type=int, default=int(os.environ.get("GUANWU_WEB_WORKERS", "2")))
        parser.add_argument("--no-demo", action="store_true", help="不创建演示数据")
        parser.add_argument(
            "--no-simulator", action="store_true",
            help="不启动海关模拟器 (生产环境: 网关目录由真实的单一窗口客户端处理)",
        )

    def handle(self, *args, **opts):
        say = self.stdout.write
        ensure_ready(say)
        if not opts["no_demo"]:
            demo.create_demo(say)
        call_command("collectstatic", interactive=False, verbosity=0)
        env = {**os.environ, "GUANWU_DATA_DIR": str(settings.DATA_DIR)}
        host = "127.0.0.1" if opts["host"] in {"0.0.0.0", "::"} else opts["host"]
        # links in notification e-mails point here unless GUANWU_SITE_URL names the public address
        env.setdefault("GUANWU_SITE_URL", f"http://{host}:{opts['port']}")
        guanwu = [sys.executable, "-m", "guanwu.cli"]
        children: dict[str, subprocess.Popen] = {}
        bind = f"{opts['host']}:{opts['port']}"
        children["web"] = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "guanwu.wsgi:application", "--bind", bind,
             "--workers", str(opts["web_workers"]), "--threads", "4", "--timeout", "120",
             "--access-logfile", "-" if settings.DEBUG else "/dev/null", "--log-level", "warning",
             "--config", "python:guanwu.classify.warmup"],
            env=env,
        )
        for name, argv in SERVE_PROCESSES.items():
            if name == "simulator" and opts["no_simulator"]:
                continue
            children[name] = subprocess.Popen([*guanwu, *argv], env=env)
        say("")
        say(self.style.SUCCESS(f"关务平台已启动: http://{host}:{opts['port']}/"))
        say(f"数据目录: {settings.DATA_DIR}")
        if not opts["no_demo"]:
            print_logins(say)
        say("按 Ctrl-C 停止。")
        self._wait(children)

    def _wait(self, children: dict[str, subprocess.Popen]) -> None:
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        # Also set for SIGINT: a process started in the background of a non-interactive shell
        # inherits SIGINT as ignored, and Ctrl-C / `kill -INT` would then leave everything running.
        signal.signal(signal.SIGINT, stop)
        try:
            watched = dict(children)
            while not stopping:
                for name, proc in list(watched.items()):
                    if proc.poll() is None:
                        continue
                    if name in processes.ONCE:  # a start-up job done: the others go on
                        del watched[name]
                        if proc.returncode:
                            self.stderr.write(f"启动任务 {name} 失败 (代码 {proc.returncode}), 其他进程继续运行")
                        continue
                    self.stderr.write(f"进程 {name} 已退出 (代码 {proc.returncode}), 正在停止全部进程")
                    stopping = True
                    break
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        self.stdout.write("正在停止 ...")
        for proc in children.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for proc in children.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
        self.stdout.write("已停止。")
