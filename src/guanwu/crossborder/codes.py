"""The code sets the CEB messages use, checked against the platform's parameter tables.

The CEB messages carry the old numeric 报关 codes (spec 202205: 币制 "按海关规定的参数代码表填写",
the official samples write 142 人民币 and 502 美国; the seed's 清单详情 shows 人民币[142], 美国[502],
航空运输[5], 木箱[1]), while the parameter tables are keyed by the current codes (CNY, USA) and
keep the old ones beside them (``old_code``). A value is accepted as the old code, the current
code, a picker's "代码 - 名称" or the exact name, and stored as the old code.

Tables (slug: what CEB writes): currencies (C3: 142), countries (C3: 502), units (C3: 011, the
same code in both systems), transport-modes (C1: 5), wrap-types (C1: the old one-character code).
"""

from __future__ import annotations

from guanwu.params import index

CURRENCY, COUNTRY, UNIT, TRANSPORT, WRAP = "currencies", "countries", "units", "transport-modes", "wrap-types"
# what the table keys the CEB code by: the old code, or the code itself (units)
_OLD = {CURRENCY: True, COUNTRY: True, UNIT: False, TRANSPORT: True, WRAP: True}
LABELS = {CURRENCY: "币制", COUNTRY: "国家(地区)", UNIT: "计量单位", TRANSPORT: "运输方式", WRAP: "包装种类"}


def _maps(slug: str) -> tuple[dict[str, str], dict[str, str]]:
    """(CEB code -> name, any accepted spelling -> CEB code) of a table; empty when not loaded."""
    idx = index.table(slug)
    if idx is None:
        return {}, {}
    cached = getattr(idx, "_ceb_maps", None)
    if cached is not None:
        return cached
    names: dict[str, str] = {}
    spellings: dict[str, str] = {}
    for e in idx.entries:
        code = (e.old_code if _OLD[slug] else e.code).strip()
        if not code or (_OLD[slug] and not code.isdigit()):
            continue
        names.setdefault(code, e.name)
        for key in (code, e.code.upper(), e.name):
            spellings.setdefault(key, code)
    cached = (names, spellings)
    idx._ceb_maps = cached  # type: ignore[attr-defined]  (rebuilt with the index)
    return cached


def ceb_code(slug: str, value: object) -> str | None:
    """The CEB code for ``value`` (old code, current code, "代码 - 名称", name); None when unknown.
    An empty value gives ""."""
    if value is None:
        return ""
    text = str(value).strip()
    if not text:
        return ""
    if " - " in text:
        text = text.split(" - ", 1)[0].strip()
    names, spellings = _maps(slug)
    if not names:  # tables not loaded (a fresh database): take the code as given
        return text
    return spellings.get(text) or spellings.get(text.upper())


def ceb_name(slug: str, code: str) -> str:
    return _maps(slug)[0].get(code or "", "")


def display(slug: str, code: str) -> str:
    """``美国[502]`` as the seed's 清单详情 shows codes; the bare code when unknown; "" for none."""
    if not code:
        return ""
    name = ceb_name(slug, code)
    return f"{name}[{code}]" if name else code


def problem(slug: str, value: object) -> tuple[str, str]:
    """(the CEB code, "") or ("", Chinese reason) for a code field's value."""
    code = ceb_code(slug, value)
    if code is None:
        return "", f"{LABELS[slug]}代码“{value}”不在参数表中"
    return code, ""
