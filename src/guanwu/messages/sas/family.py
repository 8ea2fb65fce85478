"""The 加工贸易 (SAS/NEMS, 金关二期) family in the message registry.

Its document roots (``Signature``, ``Package``, ``{xmldsig}Package``, ``CommonResponeMessage``)
say the family; the message type is inside the envelope (:func:`.identify.type_of`).
"""

from __future__ import annotations

from ..common import local_name, namespace_of
from ..registry import Family
from .identify import DOCUMENT_ROOTS, type_of

FAMILY = Family(
    name="sas",
    title="加工贸易",
    roots={(namespace_of(root), local_name(root)): "" for root in DOCUMENT_ROOTS},
    message_type=type_of,
)
