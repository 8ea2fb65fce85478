"""Code tables and tariff for the other modules: fast, cached look-ups and searches.

Codes are matched in the current (2018+ 关检融合) code system: 美国 is ``USA``, 人民币 ``CNY``.
The old numeric 报关 codes (502, 142) are found by searches but are not valid values in a
declaration; ``normalise`` turns an old code into the current one where the table carries both.
"""

from __future__ import annotations

import datetime as dt

from guanwu.core.errors import NotFound

from . import index, usage
from .index import Entry, Tariff


def _table(slug: str) -> index.TableIndex:
    idx = index.table(slug)
    if idx is None:
        raise NotFound(f"参数表不存在: {slug}")
    return idx


def table_exists(slug: str) -> bool:
    return index.table(slug) is not None


def codes(slug: str) -> dict[str, str]:
    """``{code: name}`` of a table (current codes)."""
    return {e.code: e.name for e in _table(slug).entries}


def code_exists(slug: str, code: str | None) -> bool:
    return bool(code) and _table(slug).get(str(code)) is not None


def code_name(slug: str, code: str | None) -> str | None:
    if not code:
        return None
    entry = _table(slug).get(str(code))
    return entry.name if entry else None


def customs_code_region_error(code: str) -> str | None:
    """海关注册编码 (10 characters): positions 1-4 are the registering enterprise's 行政区划 and 5 its
    经济区划, the first five digits of a 国内地区代码 (境内目的地/货源地 table: ``1108919038`` ->
    ``11089`` 海淀区其他), 6 the 企业经济类型, 7-10 a running number (《海关报关单位备案管理规定》
    and its 编码规则; registrations of special kinds use letters after the fifth place, so only
    the region is checked here). None when the region is a known one."""
    code = (code or "").strip().upper()
    if len(code) != 10 or not code[:5].isdigit():
        return "海关编码前5位应为数字 (企业注册地行政区划代码 + 经济区划代码)"
    idx = _table("districts")
    regions = {e.code[:4] for e in idx.entries if len(e.code) == 5}
    if code[:4] not in regions:
        return f"海关编码前4位 {code[:4]} 不是国内行政区划代码 (应为企业注册地, 如 1108 北京海淀)"
    return None


def normalise(slug: str, value: str | None) -> str | None:
    """The current code for ``value`` given as a current code, an old 报关 code or an exact name."""
    if not value:
        return None
    idx = _table(slug)
    key = str(value).strip()
    if " - " in key:
        key = key.split(" - ", 1)[0].strip()
    entry = idx.get(key) or idx.by_old_code.get(key.upper())
    if entry is None:
        entry = next((e for e in idx.entries if e.name == str(value).strip()), None)
    return entry.code if entry else None


def search(slug: str, q: str = "", limit: int = 20, enterprise_id: int | None = None) -> tuple[int, list[Entry]]:
    """A picker's search: best first, what ``enterprise_id`` uses most before the rest (see
    ``index.TableIndex.search``)."""
    idx = _table(slug)
    return idx.search(q, max(1, min(limit, 200)), usage.counts(enterprise_id, slug))


def tariff_item(code_ts: str | None, as_of: dt.date | None = None) -> Tariff | None:
    idx = index.tariff(as_of)
    if idx is None or not code_ts:
        return None
    return idx.by_code.get(str(code_ts).strip())


def search_tariff(q: str = "", limit: int = 20, as_of: dt.date | None = None) -> tuple[int, list[Tariff]]:
    idx = index.tariff(as_of)
    if idx is None:
        return 0, []
    return idx.search(q, max(1, min(limit, 200)))


def ciq_names(code_ts: str, as_of: dt.date | None = None) -> list[tuple[str, str]]:
    item = tariff_item(code_ts, as_of)
    return index.ciq_names(code_ts, item.version_id) if item else []
