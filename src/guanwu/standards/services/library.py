"""企业库 (seed 5.2): build, query, 申报要素详情, 设为自选, 设置数据公开状态, 导出本页数据.

Build (``build``): the enterprise's released declaration items (放行/结关) and the customs-reviewed
rows naming it as 申报单位 or 收发货人, grouped on the de-duplication key (``normalise.key``). A
group shows its latest occurrence; its mark is the latest customs review's conclusion (规范数据 /
不规范数据), else 系统匹配数据 (own history only), or 企业自选数据 when the enterprise chose it. The
enterprise's choices (自选, closing a 规范 row to the public) survive rebuilds. Set-based: one
streamed read of each source, then inserts / updates / deletes in chunks of raw SQL.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from huey.contrib.djhuey import task

from guanwu.audit import services as audit
from guanwu.core import fulltext
from guanwu.core.errors import ServiceError
from guanwu.declarations.models import DeclarationItem, DeclarationStatus
from guanwu.params import services as params
from guanwu.tenancy.context import Actor
from guanwu.tenancy.lookup import get_owned
from guanwu.tenancy.models import Enterprise

from ..models import Conclusion, LibraryEntry, Mark, ReviewedRow
from . import access, normalise
from .xlsx import workbook

log = logging.getLogger(__name__)

CHUNK = 2_000
ANALYZE_AFTER = 5_000  # rows inserted or deleted by a build before SQLite's statistics are refreshed
RELEASED = (DeclarationStatus.RELEASED, DeclarationStatus.CLOSED)
MARK_LABELS = dict(Mark.choices)
# What a build writes per entry, beside enterprise and key (the order of the raw INSERT).
BUILT = ("code_ts", "g_name", "g_model", "trade_mode", "ie_flag", "as_agent", "as_owner", "decl_date", "mark",
         "is_public", "public_closed", "reasons", "history_count", "reviewed_count", "reviewed_row_id",
         "search_text", "built_at")


# -- build ------------------------------------------------------------------------------------------------


def _raw_rows(qs, *fields: str, chunk: int = 10_000):
    """The rows of ``qs.values_list(*fields)`` straight from the cursor: no per-value converters
    (dates and datetimes as the backend answers them: text on SQLite, objects on PostgreSQL)."""
    sql, params = qs.values_list(*fields).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            rows = cursor.fetchmany(chunk)
            if not rows:
                return
            yield from rows


def _history(ent: Enterprise):
    qs = DeclarationItem.objects.filter(declaration__enterprise=ent, declaration__status__in=RELEASED).order_by()
    return _raw_rows(
        qs, "code_ts", "g_name", "g_model", "declaration__trade_mode", "declaration__ie_flag",
        "declaration__agent_code", "declaration__agent_code_scc", "declaration__trade_code",
        "declaration__trade_co_scc", "declaration__declared_at", "declaration__ie_date")


def reviewed_for(ent: Enterprise) -> QuerySet[ReviewedRow]:
    """The reviewed rows naming the enterprise as 申报单位 or 收发货人."""
    return ReviewedRow.objects.filter(
        Q(agent_code=ent.customs_code) | Q(trade_code=ent.customs_code) | Q(agent_scc=ent.scc) | Q(trade_scc=ent.scc),
        upload__status="accepted")


class _Dates:
    """Raw date / datetime values as local ``date`` objects, cached (a library has few distinct hours)."""

    def __init__(self) -> None:
        self.local = timezone.get_current_timezone()
        self.cache: dict[Any, dt.date | None] = {}

    def day(self, value: Any) -> dt.date | None:
        if value is None or value == "":
            return None
        text = value[:13] if isinstance(value, str) else value
        found = self.cache.get(text)
        if found is None:
            found = self.cache[text] = self._convert(value)
        return found

    def _convert(self, value: Any) -> dt.date:
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value[:19]) if len(value) > 10 else dt.date.fromisoformat(value)
        if isinstance(value, dt.datetime):
            if timezone.is_naive(value):
                value = value.replace(tzinfo=dt.UTC)
            return value.astimezone(self.local).date()
        return value


class _Normal:
    """``normalise`` once per distinct text (names and element texts repeat across items)."""

    def __init__(self) -> None:
        self.cache: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        found = self.cache.get(text)
        if found is None:
            found = self.cache[text] = normalise.normalise(text)
        return found


def _group(ent: Enterprise) -> tuple[dict[str, list[Any]], _Normal]:
    code, scc = ent.customs_code, ent.scc
    groups: dict[str, list[Any]] = {}
    dates = _Dates()
    norm = _Normal()
    digest = normalise.digest
    # [0 code_ts, 1 g_name, 2 g_model, 3 trade_mode, 4 ie_flag, 5 as_agent, 6 as_owner, 7 date, 8 history,
    #  9 reviewed, 10 conclusion, 11 reasons, 12 row id, 13 review (date, id)]
    for code_ts, name, model, mode, ie, agent, agent_scc, trade, trade_scc, declared, ie_date in _history(ent):
        day = dates.day(declared) or dates.day(ie_date)
        as_owner = (trade == code and bool(code)) or (trade_scc == scc and bool(scc))
        as_agent = (agent == code and bool(code)) or (agent_scc == scc and bool(scc)) or not as_owner
        k = digest(code_ts, norm(name), norm(model))
        g = groups.get(k)
        if g is None:
            groups[k] = [code_ts, name, model, mode, ie, as_agent, as_owner, day, 1, 0, None, None, None, None]
            continue
        g[5] = g[5] or as_agent
        g[6] = g[6] or as_owner
        g[8] += 1
        if day and (g[7] is None or day >= g[7]):
            g[0:5] = [code_ts, name, model, mode, ie]
            g[7] = day
    rows = _raw_rows(reviewed_for(ent).order_by(), "id", "key", "code_ts", "g_name", "g_model", "trade_mode", "ie_flag",
                     "agent_code", "agent_scc", "trade_code", "trade_scc", "decl_date", "conclusion", "reasons")
    for rid, k, code_ts, name, model, mode, ie, agent, agent_scc, trade, trade_scc, raw, conclusion, reasons in rows:
        day = dates.day(raw)
        as_agent = (agent == code and bool(code)) or (agent_scc == scc and bool(scc))
        as_owner = (trade == code and bool(code)) or (trade_scc == scc and bool(scc))
        g = groups.get(k)
        if g is None:
            groups[k] = [code_ts, name, model, mode, ie, as_agent, as_owner, day, 0, 1, conclusion, reasons, rid,
                         (day, rid)]
            continue
        g[5] = g[5] or as_agent
        g[6] = g[6] or as_owner
        g[9] += 1
        if g[13] is None or (day, rid) > g[13]:
            g[10], g[11], g[12], g[13] = conclusion, reasons, rid, (day, rid)
        if g[7] is None or day >= g[7]:
            g[0:5] = [code_ts, name, model, mode, ie]
            g[7] = day
    return groups, norm


def _reasons_text(value: Any) -> str:
    """Reasons as the JSON text stored (raw rows answer text on SQLite, a list on PostgreSQL)."""
    import json

    if value is None:
        return "[]"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _canonical(value: Any) -> Any:
    """A raw column value comparable across backends (bools as 0/1, dates as text, JSON as text)."""
    import json

    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


@task(retries=0)
def build_later(enterprise_ids: list[int]) -> None:
    """Rebuild these enterprises' libraries in the worker (queued by ``reviews.publish`` after
    commit). Each library is rebuilt on its own: one that fails is logged and the rest go on."""
    for ent in Enterprise.objects.filter(pk__in=enterprise_ids).order_by("id"):
        try:
            build(ent)
        except Exception:  # one enterprise's library must not hold back the others'
            log.exception("standards library rebuild of enterprise %s failed", ent.pk)


def build(ent: Enterprise) -> dict[str, int]:
    """(Re)build the enterprise's library; answers counts {"entries", "inserted", "updated", "deleted"}.

    The enterprise's choices are kept: 企业自选 stays while no review marks the row, a closed 规范
    row stays closed. Only rows whose values changed are written."""
    ops = connection.ops
    sqlite = connection.vendor == "sqlite"
    now = ops.adapt_datetimefield_value(timezone.now())
    groups, _ = _group(ent)
    keywords = normalise.search_text
    existing: dict[str, tuple[Any, ...]] = {}
    # the signature leaves out the keyword index: it follows from the name, elements and is_public
    for pk, k, mark, closed, *sig in _raw_rows(LibraryEntry.objects.filter(enterprise=ent).order_by(),
                                               "id", "key", "mark", "public_closed", *BUILT[:_SEARCH]):
        existing[k] = (pk, mark, bool(closed), tuple(_canonical(v) for v in sig))
    quote = ops.quote_name
    table = quote(LibraryEntry._meta.db_table)
    cols = ", ".join(quote(c) for c in ["enterprise_id", "key", *BUILT])
    insert = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * (len(BUILT) + 2))})"
    update = f"UPDATE {table} SET {', '.join(f'{quote(c)} = %s' for c in BUILT)} WHERE id = %s"
    new: list[tuple[Any, ...]] = []
    changed: list[tuple[Any, ...]] = []
    for k, g in groups.items():
        old = existing.pop(k, None)
        closed = old[2] if old else False
        if g[10] == Conclusion.STANDARD:
            mark = Mark.STANDARD
        elif g[10] == Conclusion.NONSTANDARD:
            mark = Mark.NONSTANDARD
        else:
            mark = Mark.OWN_CHOICE if old and old[1] == Mark.OWN_CHOICE else Mark.MATCHED
        day = g[7]
        row = (g[0], g[1][:255], g[2][:255], g[3], g[4], int(g[5]), int(g[6]),
               day.isoformat() if day else None, mark, int(mark == Mark.STANDARD and not closed), int(closed),
               _reasons_text(g[11]) if mark == Mark.NONSTANDARD else "[]", g[8], g[9], g[12])
        if old is None:
            new.append((ent.pk, k, *_typed(row, sqlite), keywords(ent.pk, row[1], row[2], row[9]), now))
        elif row != old[3]:
            changed.append((*_typed(row, sqlite), keywords(ent.pk, row[1], row[2], row[9]), now, old[0]))
    gone = [v[0] for v in existing.values()]
    new.sort(key=lambda r: r[1])  # in key order: the unique index grows at its end
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(gone), CHUNK):
            part = gone[start:start + CHUNK]
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(part))})", part)
        for start in range(0, len(changed), CHUNK):
            cursor.executemany(update, changed[start:start + CHUNK])
        for start in range(0, len(new), CHUNK):
            cursor.executemany(insert, new[start:start + CHUNK])
    if sqlite and len(new) + len(gone) > ANALYZE_AFTER:
        # Without statistics SQLite's planner picks the date index for a date range with other
        # conditions and reads the whole library (0.6 s instead of 6 ms at 330,000 rows).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    return {"entries": len(groups), "inserted": len(new), "updated": len(changed), "deleted": len(gone)}


_SEARCH = BUILT.index("search_text")
_BOOLS = tuple(BUILT.index(c) for c in ("as_agent", "as_owner", "is_public", "public_closed"))
_DATE = BUILT.index("decl_date")


def _typed(row: tuple[Any, ...], sqlite: bool) -> tuple[Any, ...]:
    """The canonical row as SQL parameters (booleans as booleans, dates as dates for PostgreSQL)."""
    out = list(row)
    for i in _BOOLS:
        out[i] = bool(out[i])
    if not sqlite and out[_DATE] is not None:
        out[_DATE] = dt.date.fromisoformat(out[_DATE])
    return tuple(out)


def rebuild(actor: Actor) -> dict[str, int]:
    """On demand (更新企业库): any member of an authorised enterprise; logged."""
    access.require(actor)
    counts = build(actor.enterprise)
    with transaction.atomic():
        from ..models import Authorisation

        auth = Authorisation.objects.for_enterprise(actor.enterprise).get()
        audit.record(actor, auth, "更新企业库", opinion=f"共{counts['entries']}条, 新增{counts['inserted']}条, "
                                                      f"更新{counts['updated']}条, 删除{counts['deleted']}条")
    return counts


# -- query ----------------------------------------------------------------------------------------------------

ROLES = {"agent": "申报单位", "owner": "收发货人"}


def filter_entries(qs: QuerySet[LibraryEntry], *, mark: str = "", trade_mode: str = "", code_ts: str = "",
                   ie_flag: str = "", role: str = "", date_from: dt.date | None = None,
                   date_to: dt.date | None = None, q: str = "", scope: str = "") -> QuerySet[LibraryEntry]:
    """The seed's query conditions (标记类型, 监管方式, 商品编码, 进出口标志, 企业类别, 申报日期, 关键字);
    an unknown value of a coded condition is a Chinese 422. The keyword is matched in the
    keyword index of ``scope`` (``normalise.search_text``: the enterprise's, or the public
    library's): a Chinese phrase anywhere in the name or the elements, a Latin word or pinyin by
    its prefix, every part required."""
    errors = []
    if mark and mark not in MARK_LABELS:
        errors.append(("mark", f"标记类型应为 {'/'.join(MARK_LABELS)}"))
    if ie_flag and ie_flag not in ("I", "E"):
        errors.append(("ie_flag", "进出口标志应为 I(进口) 或 E(出口)"))
    if role and role not in ROLES:
        errors.append(("role", "企业类别应为 agent(申报单位) 或 owner(收发货人)"))
    if code_ts and not code_ts.isdigit():
        errors.append(("code_ts", "商品编码应为数字 (可输入前几位)"))
    if date_from and date_to and date_from > date_to:
        errors.append(("date_to", "申报日期止不能早于申报日期起"))
    if errors:
        from guanwu.core.errors import FieldError

        raise ServiceError.fields([FieldError(f, m) for f, m in errors], "查询条件不正确")
    if mark:
        qs = qs.filter(mark=mark)
    if trade_mode:
        qs = qs.filter(trade_mode=trade_mode.strip())
    if code_ts:
        # a prefix as a range (digits only, ":" follows "9"): an index serves it, LIKE would not on SQLite
        qs = qs.filter(code_ts=code_ts) if len(code_ts) == 10 else qs.filter(code_ts__gte=code_ts,
                                                                              code_ts__lt=code_ts + ":")
    if ie_flag:
        qs = qs.filter(ie_flag=ie_flag)
    if role == "agent":
        qs = qs.filter(as_agent=True)
    elif role == "owner":
        qs = qs.filter(as_owner=True)
    if date_from:
        qs = qs.filter(decl_date__gte=date_from)
    if date_to:
        qs = qs.filter(decl_date__lte=date_to)
    terms = normalise.keyword_terms(scope, q) if q and scope else []
    if terms:
        qs = fulltext.filter_matching(qs, LibraryEntry._meta.db_table, "search_text", terms)
    return qs


def keyword_scope(actor: Actor | None) -> str:
    """The keyword index scope of the actor's enterprise library, or of the public library (None)."""
    return fulltext.enterprise_scope(actor.enterprise.pk) if actor else normalise.PUBLIC_SCOPE


def query(actor: Actor, **conditions: Any) -> QuerySet[LibraryEntry]:
    """The enterprise's library, newest 申报日期 first (authorised enterprises only)."""
    access.require(actor)
    return filter_entries(LibraryEntry.objects.for_enterprise(actor.enterprise), **conditions,
                          scope=keyword_scope(actor)).order_by("-decl_date", "-id")


def get_entry(actor: Actor, entry_id: int, *, lock: bool = False) -> LibraryEntry:
    """The enterprise's entry (another enterprise's id: 404, before the authorisation's 403)."""
    entry = get_owned(LibraryEntry.objects.for_enterprise(actor.enterprise), entry_id, "企业库数据", for_update=lock)
    access.require(actor)
    return entry


# -- 申报要素详情 ---------------------------------------------------------------------------------------------


def element_details(code_ts: str, g_model: str, decl_date: dt.date | None) -> dict[str, Any]:
    """The elements of the latest 规范申报目录 for ``code_ts`` beside the row's values (seed 5.2:
    详情页根据海关最新规范申报要素目录显示当前商品编号下的申报要素名称和申报要素内容), and what changed
    since the catalog in force on the declaration date: elements added, elements dropped (with the
    value the row gave them). Values are matched by name against the catalog of the declaration
    date (by position when that catalog is unknown)."""
    latest = params.tariff_item(code_ts)
    then = params.tariff_item(code_ts, decl_date) if decl_date else latest
    values = [v.strip() for v in (g_model.split("|") if g_model else [])]
    then_names = list(then.elements) if then else []
    latest_names = list(latest.elements) if latest else []
    by_name: dict[str, str] = {}
    source_names = then_names or latest_names
    for i, name in enumerate(source_names):
        by_name.setdefault(name, values[i] if i < len(values) else "")
    extra = values[len(source_names):] if len(values) > len(source_names) else []
    added = [n for n in latest_names if n not in then_names] if then else []
    dropped = [n for n in then_names if n not in latest_names]
    return {
        "code_ts": code_ts,
        "catalog_name": latest.name if latest else "",
        "catalog_version": latest.version_id if latest else None,
        "declared_version": then.version_id if then else None,
        "changed": bool(added or dropped),
        "elements": [{"name": n, "value": by_name.get(n, ""), "added": n in added} for n in latest_names],
        "added": added,
        "dropped": [{"name": n, "value": by_name.get(n, "")} for n in dropped],
        "unmatched_values": extra,
        "known": latest is not None,
    }


def elements(actor: Actor, entry_id: int) -> dict[str, Any]:
    entry = get_entry(actor, entry_id)
    out = element_details(entry.code_ts, entry.g_model, entry.decl_date)
    out["reasons"] = [{"element": e, "reason": r} for e, r in entry.reasons]
    return out


# -- 设为自选 / 设置数据公开状态 ---------------------------------------------------------------------------------


@transaction.atomic
def set_own_choice(actor: Actor, entry_id: int) -> LibraryEntry:
    """设为自选 (seed 5.2: 对于已标识为系统匹配数据的 ... 可点击【设为自选】): 系统匹配数据 only."""
    entry = get_entry(actor, entry_id, lock=True)
    if entry.mark != Mark.MATCHED:
        raise ServiceError(f"只有系统匹配数据可以设为自选, 该数据为{entry.get_mark_display()}", status=409)
    entry.mark = Mark.OWN_CHOICE
    entry.chosen_by = actor.user
    entry.save(update_fields=["mark", "chosen_by"])
    audit.record(actor, entry, "设为自选", before=MARK_LABELS[Mark.MATCHED], after=MARK_LABELS[Mark.OWN_CHOICE])
    return entry


@transaction.atomic
def set_visibility(actor: Actor, entry_id: int, public: bool) -> LibraryEntry:
    """设置数据公开状态 (seed 5.2: 系统对海关审核的规范数据默认为可公开状态，企业可根据自身 ...): only
    规范数据 can be public; any authorised member may change it (TODO if admins only are wanted)."""
    entry = get_entry(actor, entry_id, lock=True)
    if entry.mark != Mark.STANDARD:
        raise ServiceError(f"只有海关审核的规范数据可以设置公开状态, 该数据为{entry.get_mark_display()}", status=409)
    if entry.is_public == public:
        return entry
    before = "公开" if entry.is_public else "不公开"
    entry.is_public = public
    entry.public_closed = not public
    entry.search_text = normalise.search_text(entry.enterprise_id, entry.g_name, entry.g_model, public)
    entry.save(update_fields=["is_public", "public_closed", "search_text"])
    audit.record(actor, entry, "设置数据公开状态", before=before, after="公开" if public else "不公开")
    return entry


# -- export -------------------------------------------------------------------------------------------------------

EXPORT_HEADERS = ["商品编码", "商品名称", "申报要素", "监管方式", "进出口标志", "企业类别", "申报日期", "标记类型",
                  "公开", "不规范原因", "历史申报次数", "海关审核次数"]


def _role_text(e: LibraryEntry) -> str:
    return "、".join(label for flag, label in ((e.as_agent, "申报单位"), (e.as_owner, "收发货人")) if flag)


def export_page(actor: Actor, offset: int = 0, limit: int = 50, **conditions: Any) -> bytes:
    """导出本页数据: the page of ``query`` as shown."""
    rows = query(actor, **conditions)[offset:offset + min(limit, 1000)]
    return workbook("企业库", EXPORT_HEADERS, (
        [e.code_ts, e.g_name, e.g_model, e.trade_mode, {"I": "进口", "E": "出口"}.get(e.ie_flag, ""), _role_text(e),
         e.decl_date, MARK_LABELS[e.mark], e.is_public, "; ".join(f"{a}:{b}" if a else b for a, b in e.reasons),
         e.history_count, e.reviewed_count] for e in rows))
