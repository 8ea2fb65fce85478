"""Collected after-commit work: one flush per key for a block, rolled-back items dropped."""

from __future__ import annotations

import pytest
from django.db import transaction

from guanwu.core.aftercommit import collecting, on_commit_collected

pytestmark = pytest.mark.django_db


def test_outside_a_block_each_item_is_flushed_on_its_own(django_capture_on_commit_callbacks):
    calls: list[list[int]] = []
    with django_capture_on_commit_callbacks(execute=True):
        on_commit_collected("k", 1, calls.append)
        on_commit_collected("k", 2, calls.append)
    assert calls == [[1], [2]]


def test_a_block_flushes_each_key_once_without_rolled_back_items(django_capture_on_commit_callbacks):
    calls: list[tuple[str, list[int]]] = []
    with collecting():
        with django_capture_on_commit_callbacks(execute=True):
            on_commit_collected("a", 1, lambda items: calls.append(("a", items)))
            with pytest.raises(RuntimeError), transaction.atomic():  # a receipt that failed: rolled back
                on_commit_collected("a", 2, lambda items: calls.append(("a", items)))
                raise RuntimeError
            on_commit_collected("b", 3, lambda items: calls.append(("b", items)))
            on_commit_collected("a", 4, lambda items: calls.append(("a", items)))
        assert calls == []  # committed, but collected until the block ends
    assert calls == [("a", [1, 4]), ("b", [3])]


def test_a_failing_flush_does_not_stop_the_others(django_capture_on_commit_callbacks):
    calls: list[list[int]] = []

    def boom(items):
        raise ValueError("receiver failed")

    with collecting(), django_capture_on_commit_callbacks(execute=True):
        on_commit_collected("bad", 1, boom)
        on_commit_collected("good", 2, calls.append)
    assert calls == [[2]]
