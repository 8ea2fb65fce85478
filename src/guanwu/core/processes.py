"""Processes that `guanwu serve` runs beside the web server. Modules add theirs here
(the customs simulator adds its processing loop), as `guanwu` sub-command argument lists.
A process added with ``once=True`` does a job at start-up and exits (the suggester builds its
index): its exit does not stop the others."""

from __future__ import annotations

SERVE_PROCESSES: dict[str, list[str]] = {
    "worker": ["run_huey", "--quiet"],
}
ONCE: set[str] = set()


def add_process(name: str, argv: list[str], once: bool = False) -> None:
    SERVE_PROCESSES[name] = argv
    if once:
        ONCE.add(name)
