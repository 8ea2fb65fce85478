"""The simulated single-window client and customs, working on the gateway folders only.

``run_once(now=None) -> int`` does one round and returns how many actions it took: each
finished ``outbox/*.xml`` is taken by the customs side of its message family
(:mod:`.families`: the 报关单 side answers DecMessages with DecImportResponse and DEC_RESULT,
see :mod:`.families.dec`), then every family moves what it has received one step. A file that
cannot be handled is answered with a failed import in its family's form and never stops the
round. Settings and receipt writing: :mod:`.exchange`.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from guanwu.gateway import folders

from . import families
from .exchange import delay_seconds, inspection_rate, rejection_rate, seed

__all__ = ["delay_seconds", "inspection_rate", "rejection_rate", "run_once", "run_until_idle", "seed"]

log = logging.getLogger(__name__)


def run_once(now: dt.datetime | None = None) -> int:
    """One round: take every outbox file, then move every family's due work one step."""
    now = now or timezone.now()
    actions = 0
    for path in folders.ready_files(folders.OUTBOX):
        try:
            actions += families.take_file(path, now)
        except Exception as exc:  # one bad file must not stop the simulator
            log.exception("simulator could not take %s", path.name)
            actions += families.refuse_after_error(path, now, exc)
    return actions + families.advance(now)


def run_until_idle(max_rounds: int = 50, now: dt.datetime | None = None) -> int:
    """Rounds until nothing is left to do (with delay 0: every declaration reaches its end)."""
    total = 0
    for _ in range(max_rounds):
        done = run_once(now)
        total += done
        if not done:
            break
    return total
