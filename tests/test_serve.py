"""`guanwu serve` on a fresh data dir: sets itself up, serves, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.xdist_group("serve")
def test_serve_starts_everything_on_a_fresh_data_dir_and_stops_on_ctrl_c(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "PYTEST_XDIST_WORKER"}}
    env.update(GUANWU_DATA_DIR=str(tmp_path / "data"), GUANWU_WEB_WORKERS="1", PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "guanwu.cli", "serve", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    output: list[str] = []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            output.append(line)
            if "按 Ctrl-C 停止" in line:
                break
        text = "".join(output)
        assert f"http://127.0.0.1:{port}/" in text, text
        assert "a_admin" in text and "b_operator" in text and "guanwu-demo" in text
        body = ""
        for _ in range(60):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    body = response.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert '"status": "ok"' in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as response:
            page = response.read().decode()
        assert "登录" in page
        css = page.split('href="')[1].split('"')[0]  # the hashed bootstrap stylesheet
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{css}", timeout=5) as response:
            assert response.status == 200
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            rest, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert "已停止" in rest
    assert proc.returncode == 0


def test_a_start_up_job_that_ends_does_not_stop_the_others(monkeypatch, capsys):
    """`guanwu serve` runs the suggester's index build as a start-up job (``add_process(...,
    once=True)``): its end, even a failure, leaves the others running; any other process ending
    stops everything."""
    from guanwu.core import processes
    from guanwu.core.management.commands.serve import Command

    monkeypatch.setattr(processes, "ONCE", {"built", "failed"})
    children = {
        "built": subprocess.Popen([sys.executable, "-c", "pass"]),
        "failed": subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"]),
        "web": subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3)"]),
        "worker": subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]),
    }
    handlers = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    try:
        started = time.monotonic()
        Command()._wait(children)
        elapsed = time.monotonic() - started
    finally:
        signal.signal(signal.SIGTERM, handlers[0])
        signal.signal(signal.SIGINT, handlers[1])
        for proc in children.values():
            if proc.poll() is None:
                proc.kill()
    err = capsys.readouterr().err
    assert "启动任务 failed 失败 (代码 3), 其他进程继续运行" in err
    assert "built" not in err
    assert "进程 web 已退出 (代码 0), 正在停止全部进程" in err
    assert elapsed >= 2.5  # it waited for the web process, not for the first job to end
    assert children["worker"].poll() is not None  # and then stopped the others
