"""Processes that `guanwu serve` runs beside the web server. Modules add theirs here
(the customs simulator adds its processing loop), as `guanwu` sub-command argument lists."""

from __future__ import annotations

SERVE_PROCESSES: dict[str, list[str]] = {
    "worker": ["run_huey", "--quiet"],
}


def add_process(name: str, argv: list[str]) -> None:
    SERVE_PROCESSES[name] = argv
