"""商品数据库 and 保税商品库: learning, search, changes, imports, and filling goods items.

The commodity library changes only here: by learning from declarations customs accepted or
released (``learn``), by import (``import_commodities``) and by the CRUD services. Picking an
entry into a declaration copies values (``item_values``); editing the item afterwards never
touches the library.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.audit.records import RecordService
from guanwu.core import fulltext
from guanwu.core.errors import FieldError, NotFound, ServiceError
from guanwu.core.fields import FieldSpec, to_text
from guanwu.declarations.models import Declaration, DeclarationItem
from guanwu.declarations.payload import countries_by_meaning
from guanwu.declarations.rules import item_field_label
from guanwu.imports import bulk
from guanwu.imports.spec import WARNINGS_FIELD
from guanwu.params import services as params
from guanwu.params.enums import IEFlag
from guanwu.tenancy.context import Actor
from guanwu.tenancy.models import Enterprise

from . import search
from .goods import check_goods
from .models import ITEM_FIELDS, BondedItem, Commodity, CommodityLearning, CommoditySource

FTS_TABLE = "commodities_commodity_fts"
# A type-ahead ranks at most this many matches (within the I/E flag and trade company asked
# for) by use: where one word matches more entries than this, the most used of the newest
# matches on SQLite, of the first ones the index finds on PostgreSQL.
CANDIDATES = 200
PICKER_LIMIT = 50
CHUNK = 500
KEY_CHUNK = 2000
RowProblems = dict[int, list[tuple[str, str]]]  # import row index -> [(field, message)]

CODE_FIELDS = {
    "g_unit": "units",
    "first_unit": "units",
    "second_unit": "units",
    "origin_country": "countries",
    "destination_country": "countries",
    "trade_curr": "currencies",
    "district_code": "districts",
    "dest_code": "admin-divisions",
    "duty_mode": "duty-modes",
}
COUNTRY_FIELDS = ("origin_country", "destination_country")
COMMODITY_INPUT = (
    "trade_code", "trade_name", "ie_flag", "code_ts", "ciq_code", "g_name", "g_model", "g_unit",
    "origin_country", "destination_country", "trade_curr", "decl_price", "district_code", "dest_code", "duty_mode",
)
BONDED_INPUT = (
    "ems_no", "item_no", "part_no", "code_ts", "g_name", "g_model", "g_unit", "first_unit", "second_unit",
    "origin_country", "decl_price", "trade_curr",
)
# One field specification each: API input schemas (Chinese titles) and form widgets.
_WIDGETS: dict[str, dict[str, Any]] = {
    **{name: {"code_table": table, "normalise": True} for name, table in CODE_FIELDS.items()},
    "decl_price": {"round_places": True},
    **{name: {"cols": 8} for name in ("g_name", "g_model", "trade_name")},
    **{name: {"required": True} for name in ("ie_flag", "code_ts", "g_name")},
    # the 境内收发货人's name follows its code (ui.js)
    "trade_code": {"attrs": (("data-party", "trade"), ("data-party-role", "code"))},
    "trade_name": {"cols": 8, "attrs": (("data-party", "trade"), ("data-party-role", "name"))},
}
COMMODITY_SPEC = FieldSpec.from_model(Commodity, COMMODITY_INPUT, overrides={
    name: {"cols": 4, **_WIDGETS.get(name, {})} for name in COMMODITY_INPUT})
BONDED_SPEC = FieldSpec.from_model(BondedItem, BONDED_INPUT, overrides={
    name: {"cols": 4, **_WIDGETS.get(name, {})} for name in BONDED_INPUT})
# Values a newer declaration of the same goods brings to its library entry.
LEARNED_UPDATES = (
    "trade_name", "ciq_code", "ciq_name", "g_unit", "first_unit", "second_unit", "origin_country",
    "destination_country", "trade_curr", "decl_price", "district_code", "dest_code", "duty_mode",
)


def index_values(enterprise_id: int, g_name: str, g_model: str, ie_flag: str = "",
                 trade_code: str = "") -> dict[str, str]:
    """The derived search columns of an entry: pinyin, initials and the keyword index."""
    full, initials, text = search.index_columns(enterprise_id, g_name, g_model or "", ie_flag, trade_code)
    return {"name_pinyin": full, "name_initials": initials, "search": text}


def key_of(values: dict[str, Any]) -> str:
    return search.dedupe_key(
        search.trade_key(values.get("trade_code", ""), values.get("trade_name", "")), values.get("ie_flag", ""),
        values.get("code_ts", ""), values.get("g_name", ""), values.get("g_model", ""),
    )


def _existing(enterprise_id: int, keys: Iterable[str], fields: Iterable[str]) -> dict[str, dict[str, Any]]:
    """``{dedupe_key: values}`` of the entries that exist, in chunks of KEY_CHUNK keys per query
    (the import's case, no ``fields``: all the enterprise's keys in one query when it has fewer
    entries than the keys asked for)."""
    keys = list(dict.fromkeys(keys))
    out: dict[str, dict[str, Any]] = {}
    if not keys:
        return out
    if not fields:  # the import's case: plain SQL, no model machinery per key
        table = Commodity._meta.db_table
        with connection.cursor() as cursor:
            # how many entries the enterprise has, counted up to the number of keys asked for
            cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE enterprise_id = %s LIMIT %s) t",
                           [enterprise_id, len(keys)])
            stored = cursor.fetchone()[0]
            if not stored:
                return out
            if stored < len(keys):  # fewer entries than keys: reading them all is cheaper than a probe per key
                wanted = set(keys)
                cursor.execute(f"SELECT id, dedupe_key FROM {table} WHERE enterprise_id = %s", [enterprise_id])
                return {key: {"id": pk, "dedupe_key": key} for pk, key in cursor.fetchall() if key in wanted}
            for start in range(0, len(keys), KEY_CHUNK):
                chunk = keys[start:start + KEY_CHUNK]
                cursor.execute(
                    f"SELECT id, dedupe_key FROM {table} WHERE enterprise_id = %s AND dedupe_key IN "
                    f"({', '.join(['%s'] * len(chunk))})", [enterprise_id, *chunk],
                )
                out.update({key: {"id": pk, "dedupe_key": key} for pk, key in cursor.fetchall()})
        return out
    if not Commodity.objects.filter(enterprise_id=enterprise_id).exists():
        return out
    names = ["id", "dedupe_key", *fields]
    for start in range(0, len(keys), CHUNK):
        rows = Commodity.objects.filter(enterprise_id=enterprise_id, dedupe_key__in=keys[start:start + CHUNK])
        for row in rows.values(*names):
            out[row["dedupe_key"]] = row
    return out


# ------------------------------------------------------------------------------ learning


def learn(declarations: Iterable[Declaration]) -> int:
    """Learn the goods of declarations customs accepted or released; returns new entries.

    Each declaration counts once (a ``CommodityLearning`` row marks it), whichever of
    accepted/released comes first and however often it is replayed. One query finds the
    existing entries of all goods; new ones are inserted and known ones updated in bulk.
    """
    wanted = {d.pk: d for d in declarations if d.pk}
    if not wanted:
        return 0
    with transaction.atomic():
        done = set(CommodityLearning.objects.filter(declaration_id__in=list(wanted)).values_list(
            "declaration_id", flat=True))
        todo = [d for pk, d in wanted.items() if pk not in done]
        if not todo:
            return 0
        items = list(
            DeclarationItem.objects.filter(declaration_id__in=[d.pk for d in todo])
            .order_by("declaration_id", "g_no")
            .values("declaration_id", *ITEM_FIELDS)
        )
        by_declaration: dict[int, list[dict]] = {}
        for item in items:
            by_declaration.setdefault(item["declaration_id"], []).append(item)
        try:
            with transaction.atomic():
                CommodityLearning.objects.bulk_create([
                    CommodityLearning(enterprise_id=d.enterprise_id, declaration_id=d.pk,
                                      items=len(by_declaration.get(d.pk, [])))
                    for d in todo
                ])
        except IntegrityError:  # another worker learned them at the same moment
            return 0
        created = 0
        for enterprise_id in {d.enterprise_id for d in todo}:
            decls = [d for d in todo if d.enterprise_id == enterprise_id]
            created += _learn_enterprise(enterprise_id, decls, by_declaration)
    return created


def _learn_enterprise(enterprise_id: int, decls: list[Declaration], items: dict[int, list[dict]]) -> int:
    goods: dict[str, dict[str, Any]] = {}  # key -> latest values, with uses and first/last time
    for decl in sorted(decls, key=lambda d: (d.status_changed_at or timezone.now(), d.pk)):
        when = decl.status_changed_at or timezone.now()
        seen_here: set[str] = set()
        for item in items.get(decl.pk, []):
            if not item["code_ts"] or not item["g_name"]:
                continue
            values = {f: item[f] for f in ITEM_FIELDS}
            values.update(trade_code=decl.trade_code or "", trade_name=decl.trade_name or "", ie_flag=decl.ie_flag)
            key = key_of(values)
            entry = goods.get(key)
            if entry is None:
                entry = goods[key] = {"uses": 0, "first": when}
            entry.update(values)
            entry["last"] = when
            entry["declaration_id"] = decl.pk
            if key not in seen_here:  # the same goods twice in one declaration is one use
                entry["uses"] += 1
                seen_here.add(key)
    if not goods:
        return 0
    existing = _existing(enterprise_id, goods, ["usage_count", "first_used_at", "last_used_at"])
    now = timezone.now()
    updates, inserts = [], []
    for key, entry in goods.items():
        row = existing.get(key)
        if row is None:
            values = {f: entry.get(f) if entry.get(f) is not None else ("" if f != "decl_price" else None)
                      for f in (*ITEM_FIELDS, "trade_code", "trade_name", "ie_flag")}
            values["ciq_name"] = (values["ciq_name"] or "")[:50]
            inserts.append({
                **values, "dedupe_key": key, "usage_count": entry["uses"], "first_used_at": entry["first"],
                "last_used_at": entry["last"], "last_declaration_id": entry["declaration_id"],
                "source": CommoditySource.LEARNED, "created_at": now, "updated_at": now,
                **index_values(enterprise_id, values["g_name"], values["g_model"], values["ie_flag"],
                               values["trade_code"]),
            })
            continue
        obj = Commodity(pk=row["id"])
        for f in LEARNED_UPDATES:
            value = entry.get(f)
            setattr(obj, f, value if value is not None else ("" if f != "decl_price" else None))
        obj.ciq_name = (obj.ciq_name or "")[:50]
        obj.usage_count = row["usage_count"] + entry["uses"]
        obj.first_used_at = row["first_used_at"] or entry["first"]
        obj.last_used_at = max(filter(None, [row["last_used_at"], entry["last"]]))
        obj.last_declaration_id = entry["declaration_id"]
        obj.updated_at = now
        updates.append(obj)
    if inserts:
        bulk.insert(Commodity, inserts, enterprise=enterprise_id)
    if updates:
        Commodity.objects.bulk_update(
            updates, [*LEARNED_UPDATES, "usage_count", "first_used_at", "last_used_at", "last_declaration_id",
                      "updated_at"], batch_size=CHUNK,
        )
    return len(inserts)


def learn_released(enterprise: Enterprise | int) -> int:
    """Learn every accepted/released/closed declaration of an enterprise not learned yet."""
    statuses = ["accepted", "released", "closed"]
    learned = CommodityLearning.objects.filter(enterprise=enterprise).values("declaration_id")
    qs = Declaration.objects.for_enterprise(enterprise).filter(status__in=statuses).exclude(pk__in=learned)
    total = 0
    batch: list[Declaration] = []
    for declaration in qs.only("id", "enterprise_id", "trade_code", "trade_name", "ie_flag", "status_changed_at"
                               ).iterator(chunk_size=200):
        batch.append(declaration)
        if len(batch) == 200:
            total += learn(batch)
            batch = []
    return total + learn(batch)


# -------------------------------------------------------------------------------- search


def commodities(actor: Actor) -> QuerySet[Commodity]:
    return Commodity.objects.for_enterprise(actor.enterprise)


def keyword_ids(enterprise_id: int, q: str, limit: int | None = None, *, ie_flag: str = "",
                trade_code: str = "") -> RawSQL | None:
    """A subquery of the ids whose name, pinyin, initials or model words match ``q``, of the
    I/E flag and trade company code when given (newest first, at most ``limit``); None when
    ``q`` holds nothing to search for."""
    terms = search.query_terms(enterprise_id, q)
    if not terms:
        return None
    terms += search.filter_terms(enterprise_id, ie_flag, trade_code)
    return fulltext.match_ids(Commodity.objects.all(), Commodity._meta.db_table, "search", terms, limit)


def _code_range(prefix: str) -> dict[str, str]:
    # ":" follows "9": every code starting with the digits sorts below prefix + ":"
    return {"code_ts__gte": prefix, "code_ts__lt": prefix + ":"}


def filter_keyword(qs: QuerySet, enterprise_id: int, q: str) -> QuerySet:
    """All entries matching a keyword: an HS code prefix, or words of name/pinyin/model."""
    q = (q or "").strip()
    if not q:
        return qs
    prefix = search.hs_prefix(q)
    if prefix:
        return qs.filter(**_code_range(prefix))
    ids = keyword_ids(enterprise_id, q)
    return qs.none() if ids is None else qs.filter(pk__in=ids)


def search_commodities(
    actor: Actor, q: str = "", *, ie_flag: str = "", trade_code: str = "", trade_name: str = "", code_ts: str = "",
    limit: int = 20, offset: int = 0,
) -> list[Commodity]:
    """The picker's type-ahead: by name (any part), pinyin or initials (prefix), HS code prefix,
    brand/model words; narrowed by I/E and trade company; the most used first."""
    limit = max(1, min(int(limit or 20), PICKER_LIMIT))
    offset = max(0, int(offset or 0))
    enterprise_id = actor.enterprise.pk
    qs = Commodity.objects.filter(enterprise_id=enterprise_id)
    if ie_flag:
        qs = qs.filter(ie_flag=ie_flag.upper()[:1])
    if trade_code:
        qs = qs.filter(trade_code=trade_code.strip())
    if trade_name:
        name = trade_name.strip()
        qs = qs.filter(trade_name__gte=name, trade_name__lt=name + "\U0010ffff")
    if code_ts:
        qs = qs.filter(**_code_range(code_ts.strip()))
    q = (q or "").strip()
    order = ["-usage_count", F("last_used_at").desc(nulls_last=True), "-id"]
    prefix = search.hs_prefix(q)
    if prefix:
        # the first codes of the range (index order), then the most used of them
        candidates = qs.filter(**_code_range(prefix)).order_by("code_ts").values("id")[:CANDIDATES]
        qs = Commodity.objects.filter(pk__in=candidates)
    elif q:
        ids = keyword_ids(enterprise_id, q, CANDIDATES, ie_flag=ie_flag, trade_code=trade_code)
        if ids is None:
            return []
        qs = qs.filter(pk__in=ids)
    elif trade_name and not trade_code:
        order = ["trade_name", "-updated_at", "-id"]  # by company, newest first (index order)
    else:
        order = ["-updated_at", "-id"]
    return list(qs.order_by(*order)[offset:offset + limit])


def item_values(commodity: Commodity) -> dict[str, Any]:
    """What picking the entry puts into a goods item (item field names)."""
    out: dict[str, Any] = {f: getattr(commodity, f) for f in ITEM_FIELDS}
    out["decl_price"] = price_text(out["decl_price"])
    return out


def price_text(value: Any) -> str | None:
    """A stored price as the API and the goods item carry it (no trailing zeros)."""
    return format(value.normalize(), "f") if value is not None else None


def code_names(obj: Commodity | BondedItem) -> dict[str, str]:
    """``{field: name}`` of the coded fields of an entry, so pickers show "USD - 美元"."""
    out = {}
    for name, table in CODE_FIELDS.items():
        code = getattr(obj, name, "")
        if code:
            out[name] = params.code_name(table, code) or ""
    return out


# ------------------------------------------------------------------- changes (ui.crud services)


class _LibraryServices(RecordService):
    """The shared create/update/delete (tenancy, one transaction, operation log) over the
    library's own reading of the input (``clean``); actions logged as 新增商品 ..."""

    created_by, single_message = False, False
    base_extra: tuple[str, ...] = ()  # stored values ``check_own_goods`` compares with
    ignored: tuple[str, ...] = ("id",)  # keys a body may hold besides the spec's

    def action(self, verb: str) -> str:
        return f"{verb}{self.what}"

    def snapshot(self, obj: Any) -> dict[str, Any]:
        return audit.snapshot(obj, list(self.spec.names()))

    def clean(self, actor: Actor, data: dict[str, Any], instance: Any, errors: list[FieldError]) -> dict[str, Any]:
        """The fields given read by the spec (codes also by old code or name, 单价 rounded), 商品编号
        without dots, the record's own fields (``read_own``: 进出口标志, 备案号/备案序号), 商品编号 and
        商品名称 required, then the tariff and 申报要素 checks (``check_own_goods``). With any error
        nothing is read (``{}``)."""
        names = self.spec.names()
        errors.extend(FieldError(n, f"未知字段: {n}") for n in sorted(set(data) - set(names) - set(self.ignored)))
        base = {f: getattr(instance, f) for f in (*names, *self.base_extra)} if instance is not None else {}
        values = {**base, **{n: data[n] for n in ("item_no", "ie_flag") if n in data}}
        flag = to_text(values.get("ie_flag")).upper()  # an export entry holds its 最终目的国 in origin_country
        for f in self.spec:
            if f.name in data and f.name not in ("item_no", "ie_flag"):
                f = replace(f, label=item_field_label(f.name, flag)) if f.name in COUNTRY_FIELDS else f
                try:
                    values[f.name] = f.clean(data[f.name])
                except ValueError as exc:
                    values[f.name] = None if f.kind == "decimal" else ""
                    errors.append(FieldError(f.name, str(exc)))
        values["code_ts"] = (values.get("code_ts") or "").replace(".", "")
        self.read_own(values, errors)
        for name in ("code_ts", "g_name"):
            if not values.get(name):
                errors.append(FieldError(name, f"{self.spec[name].label}不能为空"))
        if values.get("code_ts"):
            self.check_own_goods(values, base, errors)
        return {} if errors else values

    def read_own(self, values: dict[str, Any], errors: list[FieldError]) -> None:
        """Read the record's own fields."""

    def check_own_goods(self, values: dict[str, Any], base: dict[str, Any], errors: list[FieldError]) -> None:
        errors.extend(FieldError(f, m) for f, m in check_goods(values) if f != "g_model")


DUPLICATE = "商品数据库中已有相同的商品(境内收发货人、进出口、商品编号、名称和规格型号相同)"


class CommodityServices(_LibraryServices):
    model, spec, what, base_extra = Commodity, COMMODITY_SPEC, "商品", ("ciq_name",)
    ignored = ("id", "first_unit", "second_unit", "ciq_name")

    def read_own(self, values: dict[str, Any], errors: list[FieldError]) -> None:
        values["ie_flag"] = to_text(values.get("ie_flag")).upper()
        if values["ie_flag"] not in IEFlag.values:
            errors.append(FieldError("ie_flag", "进出口标志应为 I(进口) 或 E(出口)"))

    def check_own_goods(self, values: dict[str, Any], base: dict[str, Any], errors: list[FieldError]) -> None:
        # the 检验检疫名称 belongs to the 检验检疫编码 it was chosen with
        values["ciq_name"] = "" if values.get("ciq_code") != base.get("ciq_code") else values.get("ciq_name", "")
        errors.extend(FieldError(f, m) for f, m in check_goods(values, values["ie_flag"]))

    def check(self, actor: Actor, values: dict[str, Any], instance: Any, errors: list[FieldError]) -> None:
        """One entry per 境内收发货人, 进出口, 商品编号, 名称 and 规格型号 (its dedupe key); the
        search columns follow the name and model."""
        if errors:
            return
        key = key_of(values)
        if self.queryset(actor).filter(dedupe_key=key).exclude(pk=getattr(instance, "pk", None)).exists():
            errors.append(FieldError("g_name", DUPLICATE))
            return
        values.update(dedupe_key=key, **index_values(actor.enterprise.pk, values["g_name"], values.get("g_model", ""),
                                                     values["ie_flag"], values.get("trade_code", "")))
        if instance is None:
            values["source"] = CommoditySource.MANUAL


class BondedServices(_LibraryServices):
    model, spec, what = BondedItem, BONDED_SPEC, "保税商品"
    unique = (("ems_no", "item_no"), "item_no", "备案号{ems_no}的备案序号{item_no}已存在")

    def read_own(self, values: dict[str, Any], errors: list[FieldError]) -> None:
        values["ems_no"] = (values.get("ems_no") or "").upper()
        if not values["ems_no"]:
            errors.append(FieldError("ems_no", "备案号不能为空"))
        errors.extend(FieldError(f, m) for f, m in _ems_no_problems(values["ems_no"]) if values["ems_no"])
        item_no = values.get("item_no")
        try:
            item_no = int(str(item_no).strip()) if item_no not in (None, "") else None
        except ValueError:
            item_no = -1
        if item_no is None:
            errors.append(FieldError("item_no", "备案序号不能为空"))
        elif item_no <= 0 or item_no >= 10**9:
            errors.append(FieldError("item_no", "备案序号应为正整数"))
        values["item_no"] = item_no


COMMODITY_SERVICES, BONDED_SERVICES = CommodityServices(), BondedServices()
create_commodity, update_commodity = COMMODITY_SERVICES.create, COMMODITY_SERVICES.update


# ----------------------------------------------------------------------- commodity import


def _tariff_lookup() -> Any:
    """``params.tariff_item`` remembering each code it was asked for (one import's rows)."""
    found: dict[str, Any] = {}

    def tariff_of(code_ts: str) -> Any:
        try:
            return found[code_ts]
        except KeyError:
            item = found[code_ts] = params.tariff_item(code_ts)
            return item

    return tariff_of


def _row_problems(rows: list[dict[str, Any]], check: Any, field: str, repeated: str) -> RowProblems:
    """``{row index: [(field, message)]}`` of import rows: ``check(row)`` gives a row's problems and its
    key; a key an earlier row has is a duplicate inside the file (``repeated`` names the earlier row)."""
    errors: RowProblems = {}
    first_row: dict[Any, int] = {}
    for index, row in enumerate(rows):
        problems, key = check(row)
        if key in first_row:
            problems.append((field, repeated.format(first_row[key] + 1)))
        first_row.setdefault(key, index)
        if problems:
            errors[index] = problems
    return errors


def prepare_import_rows(enterprise_id: int, rows: list[dict[str, Any]]) -> RowProblems:
    """Tariff and element checks of valid import rows, and duplicates inside the file;
    ``{row index: [(field, message)]}``. Fills legal units and the dedupe key in place, and the
    规范申报 checker's warnings of a row under ``WARNINGS_FIELD`` (imported, listed)."""
    tariff_of = _tariff_lookup()

    def check(row: dict[str, Any]) -> tuple[list[tuple[str, str]], str]:
        row["code_ts"] = (row.get("code_ts") or "").replace(".", "")
        # the 原产国/最终目的国 columns mean what they say; an export entry stores them swapped
        row.update(countries_by_meaning(row, row.get("ie_flag") or ""))
        warnings: list[tuple[str, str]] = []
        problems = check_goods(row, row.get("ie_flag") or "", tariff_of=tariff_of, warnings=warnings)
        if warnings:
            row[WARNINGS_FIELD] = warnings
        row["dedupe_key"] = key_of(row)
        return problems, row["dedupe_key"]

    return _row_problems(rows, check, "g_name", "与本文件中第{}条相同商品重复")


IMPORT_TEXT = (*(n for n in COMMODITY_INPUT if n != "decl_price"), "ciq_name", "first_unit", "second_unit")


def import_commodities(actor: Actor, rows: list[dict[str, Any]]) -> int:
    """Insert new entries and update the ones that exist (same dedupe key); bulk."""
    enterprise_id = actor.enterprise.pk
    existing = _existing(enterprise_id, (r["dedupe_key"] for r in rows), [])
    now = timezone.now()
    updates = [
        Commodity(pk=existing[row["dedupe_key"]]["id"], updated_at=now, **_import_values(row))
        for row in rows if row["dedupe_key"] in existing
    ]

    def new_entries() -> Iterable[dict[str, Any]]:  # made while the previous ones are written
        index_columns = search.index_columns
        for row in rows:
            if row["dedupe_key"] in existing:
                continue
            values = _import_values(row)
            values["dedupe_key"] = row["dedupe_key"]
            values["name_pinyin"], values["name_initials"], values["search"] = index_columns(
                enterprise_id, values["g_name"], values["g_model"], values["ie_flag"], values["trade_code"])
            yield values

    with transaction.atomic():
        # what every new entry shares goes once, not on each row
        bulk.insert_overlapped(Commodity, new_entries(), enterprise=enterprise_id, usage_count=0,
                               source=CommoditySource.IMPORTED, created_at=now, updated_at=now)
        if updates:
            fields = [n for n in IMPORT_TEXT if n not in ("trade_code", "ie_flag", "code_ts", "g_name", "g_model")]
            Commodity.objects.bulk_update(updates, [*fields, "decl_price", "updated_at"], batch_size=CHUNK)
    return len(rows)


def _import_values(row: dict[str, Any]) -> dict[str, Any]:
    get = row.get
    values = {n: "" if (v := get(n)) is None else v for n in IMPORT_TEXT}
    values["decl_price"] = get("decl_price")
    values["ciq_name"] = values["ciq_name"][:50]
    return values


# ------------------------------------------------------------------------- bonded items


def bonded_items(actor: Actor) -> QuerySet[BondedItem]:
    return BondedItem.objects.for_enterprise(actor.enterprise)


def _ems_no_problems(ems_no: str) -> list[tuple[str, str]]:
    return [] if len(ems_no) == 12 and ems_no.isalnum() else [("ems_no", "备案号应为12位字母或数字")]


def prepare_bonded_rows(rows: list[dict[str, Any]]) -> RowProblems:
    def check(row: dict[str, Any]) -> tuple[list[tuple[str, str]], tuple[str, int | None]]:
        row["ems_no"] = (row.get("ems_no") or "").upper()
        row["code_ts"] = (row.get("code_ts") or "").replace(".", "")
        problems = [(f, m) for f, m in check_goods(row) if f != "g_model"] + _ems_no_problems(row["ems_no"])
        if row.get("item_no") is not None and row["item_no"] <= 0:
            problems.append(("item_no", "备案序号应为正整数"))
        return problems, (row["ems_no"], row.get("item_no"))

    return _row_problems(rows, check, "item_no", "与本文件中第{}条的备案号和备案序号重复")


def import_bonded(actor: Actor, rows: list[dict[str, Any]]) -> int:
    """Upsert by (备案号, 备案序号)."""
    enterprise_id = actor.enterprise.pk
    existing: dict[tuple[str, int], int] = {}
    for ems_no in {r["ems_no"] for r in rows}:
        for pk, item_no in BondedItem.objects.filter(enterprise_id=enterprise_id, ems_no=ems_no,
                                                     goods_kind="").values_list("pk", "item_no"):
            existing[(ems_no, item_no)] = pk
    now = timezone.now()
    inserts, updates = [], []
    for row in rows:
        values = {n: row.get(n) if row.get(n) is not None else ("" if n not in ("decl_price", "item_no") else None)
                  for n in BONDED_INPUT}
        pk = existing.get((values["ems_no"], values["item_no"]))
        if pk is None:
            inserts.append({**values, "created_at": now, "updated_at": now})
        else:
            updates.append(BondedItem(pk=pk, updated_at=now, **values))
    with transaction.atomic():
        bulk.insert(BondedItem, inserts, enterprise=enterprise_id)
        if updates:
            BondedItem.objects.bulk_update(updates, [*BONDED_INPUT, "updated_at"], batch_size=CHUNK)
    return len(rows)


def _bonded(enterprise: Enterprise | int, ems_no: str, item_no: int | str, ie_flag: str) -> BondedItem | None:
    """The row of 备案号 + 备案序号 (None for a number that is not one): an account book's 料件 for an
    import (``ie_flag`` I), its 成品 for an export (E), else the row keyed in or imported (blank kind)."""
    try:
        number = int(str(item_no).strip())
    except (TypeError, ValueError):
        return None
    kinds = [ie_flag, ""] if ie_flag in ("I", "E") else ["", "I", "E"]
    qs = BondedItem.objects.for_enterprise(enterprise).filter(ems_no=ems_no, item_no=number, goods_kind__in=kinds)
    rows = {row.goods_kind: row for row in qs}
    return next((rows[k] for k in kinds if k in rows), None)


def fill_from_bonded(enterprise: Enterprise | int, manual_no: str, item_no: int | str,
                     ie_flag: str = "") -> dict[str, Any]:
    """The goods-item values of 备案号 + 备案序号 (``{}`` when the library has no such item);
    ``ie_flag`` picks an account book's 料件 (I) or 成品 (E)."""
    ems_no = (manual_no or "").strip().upper()
    obj = _bonded(enterprise, ems_no, item_no, ie_flag) if ems_no else None
    return bonded_values(obj) if obj else {}


def bonded_values(obj: BondedItem) -> dict[str, Any]:
    return {
        "contr_item": obj.item_no, "exg_no": obj.part_no, "code_ts": obj.code_ts, "g_name": obj.g_name,
        "g_model": obj.g_model, "g_unit": obj.g_unit, "first_unit": obj.first_unit, "second_unit": obj.second_unit,
        "origin_country": obj.origin_country, "trade_curr": obj.trade_curr,
        "decl_price": price_text(obj.decl_price),
    }


def lookup_bonded(actor: Actor, ems_no: str, item_no: int | str, ie_flag: str = "") -> BondedItem:
    try:
        number = int(str(item_no).strip())
    except (TypeError, ValueError):
        raise ServiceError.fields([FieldError("item_no", "备案序号应为正整数")]) from None
    ems_no = (ems_no or "").strip().upper()
    obj = _bonded(actor.enterprise, ems_no, number, ie_flag)
    if obj is None:
        raise NotFound(f"保税商品库中没有备案号{ems_no}的备案序号{number}")
    return obj
