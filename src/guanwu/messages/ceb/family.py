"""The 跨境电商 (CEB) family in the message registry: every CEB root in its namespace."""

from __future__ import annotations

from ..registry import Family
from .common import NAMESPACE
from .parser import EXPORT_ROOTS, IMPORT_ROOTS, ROOT_ALIASES

FAMILY = Family(
    name="ceb",
    title="跨境电商",
    roots={
        **{(NAMESPACE, root): kind for root, kind in {**EXPORT_ROOTS, **IMPORT_ROOTS}.items()},
        **{(NAMESPACE, alias): EXPORT_ROOTS.get(root) or IMPORT_ROOTS.get(root, "") for alias, root in
           ROOT_ALIASES.items()},
    },
)
