"""Work after commit, collected: one call with every item instead of one call per item.

``on_commit_collected(key, item, flush)`` is ``transaction.on_commit(lambda: flush([item]))``,
except inside ``collecting()``: there the items of every transaction that commits within the
block are gathered per ``key`` and ``flush(items)`` runs once per key when the block ends.
Items of a transaction (or savepoint) that rolls back are dropped, as Django drops their
``on_commit`` callbacks. The receipt poller applies hundreds of receipts per round in a block,
so what learns from declarations runs once per round with all of them.

A failing ``flush`` is logged and does not stop the others: the changes are committed already.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction

log = logging.getLogger(__name__)

_state = threading.local()


def _pending() -> dict[Hashable, tuple[Callable[[list[Any]], None], list[Any]]] | None:
    return getattr(_state, "pending", None)


def on_commit_collected(key: Hashable, item: Any, flush: Callable[[list[Any]], None]) -> None:
    """After the current transaction commits: ``flush([item])``, or collect it in ``collecting()``."""

    def committed() -> None:
        pending = _pending()
        if pending is None:
            _run(flush, [item])
        else:
            pending.setdefault(key, (flush, []))[1].append(item)

    transaction.on_commit(committed)


@contextmanager
def collecting() -> Iterator[None]:
    """Gather the collected after-commit work of the block and run it once at its end."""
    if _pending() is not None:  # nested: the outer block flushes
        yield
        return
    _state.pending = {}
    try:
        yield
    finally:
        pending, _state.pending = _state.pending, None
        for flush, items in pending.values():
            _run(flush, items)


def _run(flush: Callable[[list[Any]], None], items: list[Any]) -> None:
    try:
        flush(items)
    except Exception:
        log.exception("after-commit work %r failed for %d items", flush, len(items))
