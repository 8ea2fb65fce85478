"""What the standards library adds to the checker: the 不规范 reasons customs gave the enterprise
for a 商品编号 (warnings) and the public library's 规范 examples for it (suggestions).

The library itself (reviewed rows, the enterprise library, the public library) is built in
``standards.services.reasons`` and ``standards.services.public``:
``reasons.for_code(enterprise, code_ts)`` and ``public.examples(code_ts, limit)``. This module is
the seam between them and the checker: it adapts what they answer to checker findings and to
``{"elements": [{"element", "value"}]}`` examples, and answers nothing while they are absent
(``LIBRARY_READY`` says which).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from typing import Any

from .registry import WARNING, Finding

REASONS = "reasons"  # Finding.rule of a customs reason


def _library(name: str) -> Any:
    """``standards.services.<name>`` when the library provides it, else None."""
    try:
        return importlib.import_module(f"{__package__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.{name}":
            raise
        return None


def library_ready() -> dict[str, bool]:
    reasons, public = _library("reasons"), _library("public")
    return {"reasons": hasattr(reasons, "for_code"), "examples": hasattr(public, "examples")}


def _get(row: Any, *names: str) -> Any:
    for name in names:
        value = row.get(name) if isinstance(row, Mapping) else getattr(row, name, None)
        if value not in (None, ""):
            return value
    return None


def customs_reasons(enterprise: Any, code_ts: str) -> list[Finding]:
    """The 不规范 reasons customs gave ``enterprise`` for ``code_ts``, as warnings on their
    element ("" when the reason names none): "海关审核曾认定不规范: <reason>"; each reason once."""
    module = _library("reasons")
    if enterprise is None or module is None or not hasattr(module, "for_code"):
        return []
    found: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for row in module.for_code(enterprise, code_ts) or ():
        if isinstance(row, str):
            element, reason = "", row
        else:
            element = str(_get(row, "element", "element_name", "name") or "")
            reason = str(_get(row, "reason", "message", "text") or "")
        if not reason or (element, reason) in seen:
            continue
        seen.add((element, reason))
        found.append(Finding(element, WARNING, f"海关审核曾认定本企业该商品编号的申报不规范: {reason}", REASONS))
    return found


def public_examples(code_ts: str, names: Iterable[str], limit: int = 5) -> list[dict[str, Any]]:
    """Up to ``limit`` 规范 examples of the public library for ``code_ts``, each
    ``{"g_model": text, "elements": [{"element", "value"}]}`` with the elements named in the
    order of ``names`` (the code's elements today); no enterprise or party field."""
    module = _library("public")
    if module is None or not hasattr(module, "examples"):
        return []
    names = list(names)
    out: list[dict[str, Any]] = []
    for row in module.examples(code_ts, limit) or ():
        g_model = row if isinstance(row, str) else _get(row, "g_model", "elements_text", "elements")
        if isinstance(g_model, Mapping):  # already {name: value}
            values = [str(g_model.get(n, "")) for n in names]
            g_model = "|".join(values)
        elif isinstance(g_model, str):
            values = g_model.split("|")
        else:
            continue
        out.append({"g_model": g_model,
                    "elements": [{"element": n, "value": v.strip()} for n, v in zip(names, values, strict=False)]})
        if len(out) >= limit:
            break
    return out
