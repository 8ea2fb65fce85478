"""公共库 (seed 5.3: 在公共库中查询海关审核规范的申报数据): the 规范 rows enterprises left public,
across enterprises. The one deliberate cross-tenant view, so it answers only the fields in
``PUBLIC_FIELDS``: no enterprise, no party (申报单位/收发货人), no counts, no review row. Any
member of an authorised enterprise may read it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from guanwu.core import fulltext
from guanwu.core.errors import NotFound
from guanwu.core.ids import possible_ids
from guanwu.tenancy.context import Actor

from ..models import Authorisation, LibraryEntry, Mark
from . import access, library, normalise
from .xlsx import workbook

PUBLIC_FIELDS = ("id", "code_ts", "g_name", "g_model", "trade_mode", "ie_flag", "decl_date")


def _public():
    """规范 rows left public by enterprises that confirmed the authorisation (whose text says so)."""
    return LibraryEntry.objects.filter(mark=Mark.STANDARD, is_public=True,
                                       enterprise__in=Authorisation.objects.values("enterprise"))


def query(actor: Actor, *, trade_mode: str = "", code_ts: str = "", ie_flag: str = "",
          date_from: dt.date | None = None, date_to: dt.date | None = None, q: str = ""):
    """Public 规范 rows as dicts of ``PUBLIC_FIELDS`` (a values() queryset: nothing else is read)."""
    access.require(actor)
    qs = library.filter_entries(_public(), trade_mode=trade_mode, code_ts=code_ts, ie_flag=ie_flag,
                                date_from=date_from, date_to=date_to, q=q, scope=library.keyword_scope(None))
    return qs.order_by("-decl_date", "-id").values(*PUBLIC_FIELDS)


def get(actor: Actor, entry_id: int) -> dict[str, Any]:
    ids = possible_ids([entry_id])
    found = _public().filter(pk=ids[0]).values(*PUBLIC_FIELDS).first() if ids else None
    if found is None:  # a row that is not public is a 404 like one that does not exist
        raise NotFound("公共库数据不存在")
    access.require(actor)
    return found


def elements(actor: Actor, entry_id: int) -> dict[str, Any]:
    row = get(actor, entry_id)
    return library.element_details(row["code_ts"], row["g_model"], row["decl_date"])


EXPORT_HEADERS = ["商品编码", "商品名称", "申报要素", "监管方式", "进出口标志", "申报日期"]


def export_page(actor: Actor, offset: int = 0, limit: int = 50, **conditions: Any) -> bytes:
    rows = query(actor, **conditions)[offset:offset + min(limit, 1000)]
    return workbook("公共库", EXPORT_HEADERS, (
        [r["code_ts"], r["g_name"], r["g_model"], r["trade_mode"], {"I": "进口", "E": "出口"}.get(r["ie_flag"], ""),
         r["decl_date"]] for r in rows))


def examples(code_ts: str, limit: int = 5) -> list[dict[str, Any]]:
    """Public 规范 examples for ``code_ts``, newest first: ``[{"g_name", "g_model", "decl_date"}]``,
    distinct 申报要素 text (for the checker's suggestions; no party field)."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in _public().filter(code_ts=code_ts).order_by("-decl_date", "-id").values(
            "g_name", "g_model", "decl_date")[: max(limit, 0) * 4]:
        if row["g_model"] in seen:
            continue
        seen.add(row["g_model"])
        out.append(row)
        if len(out) >= limit:
            break
    return out


def similar(pieces: list[str], limit: int = 80) -> list[dict[str, Any]]:
    """Public 规范 rows whose name or elements contain ANY of ``pieces`` (character pairs or words
    of a goods description), newest first: ``[{"code_ts", "g_name", "g_model"}]``, no party field.
    The candidates of the suggester's public tier (``guanwu.classify.sources``), which scores them."""
    terms = [t for piece in pieces for t in fulltext.query_terms(normalise.PUBLIC_SCOPE, piece)]
    if not terms:
        return []
    ids = fulltext.match_ids(LibraryEntry.objects.all(), LibraryEntry._meta.db_table, "search_text", terms, limit,
                             any_term=True)
    return list(_public().filter(pk__in=ids).order_by("-decl_date", "-id").values("code_ts", "g_name", "g_model")
                [:limit])
