"""What the standards library adds to the checker: the 不规范 reasons customs gave the enterprise
for a 商品编号 (warnings) and the public library's 规范 examples for it (suggestions).

The library answers them (``reasons.for_code(enterprise, code_ts)``: (element, reason) pairs,
``public.examples(code_ts, limit)``: rows with ``g_model``); this module adapts them to checker
findings and to element-by-element examples. Both come from the 规范申报企业专属库, which an
enterprise uses only after its authorisation (``access``): before that they answer nothing,
while the checker's own rules keep working for everyone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import access, public, reasons
from .registry import WARNING, Finding

REASONS = "reasons"  # Finding.rule of a customs reason
SAID = "海关审核曾认定本企业该商品编号的申报不规范: "


def customs_reasons(enterprise: Any, code_ts: str) -> list[Finding]:
    """The 不规范 reasons customs gave ``enterprise`` for ``code_ts``, as warnings on their
    element ("" when the reason names none), each once; none before the authorisation."""
    if enterprise is None or not access.is_authorised(enterprise):
        return []
    found: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for element, reason in reasons.for_code(enterprise, code_ts):
        if not reason or (element, reason) in seen:
            continue
        seen.add((element, reason))
        found.append(Finding(element or "", WARNING, SAID + reason, REASONS))
    return found


def public_examples(enterprise: Any, code_ts: str, names: Iterable[str], limit: int = 5) -> list[dict[str, Any]]:
    """Up to ``limit`` 规范 examples of the public library for ``code_ts``, each
    ``{"g_model": text, "elements": [{"element", "value"}]}`` with the elements named in the
    order of ``names`` (the code's elements today); no enterprise or party field; none before
    the enterprise's authorisation."""
    if enterprise is None or not access.is_authorised(enterprise):
        return []
    names = list(names)
    out: list[dict[str, Any]] = []
    for row in public.examples(code_ts, limit):
        g_model = row.get("g_model") or ""
        if not g_model:
            continue
        values = g_model.split("|")
        out.append({"g_model": g_model,
                    "elements": [{"element": n, "value": v.strip()} for n, v in zip(names, values, strict=False)]})
    return out[:limit]
