"""The 报关单 family in the message registry: DecMessage and its receipts."""

from __future__ import annotations

from ..registry import ANY, Family
from .structure import NAMESPACE

FAMILY = Family(
    name="dec",
    title="报关单",
    roots={
        (NAMESPACE, "DecMessage"): "DecMessage",
        # receipts: DecImportResponse carries the dec namespace, DEC_RESULT/DEC_DATA none; the
        # import client's files are matched without namespace (see receipts.py)
        (ANY, "DecImportResponse"): "DecImportResponse",
        (ANY, "DEC_RESULT"): "DEC_RESULT",
        (ANY, "DEC_DATA"): "DEC_RESULT",
    },
)
