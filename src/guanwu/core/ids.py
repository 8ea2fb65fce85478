"""Row ids as a request names them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# Row ids are 64-bit signed integers in every database we run on; SQLite cannot even be asked
# about a larger one (``pk__in`` raises OverflowError where ``pk=`` finds nothing).
MAX_ID = 2**63 - 1


def possible_ids(ids: Iterable[Any]) -> list[int]:
    """The ids of ``ids`` that a row could have (whole numbers 1..MAX_ID); the others name no row."""
    out = []
    for pk in ids:
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            continue
        if 0 < pk <= MAX_ID:
            out.append(pk)
    return out
