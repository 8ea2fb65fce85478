"""加工贸易账册 (NEMS): 备案 new, 料件/成品/单损耗 grids, 变更 (变更次数 +1, a version with its
diff), delete while never declared, 发送/申报 (EMS111), the 保税商品库 fed on approval.

修改标志 of the rows (nems_fields.csv ModfMarkcd; codes.csv modf_markcd): 3 增加 for a row
customs has not approved yet, 0 未修改 once approved, 1 修改 for an approved row changed in a
变更, 2 删除 for an approved row deleted in a 变更 (kept, and sent, until the 变更 is approved).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, ServiceError
from guanwu.messages import sas
from guanwu.messages.sas import fields as sas_fields
from guanwu.params import services as params
from guanwu.tenancy.context import Actor
from guanwu.tenancy.lookup import get_owned

from ..models import (
    BalanceState,
    Book,
    BookBom,
    BookMaterial,
    BookProduct,
    BookVersion,
    InventoryItem,
    Movement,
    Status,
)
from . import messages
from .common import (
    check_editable,
    coerce,
    create_head,
    delete_documents,
    fill_units,
    ids_of,
    next_seqno,
    save_unique,
    update_head,
)

MESSAGE_KIND = "EMS111"

# Grid kind -> row model.
BOOK_LINES: dict[str, type[models.Model]] = {"materials": BookMaterial, "products": BookProduct, "boms": BookBom}
LINE_LABELS = {"materials": "料件", "products": "成品", "boms": "单损耗"}
LINE_TYPES = {"materials": sas.NemsImg, "products": sas.NemsExg, "boms": sas.NemsCm}
SEQ_FIELD = {"materials": "gds_seqno", "products": "gds_seqno", "boms": "g_seqno"}

RETURNED_FIELDS = ("seq_no", "ems_no", "chg_tms_cnt", "dcl_time", "emapv_stucd", "putrec_appr_time",
                   "chg_appr_time", "rcnt_vclr_time", "mtpck_item_cnt", "endprd_item_cnt", "dcl_typecd")
HEAD_FIELDS = tuple(f.name for f in dataclasses.fields(sas.NemsHead) if f.name not in RETURNED_FIELDS)
REQUIRED_HEAD = ("master_cuscd",)
# What 申报 requires of the head: the ``required`` column of nems_fields.csv (raw
# sas_processing_trade/nems_fields.csv: Y, and Y? where the sources agree without a schema),
# less what the platform fills itself (变更次数, 企业内部编号, 申报类型).
DECLARE_REQUIRED_HEAD = tuple(f.field for f in sas_fields.block("NemsHead").fields
                              if f.required and f.field not in ("chg_tms_cnt", "etps_preent_no", "dcl_typecd"))
LINE_FIELDS = {
    kind: tuple(f.name for f in dataclasses.fields(cls) if f.name not in ("seq_no", "modf_markcd", "ucns_qty"))
    for kind, cls in LINE_TYPES.items()
}
# A BOM line's 成品/料件 料号, 编码, 名称 come from the rows its 序号 point at.
BOM_COPIED = {"endprd": ("endprd_gds_mtno", "endprd_gdecd", "endprd_gds_nm"),
              "mtpck": ("mtpck_gds_mtno", "mtpck_gdecd", "mtpck_gds_nm")}
DEFAULT_UCNS_VERNO = "0"
DEFAULT_EXE_MARK = "1"  # 企业执行标志 of a new 料件/成品 (nems_fields.csv EtpsExeMarkcd; the garment samples)
MODF_UNCHANGED, MODF_CHANGED, MODF_DELETED, MODF_ADDED = "0", "1", "2", "3"


def list_books(actor: Actor, *, status: str = "", q: str = "") -> QuerySet[Book]:
    qs = Book.objects.for_enterprise(actor.enterprise)
    if status:
        qs = qs.filter(status__in=status.split(","))
    if q:
        q = q.strip()
        qs = qs.filter(Q(seq_no=q) | Q(ems_no=q) | Q(etps_preent_no=q) | Q(bizop_etps_nm__contains=q))
    return qs


def get_book(actor: Actor, pk: int | str, *, for_update: bool = False) -> Book:
    return get_owned(Book.objects.for_enterprise(actor.enterprise), pk, "账册", for_update=for_update)


def book_defaults(actor: Actor) -> dict[str, Any]:
    """The enterprise as 经营/加工/申报/录入单位, 账册用途 1, 单耗申报环节 1-出口前, today's 录入日期."""
    ent = actor.enterprise
    return {
        "bizop_etpsno": ent.customs_code, "bizop_etps_sccd": ent.scc, "bizop_etps_nm": ent.name,
        "rcvgd_etpsno": ent.customs_code, "rvsngd_etps_sccd": ent.scc, "rcvgd_etps_nm": ent.name,
        "dcl_etpsno": ent.customs_code, "dcl_etps_sccd": ent.scc, "dcl_etps_nm": ent.name,
        "dcl_etps_typecd": "1", "ucns_dcl_segcd": "1", "input_etps_typecd": ent.customs_code,
        "input_etps_sccd": ent.scc, "input_etps_nm": ent.name, "input_time": timezone.localdate(),
    }


def _inner_no(actor: Actor) -> str:
    return f"{actor.enterprise.customs_code}B{timezone.now():%y%m%d%H%M%S%f}"


def _head_values(actor: Actor, head: Any, current: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(head, dict):
        raise ServiceError("账册数据格式错误")
    values, errors = coerce(Book, head, HEAD_FIELDS)
    merged = {**current, **values}
    for name in REQUIRED_HEAD:
        if not merged.get(name) and not any(e.field == name for e in errors):
            errors.append(FieldError(name, f"{Book._meta.get_field(name).verbose_name}不能为空"))
    cuscd = merged.get("master_cuscd")
    if cuscd and params.table_exists("customs-offices") and not params.code_exists("customs-offices", cuscd):
        errors.append(FieldError("master_cuscd", f"主管海关代码{cuscd}不存在"))
    if errors:
        raise ServiceError.fields(errors, "暂存校验未通过")
    if not merged.get("etps_preent_no"):
        values["etps_preent_no"] = _inner_no(actor)
    return values


@transaction.atomic
def create_book(actor: Actor, head: dict[str, Any]) -> Book:
    """备案 新增 + 暂存."""
    defaults = book_defaults(actor)
    return create_head(actor, Book, {**defaults, **_head_values(actor, head, defaults)}, dcl_typecd="1")


@transaction.atomic
def update_book(actor: Actor, pk: int | str, head: dict[str, Any]) -> Book:
    book = get_book(actor, pk, for_update=True)
    return update_head(actor, book, "账册", HEAD_FIELDS, lambda before: _head_values(actor, head, before))


def _line_kind(kind: str) -> type[models.Model]:
    try:
        return BOOK_LINES[kind]
    except KeyError:
        raise ServiceError("表体类型应为料件(materials)、成品(products)或单损耗(boms)") from None


def _live(book: Book, kind: str) -> QuerySet:
    return BOOK_LINES[kind].objects.filter(book=book).exclude(modf_markcd=MODF_DELETED)


def _line_values(book: Book, kind: str, row: Any, path: str, errors: list[FieldError],
                 refs: dict[str, dict[int, Any]] | None = None) -> dict[str, Any]:
    """The typed values of one row; BOM rows checked against the book's 成品/料件 (``refs``:
    序号 -> row, loaded once for an import) with 单耗 computed (``ucns_qty``)."""
    if not isinstance(row, dict):
        raise ServiceError("表体数据格式错误")
    model = BOOK_LINES[kind]
    values, _ = coerce(model, row, LINE_FIELDS[kind], path=path, errors=errors)
    if kind != "boms":
        fill_units(values, path=path, errors=errors)
        if not values.get("etps_exe_markcd") and not row.get("etps_exe_markcd"):
            values["etps_exe_markcd"] = DEFAULT_EXE_MARK
        return values
    if refs is None:
        refs = _bom_refs(book)
    n_before = len(errors)
    for side, seq_field, what in (("endprd", "endprd_seqno", "成品"), ("mtpck", "mtpck_seqno", "料件")):
        seqno = values.get(seq_field)
        target = refs[side].get(seqno) if seqno is not None else None
        if seqno is None:
            errors.append(FieldError(f"{path}{seq_field}", f"{what}序号不能为空"))
        elif target is None:
            errors.append(FieldError(f"{path}{seq_field}", f"账册中没有{what}序号{seqno}"))
        else:
            mtno, gdecd, nm = BOM_COPIED[side]
            values[mtno], values[gdecd], values[nm] = target.gds_mtno, target.gdecd, target.gds_nm
    if not values.get("ucns_verno"):
        values["ucns_verno"] = DEFAULT_UCNS_VERNO
    net = values.get("net_useup_qty")
    if net is None or net <= 0:
        errors.append(FieldError(f"{path}net_useup_qty", "净耗应大于0"))
    for rate in ("tgbl_loss_rate", "intgb_loss_rate"):
        value = values.get(rate)
        if value is not None and not Decimal(0) <= value < Decimal(100):
            label = model._meta.get_field(rate).verbose_name
            errors.append(FieldError(f"{path}{rate}", f"{label}应在0到100之间(不含100)"))
    if len(errors) == n_before:
        try:
            values["ucns_qty"] = sas.ucns_qty(net, values.get("tgbl_loss_rate"), values.get("intgb_loss_rate"))
        except ValueError as exc:
            errors.append(FieldError(f"{path}intgb_loss_rate", str(exc)))
    return values


def _bom_refs(book: Book) -> dict[str, dict[int, Any]]:
    names = ("gds_seqno", "gds_mtno", "gdecd", "gds_nm")
    return {"endprd": {p.gds_seqno: p for p in _live(book, "products").only(*names)},
            "mtpck": {m.gds_seqno: m for m in _live(book, "materials").only(*names)}}


def _editable_book(actor: Actor, book_id: int | str) -> Book:
    book = get_book(actor, book_id, for_update=True)
    check_editable(book, "账册")
    if book.approved_once and not book.change_pending:
        raise ServiceError("账册已审批通过, 请先点击“变更”再修改", status=409)
    return book


COUNTED_STATES = (BalanceState.RESERVED, BalanceState.POSTED)  # as services.balances.COUNTED


def bom_versions_in_use(book_id: int, pairs: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """The (成品序号, 单耗版本号) among ``pairs`` that a counted export list (declared and not
    returned, or passed) consumes by. Such a version's 单耗 is frozen: what the list took (and
    will give back on 退单) was computed from it, so the book's services refuse to change, add
    or delete its rows (a changed 单耗 is a new 单耗版本号, the way the Single Window 单损耗
    form versions it). Hence a BOM change never alters a counted list's consumption and the
    kept balances need no rebuild after one."""
    if not pairs:
        return set()
    products = {p for p, _v in pairs}
    used = (InventoryItem.objects.filter(inventory__book_id=book_id, inventory__movement=Movement.EXPORT,
                                         inventory__balance_state__in=COUNTED_STATES,
                                         putrec_seqno__in=products)
            .values_list("putrec_seqno", "ucns_verno").order_by().distinct())
    return {(p, v or "") for p, v in used} & {(p, v or "") for p, v in pairs}


def _check_versions_free(book: Book, pairs: set[tuple[int, str]], path: str = "ucns_verno") -> None:
    """A 单耗版本号 a declared or passed export list consumes by is frozen (its 单耗 made the
    list's reservation and 核扣; bom_versions_in_use): refuse changing, adding to or
    deleting its rows — a changed 单耗 goes in a new 单耗版本号."""
    used = bom_versions_in_use(book.pk, pairs)
    if used:
        text = ", ".join(f"成品序号{p}单耗版本号{v or '(空)'}" for p, v in sorted(used))
        raise ServiceError.fields([FieldError(path, f"{text}已被申报或核扣的核注清单使用, 不能修改, "
                                                    f"请新增单耗版本号")], "单损耗校验未通过")


def _mark_changed(book: Book, line: models.Model) -> None:
    if book.approved_once and getattr(line, "modf_markcd", "") == MODF_UNCHANGED:
        line.modf_markcd = MODF_CHANGED
    elif not line.modf_markcd:
        line.modf_markcd = MODF_ADDED


@transaction.atomic
def save_book_line(actor: Actor, book_id: int | str, kind: str, row: dict[str, Any],
                   line_id: int | str | None = None) -> models.Model:
    """Enter on a grid row: 新增 (``line_id`` None) or save the edited row."""
    book = _editable_book(actor, book_id)
    model = _line_kind(kind)
    errors: list[FieldError] = []
    values = _line_values(book, kind, row, "", errors)
    if errors:
        raise ServiceError.fields(errors, f"{LINE_LABELS[kind]}校验未通过")
    seq_field = SEQ_FIELD[kind]
    if line_id is None:
        line = model(enterprise=actor.enterprise, book=book, modf_markcd=MODF_ADDED)
        action = f"新增{LINE_LABELS[kind]}"
    else:
        line = get_owned(model.objects.filter(book=book), line_id, LINE_LABELS[kind])
        if line.modf_markcd == MODF_DELETED:
            raise ServiceError(f"该{LINE_LABELS[kind]}已删除", status=409)
        old_seqno = getattr(line, seq_field)
        if kind != "boms" and values.get("gds_seqno") not in (None, old_seqno) and book.approved_once \
                and line.modf_markcd != MODF_ADDED:
            raise ServiceError.fields([FieldError("gds_seqno", "已审批的序号不能修改")])
        action = f"修改{LINE_LABELS[kind]}"
    if kind == "boms":
        pairs = {(values.get("endprd_seqno"), values.get("ucns_verno") or "")}
        if line.pk:
            pairs.add((line.endprd_seqno, line.ucns_verno or ""))
        _check_versions_free(book, pairs)
    for key, value in values.items():
        setattr(line, key, value)
    _mark_changed(book, line)
    if not getattr(line, seq_field):
        setattr(line, seq_field, next_seqno(model.objects.filter(book=book), seq_field))
    what = "序号" if kind != "boms" else "成品序号、单耗版本号和料件序号"
    save_unique(line, f"{LINE_LABELS[kind]}{what}重复", seq_field)
    audit.record(actor, book, action, changes={seq_field: [None, getattr(line, seq_field)]})
    return line


@transaction.atomic
def copy_book_lines(actor: Actor, book_id: int | str, kind: str, ids: list[int | str]) -> list[models.Model]:
    """复制 the checked rows with the next 序号 (a BOM copy gets the next 单耗版本号 of its pair)."""
    book = _editable_book(actor, book_id)
    model = _line_kind(kind)
    wanted = ids_of(ids, "要复制的行")
    sources = list(_live(book, kind).filter(pk__in=wanted))
    if len(sources) != len(set(wanted)):
        raise ServiceError("要复制的行不存在", status=404)
    seq_field = SEQ_FIELD[kind]
    copies = []
    for source in sources:
        source.pk = None
        setattr(source, seq_field, next_seqno(model.objects.filter(book=book), seq_field))
        source.modf_markcd = MODF_ADDED
        if kind == "boms":
            versions = set(BookBom.objects.filter(book=book, endprd_seqno=source.endprd_seqno,
                                                  mtpck_seqno=source.mtpck_seqno).values_list("ucns_verno", flat=True))
            n = 1
            while str(n) in versions:
                n += 1
            source.ucns_verno = str(n)
        save_unique(source, f"{LINE_LABELS[kind]}序号重复", seq_field, force_insert=True)
        copies.append(source)
    audit.record(actor, book, f"复制{LINE_LABELS[kind]}", changes={"rows": [None, len(copies)]})
    return copies


@transaction.atomic
def delete_book_lines(actor: Actor, book_id: int | str, kind: str, ids: list[int | str]) -> int:
    """删除: a row customs has not approved goes; an approved one is marked 2-删除 for the 变更.
    A 料件/成品 a BOM line still uses is refused."""
    book = _editable_book(actor, book_id)
    model = _line_kind(kind)
    wanted = ids_of(ids, "要删除的行")
    lines = list(_live(book, kind).filter(pk__in=wanted))
    if kind in ("materials", "products"):
        seq_field = "mtpck_seqno" if kind == "materials" else "endprd_seqno"
        seqnos = [line.gds_seqno for line in lines]
        used = sorted(set(_live(book, "boms").filter(**{f"{seq_field}__in": seqnos})
                          .values_list(seq_field, flat=True)))
        if used:
            raise ServiceError(f"{LINE_LABELS[kind]}序号{', '.join(map(str, used))}仍被单损耗使用, 请先删除对应单损耗")
    if kind == "boms":
        _check_versions_free(book, {(line.endprd_seqno, line.ucns_verno or "") for line in lines}, "ids")
    added = [line.pk for line in lines if line.modf_markcd != MODF_UNCHANGED and line.modf_markcd != MODF_CHANGED]
    approved = [line.pk for line in lines if line.pk not in added]
    model.objects.filter(pk__in=added).delete()
    model.objects.filter(pk__in=approved).update(modf_markcd=MODF_DELETED)
    audit.record(actor, book, f"删除{LINE_LABELS[kind]}", changes={"rows": [len(lines), 0]})
    return len(lines)


@transaction.atomic
def import_book_lines(actor: Actor, book_id: int | str, kind: str, rows: list[dict[str, Any]]) -> int:
    """Excel import into a grid, all or nothing; errors name the row (``rows.<n>.<field>``)."""
    book = _editable_book(actor, book_id)
    model = _line_kind(kind)
    errors: list[FieldError] = []
    refs = _bom_refs(book) if kind == "boms" else None
    prepared = [_line_values(book, kind, row, f"rows.{i}.", errors, refs) for i, row in enumerate(rows)]
    if errors:
        raise ServiceError.fields(errors, f"导入校验未通过, 共{len(errors)}处错误")
    if kind == "boms":
        _check_versions_free(book, {(v.get("endprd_seqno"), v.get("ucns_verno") or "") for v in prepared}, "rows")
    seq_field = SEQ_FIELD[kind]
    start = next_seqno(model.objects.filter(book=book), seq_field)
    objs = []
    for i, values in enumerate(prepared):
        if not values.get(seq_field):
            values[seq_field] = start + i
        objs.append(model(enterprise=actor.enterprise, book=book, modf_markcd=MODF_ADDED, **values))
    try:
        with transaction.atomic():
            model.objects.bulk_create(objs)
    except Exception:
        raise ServiceError(f"导入的{LINE_LABELS[kind]}与已有行重复(序号)") from None
    audit.record(actor, book, f"导入{LINE_LABELS[kind]}", changes={"rows": [None, len(objs)]})
    return len(objs)


@transaction.atomic
def start_change(actor: Actor, pk: int | str) -> Book:
    """变更 an approved book: it becomes editable; the next 变更次数 is given when it is declared."""
    book = get_book(actor, pk, for_update=True)
    if not book.approved_once or book.status != Status.APPROVED:
        raise ServiceError(f"账册状态为“{book.get_status_display()}”, 只有审批通过的账册可以变更", status=409)
    book.change_pending = True
    book.status = Status.DRAFT
    book.save(update_fields=["change_pending", "status", "updated_at"])
    audit.record(actor, book, "变更", before=Status.APPROVED.label, after=Status.DRAFT.label)
    return book


# ------------------------------------------------------------------------------- versions


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def snapshot(book: Book) -> dict[str, Any]:
    """The whole book as JSON-able data (head + live rows), what a version keeps."""
    data: dict[str, Any] = {"head": {n: _plain(getattr(book, n)) for n in HEAD_FIELDS}}
    for kind in BOOK_LINES:
        names = (*LINE_FIELDS[kind], *(("ucns_qty",) if kind == "boms" else ()))
        data[kind] = [{n: _plain(getattr(line, n)) for n in names}
                      for line in _live(book, kind).order_by(SEQ_FIELD[kind])]
    return data


def _key(kind: str, row: dict[str, Any]) -> str:
    if kind == "boms":
        return f"{row.get('endprd_seqno')}/{row.get('ucns_verno')}/{row.get('mtpck_seqno')}"
    return str(row.get("gds_seqno"))


def diff_snapshots(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What changed: head fields ``[old, new]``; per grid the rows added, deleted and changed
    (``{"key": ..., "fields": {name: [old, new]}}``)."""
    out: dict[str, Any] = {}
    head = {k: [before.get("head", {}).get(k), v] for k, v in after.get("head", {}).items()
            if before.get("head", {}).get(k) != v}
    if head:
        out["head"] = head
    for kind in BOOK_LINES:
        old = {_key(kind, r): r for r in before.get(kind, [])}
        new = {_key(kind, r): r for r in after.get(kind, [])}
        part: dict[str, Any] = {}
        added = [k for k in new if k not in old]
        deleted = [k for k in old if k not in new]
        changed = []
        for k in new.keys() & old.keys():
            fields = {n: [old[k].get(n), v] for n, v in new[k].items() if old[k].get(n) != v}
            if fields:
                changed.append({"key": k, "fields": fields})
        if added:
            part["added"] = added
        if deleted:
            part["deleted"] = deleted
        if changed:
            part["changed"] = sorted(changed, key=lambda c: c["key"])
        if part:
            out[kind] = part
    return out


def _summary(diff: dict[str, Any]) -> str:
    parts = []
    if diff.get("head"):
        parts.append(f"表头{len(diff['head'])}项")
    for kind, label in LINE_LABELS.items():
        part = diff.get(kind, {})
        counts = [f"{w}{len(part[k])}" for k, w in (("added", "增加"), ("changed", "修改"), ("deleted", "删除"))
                  if part.get(k)]
        if counts:
            parts.append(f"{label}{'、'.join(counts)}")
    return "; ".join(parts)[:500] or "无变化"


def book_versions(actor: Actor, pk: int | str) -> QuerySet[BookVersion]:
    book = get_book(actor, pk)
    return BookVersion.objects.filter(book=book).order_by("-chg_tms_cnt", "-id")


# ------------------------------------------------------------------------------- sending


def build_book_message(actor: Actor, book: Book, message_id: str, delcare_flag: str) -> bytes:
    lines = {kind: list(BOOK_LINES[kind].objects.filter(book=book).order_by(SEQ_FIELD[kind])) for kind in BOOK_LINES}
    data = sas.Nems(
        envelope=messages.envelope(actor, message_id),
        head=messages.record(sas.NemsHead, book, mtpck_item_cnt=Decimal(len(lines["materials"])),
                             endprd_item_cnt=Decimal(len(lines["products"]))),
        imgs=messages.rows(sas.NemsImg, lines["materials"]),
        exgs=messages.rows(sas.NemsExg, lines["products"]),
        cms=messages.rows(sas.NemsCm, lines["boms"]),
        delcare_flag=delcare_flag,
    )
    return sas.build_nems(data)


def _last_version(book: Book) -> BookVersion | None:
    return BookVersion.objects.filter(book=book).order_by("-chg_tms_cnt", "-id").first()


def _send(actor: Actor, pk: int | str, delcare_flag: str) -> Book:
    book = get_book(actor, pk, for_update=True)
    if book.status == Status.DECLARED and delcare_flag == "1":
        return book
    check_editable(book, "账册")
    if delcare_flag == "1":
        missing = [FieldError(name, f"{Book._meta.get_field(name).verbose_name}不能为空")
                   for name in DECLARE_REQUIRED_HEAD if getattr(book, name) in (None, "")]
        if not _live(book, "materials").exists():
            missing.append(FieldError("materials", "账册至少应有一项料件"))
        if missing:
            raise ServiceError.fields(missing, "申报校验未通过")
    before_status = book.get_status_display()
    last = _last_version(book)
    if book.approved_once:
        book.dcl_typecd = "2"
        if last is None or last.status == Status.APPROVED:
            book.chg_tms_cnt = (last.chg_tms_cnt if last else book.chg_tms_cnt or 0) + 1
    else:
        book.dcl_typecd, book.chg_tms_cnt = "1", 0
    message_id = messages.new_message_id(MESSAGE_KIND)
    book.dcl_time = timezone.localtime().replace(microsecond=0)
    xml = build_book_message(actor, book, message_id, delcare_flag)
    messages.check(xml, {"料件": "materials", "成品": "products", "单损耗": "boms"})
    book.client_seq_no = message_id
    book.status = Status.DECLARED if delcare_flag == "1" else Status.SENT
    book.declared_at = timezone.now()
    book.save()
    if delcare_flag == "1":
        state = snapshot(book)
        approved = BookVersion.objects.filter(book=book, status=Status.APPROVED).order_by("-chg_tms_cnt").first()
        diff = diff_snapshots(approved.snapshot if approved else {}, state)
        BookVersion.objects.update_or_create(
            book=book, chg_tms_cnt=book.chg_tms_cnt,
            defaults={"enterprise": actor.enterprise, "status": Status.DECLARED, "snapshot": state, "diff": diff,
                      "summary": _summary(diff), "created_by": actor.user},
        )
    messages.send(MESSAGE_KIND, message_id, xml)
    audit.record(actor, book, "申报" if delcare_flag == "1" else "发送", before=before_status,
                 after=book.get_status_display(), changes={"chg_tms_cnt": [None, book.chg_tms_cnt]})
    return book


@transaction.atomic
def send_book(actor: Actor, pk: int | str) -> Book:
    """发送 (DelcareFlag 0): to the Single Window as a temporary record."""
    return _send(actor, pk, "0")


@transaction.atomic
def declare_book(actor: Actor, pk: int | str) -> Book:
    """申报 (DelcareFlag 1) the 备案 or the 变更: EMS111 built from the rows, ``validate_sas``,
    enqueued; the version (变更次数, snapshot, diff against the last approved one) is kept."""
    return _send(actor, pk, "1")


@transaction.atomic
def delete_books(actor: Actor, ids: list[int | str]) -> int:
    """删除 books never declared to customs (暂存, 导入失败, no 账册编号)."""
    def refused(book: Book) -> str:
        declared = book.status not in (Status.DRAFT, Status.FAILED) or book.approved_once or book.versions.exists()
        return f"账册{book}已申报过, 不能删除" if declared else ""

    books = [get_book(actor, pk, for_update=True) for pk in ids_of(ids, "要删除的账册")]
    return delete_documents(actor, books, "账册", refused)


def book_message(actor: Actor, pk: int | str) -> bytes:
    book = get_book(actor, pk)
    return build_book_message(actor, book, book.client_seq_no or messages.new_message_id(MESSAGE_KIND), "1")


# ------------------------------------------------------------------------------ approval


def approve(book: Book, ems_no: str, when: dt.datetime | None) -> None:
    """Customs approved the 备案 or the 变更 (EMS211): the number, rows settled (2-删除 gone, the
    rest 0-未修改), the version approved, the 保税商品库 fed. Called by the receipt handler."""
    first = not book.approved_once
    if ems_no:
        book.ems_no = ems_no
    book.status = Status.APPROVED
    book.change_pending = False
    book.emapv_stucd = "1"
    book.approved_at = timezone.now()
    if first:
        book.putrec_appr_time = when or book.approved_at
    else:
        book.chg_appr_time = when or book.approved_at
    book.save()
    for model in BOOK_LINES.values():
        model.objects.filter(book=book, modf_markcd=MODF_DELETED).delete()
        model.objects.filter(book=book).exclude(modf_markcd=MODF_UNCHANGED).update(modf_markcd=MODF_UNCHANGED)
    BookVersion.objects.filter(book=book, chg_tms_cnt=book.chg_tms_cnt).update(
        status=Status.APPROVED, approved_at=book.approved_at)
    feed_bonded_items(book)


def feed_bonded_items(book: Book) -> int:
    """保税商品库 (datacenter) rows 备案号 = ems_no, 备案序号 = 料件/成品 序号, from an approved book:
    what a declaration with this 备案号 fills its items from. 币制 is stored as the params code (USD)
    already; ``normalise`` still maps an older numeric one (502) through the table's old codes."""
    from guanwu.datacenter.commodities.models import BondedItem

    if not book.ems_no:
        return 0
    rows = []
    for kind, flag in (("materials", "I"), ("products", "E")):
        for line in _live(book, kind):
            rows.append((flag, line))
    existing = {(kind, no): pk for pk, kind, no in BondedItem.objects.filter(
        enterprise_id=book.enterprise_id, ems_no=book.ems_no).values_list("pk", "goods_kind", "item_no")}
    now = timezone.now()
    inserts, updates = [], []
    for flag, line in rows:
        values = {
            "part_no": line.gds_mtno[:32], "code_ts": line.gdecd[:10], "g_name": line.gds_nm[:255],
            "g_model": line.endprd_gds_spcf_model_desc[:255], "g_unit": line.dcl_unitcd,
            "first_unit": line.lawf_unitcd, "second_unit": line.secd_lawf_unitcd,
            "decl_price": line.dcl_uprc_amt.quantize(Decimal("0.0001")) if line.dcl_uprc_amt is not None else None,
            "trade_curr": (params.normalise("currencies", line.dcl_currcd) or "")[:3] if line.dcl_currcd else "",
            "goods_kind": flag,
        }
        pk = existing.get((flag, line.gds_seqno))
        if pk is None:
            inserts.append(BondedItem(enterprise_id=book.enterprise_id, ems_no=book.ems_no,
                                      item_no=line.gds_seqno, **values))
        else:
            updates.append(BondedItem(pk=pk, updated_at=now, **values))
    BondedItem.objects.bulk_create(inserts)
    if updates:
        BondedItem.objects.bulk_update(updates, [*values, "updated_at"], batch_size=500)
    return len(rows)
