"""What other modules learn from declarations.

``declaration_accepted`` and ``declaration_released`` are sent after the transaction that
applied the receipt commits, with ``declaration`` (a Declaration) as argument: the commodity
library learns its goods from them, the standards module compares them with customs data.
Receivers must not assume they run in the receipt's transaction; a failing receiver is logged
and never undoes the receipt (``send_robust``).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

log = logging.getLogger(__name__)

declaration_accepted = Signal()
declaration_released = Signal()


def send_after_commit(signal: Signal, declaration) -> None:
    def send() -> None:
        for receiver, result in signal.send_robust(sender=type(declaration), declaration=declaration):
            if isinstance(result, Exception):
                log.error("declaration signal receiver %r failed: %s", receiver, result, exc_info=result)

    transaction.on_commit(send)
