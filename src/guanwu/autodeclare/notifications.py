"""Events of 智能辅助申报 pushed to the enterprise (filled in by the notifications part)."""

from __future__ import annotations


def batch_finished(batch) -> None:
    """A batch closed; nothing is pushed for it yet."""


def run_stopped(run) -> None:
    """A run stopped."""
