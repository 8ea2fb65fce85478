"""Events of 智能辅助申报 pushed to the enterprise (filled in by the notifications part)."""

from __future__ import annotations


def batch_finished(batch) -> None:
    """A batch closed."""


def run_stopped(run) -> None:
    """A run stopped."""


def receipt_applied(receipt) -> None:
    """A receipt of an auto-declared declaration was applied."""
