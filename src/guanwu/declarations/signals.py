"""What other modules learn from declarations (and ``receipts_applied``, see below).

``declaration_accepted`` and ``declaration_released`` are sent after the transaction that
applied the receipt commits, with ``declarations`` (a list of Declaration) as argument: the
receipt poller applies a round of receipts and sends each signal once for all of them. The
commodity library learns its goods from them, licences are consumed on release.
Receivers must not assume they run in the receipt's transaction; a failing receiver is logged
and never undoes the receipt (``send_robust``).

The declarations are loaded with the fields receipts need (see ``services.receipts.LOADED``);
a receiver reading other fields costs a query per declaration, so it should load what it
needs in one query.
"""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import Signal

from guanwu.core.aftercommit import on_commit_collected

log = logging.getLogger(__name__)

declaration_accepted = Signal()
declaration_released = Signal()
# Sent inside the transaction that recorded them, with ``receipts`` (the new Receipt rows, their
# ``declaration`` loaded as above): what must commit with the receipts (申报记录 lines) listens here.
receipts_applied = Signal()
# Sent inside the transaction of 修改 (``services.update_draft``), with ``declaration`` (saved),
# ``before`` and ``after`` (its ``payload.DeclarationData`` before and after) and ``actor``:
# what depends on the declaration's content (a tax confirmation) is invalidated here, with the
# change, never later by a read. A receiver's error rolls the change back.
draft_updated = Signal()
# Sent inside the transaction of 申报 (``services.declare``), with ``declaration``, ``actor``,
# ``previous_status`` and ``automatic`` (True when the auto-declaration engine declared it,
# False for 申报 by hand, in a page or the API). A receiver's error rolls the 申报 back.
declaration_declared = Signal()


def send(signal: Signal, declarations: list[Any]) -> None:
    """Send ``signal`` now for ``declarations``; receivers' errors are logged."""
    if not declarations:
        return
    for receiver, result in signal.send_robust(sender=type(declarations[0]), declarations=declarations):
        if isinstance(result, Exception):
            log.error("declaration signal receiver %r failed: %s", receiver, result, exc_info=result)


def send_after_commit(signal: Signal, declaration: Any) -> None:
    """Send ``signal`` for ``declaration`` once the current transaction commits (collected
    with the others of the round inside ``guanwu.core.aftercommit.collecting()``)."""
    on_commit_collected(("declaration-signal", id(signal)), declaration, lambda items: send(signal, items))
