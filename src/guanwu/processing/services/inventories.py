"""保税核注清单 (INV101) 进口/出口: head + lines, 申报 through the gateway with the balance check
and reservation, the message."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, ServiceError
from guanwu.messages import sas
from guanwu.tenancy.context import Actor
from guanwu.tenancy.lookup import get_owned

from ..models import BalanceState, Book, BookBom, BookMaterial, BookProduct, Inventory, InventoryItem, Status
from . import messages
from .balances import LIVE_BOM, apply_list, check_balances, movement_of
from .common import check_editable, coerce, delete_documents, ids_of, next_seqno, save_unique

MESSAGE_KIND = "INV101"
RETURNED_FIELDS = ("seq_no", "bond_invt_no", "chg_tms_cnt", "invt_dcl_time", "prevd_time", "formal_vrfded_time",
                   "invt_iochkpt_stucd", "vrfded_markcd", "list_stat", "entry_stucd", "passport_used_type_cd",
                   "add_time")
HEAD_FIELDS = tuple(f.name for f in dataclasses.fields(sas.InvtHead) if f.name not in RETURNED_FIELDS)
REQUIRED_HEAD = ("putrec_no", "impexp_markcd", "mtpck_endprd_markcd")
ITEM_FIELDS = tuple(f.name for f in dataclasses.fields(sas.InvtItem)
                    if f.name not in ("seq_no", "modf_markcd", "add_time"))
# What a line takes from the book's 料件/成品 when it leaves it empty.
FROM_BOOK = {"gds_mtno": "gds_mtno", "gdecd": "gdecd", "gds_nm": "gds_nm",
             "gds_spcf_model_desc": "endprd_gds_spcf_model_desc", "dcl_unitcd": "dcl_unitcd",
             "lawf_unitcd": "lawf_unitcd", "secd_lawf_unitcd": "secd_lawf_unitcd", "dcl_currcd": "dcl_currcd",
             "lvyrlf_modecd": "lvyrlf_modecd"}
LABEL = {"I": "进口", "E": "出口"}


def list_inventories(actor: Actor, *, impexp_markcd: str = "", status: str = "", q: str = "") -> QuerySet[Inventory]:
    qs = Inventory.objects.for_enterprise(actor.enterprise)
    if impexp_markcd:
        qs = qs.filter(impexp_markcd=impexp_markcd)
    if status:
        qs = qs.filter(status__in=status.split(","))
    if q:
        q = q.strip()
        qs = qs.filter(Q(seq_no=q) | Q(bond_invt_no=q) | Q(etps_inner_invt_no=q) | Q(putrec_no=q))
    return qs


def get_inventory(actor: Actor, pk: int | str, *, for_update: bool = False) -> Inventory:
    return get_owned(Inventory.objects.for_enterprise(actor.enterprise), pk, "核注清单", for_update=for_update)


def _approved_book(actor: Actor, ems_no: str) -> Book | None:
    return (Book.objects.for_enterprise(actor.enterprise).filter(ems_no=(ems_no or "").strip().upper())
            .exclude(ems_no="").first())


def inventory_defaults(actor: Actor, impexp_markcd: str = "I", book_id: int | str | None = None) -> dict[str, Any]:
    """A new list: the enterprise as 经营/加工/申报/录入单位 and 对应报关单申报单位, 料件 in / 成品 out
    under 0615 进料对口, 报关 1 with 对应报关 2, 普通清单, 备案 申请, the book's number and 主管海关."""
    ent = actor.enterprise
    ie = "E" if impexp_markcd == "E" else "I"
    values: dict[str, Any] = {
        "bizop_etps_sccd": ent.scc, "bizop_etpsno": ent.customs_code, "bizop_etps_nm": ent.name,
        "rvsngd_etps_sccd": ent.scc, "rcvgd_etpsno": ent.customs_code, "rcvgd_etps_nm": ent.name,
        "dcl_etps_sccd": ent.scc, "dcl_etpsno": ent.customs_code, "dcl_etps_nm": ent.name,
        "input_code": ent.customs_code, "input_credit_code": ent.scc, "input_name": ent.name,
        "corr_entry_dcl_etps_sccd": ent.scc, "corr_entry_dcl_etps_no": ent.customs_code,
        "corr_entry_dcl_etps_nm": ent.name, "input_time": timezone.localdate(),
        "impexp_markcd": ie, "mtpck_endprd_markcd": ie, "supv_modecd": "0615", "trsp_modecd": "2",
        "dclcus_flag": "1", "dclcus_typecd": "2", "dec_type": "1" if ie == "I" else "2", "invt_type": "0",
        "dcl_typecd": "1", "gen_dec_flag": "1",
    }
    if book_id not in (None, ""):
        from .books import get_book

        book = get_book(actor, book_id)
        values.update(putrec_no=book.ems_no, dcl_plc_cuscd=book.master_cuscd)
    return values


def _head_values(actor: Actor, raw: dict[str, Any], current: dict[str, Any],
                 errors: list[FieldError]) -> tuple[dict[str, Any], Book | None]:
    head = {k: v for k, v in raw.items() if k != "items"}
    values, _ = coerce(Inventory, head, HEAD_FIELDS, errors=errors)
    merged = {**current, **values}
    for name in REQUIRED_HEAD:
        if not merged.get(name) and not any(e.field == name for e in errors):
            errors.append(FieldError(name, f"{Inventory._meta.get_field(name).verbose_name}不能为空"))
    for name, allowed in (("impexp_markcd", ("I", "E")), ("mtpck_endprd_markcd", ("I", "E"))):
        if merged.get(name) and merged[name] not in allowed:
            errors.append(FieldError(name, f"{Inventory._meta.get_field(name).verbose_name}应为I或E"))
    book = None
    if merged.get("putrec_no"):
        values["putrec_no"] = merged["putrec_no"].upper()
        book = _approved_book(actor, merged["putrec_no"])
        if book is None:
            errors.append(FieldError("putrec_no", f"本企业没有账册编号为{merged['putrec_no']}的已备案账册"))
    if not merged.get("etps_inner_invt_no"):
        values["etps_inner_invt_no"] = f"{actor.enterprise.customs_code}L{timezone.now():%y%m%d%H%M%S%f}"
    return values, book


def _book_rows(book: Book, kind: str, seqnos: set[int]) -> dict[int, Any]:
    model = BookProduct if kind == "E" else BookMaterial
    return {r.gds_seqno: r for r in model.objects.filter(book=book, gds_seqno__in=seqnos).exclude(modf_markcd="2")}


def _item_values(rows: list[Any], book: Book | None, kind: str, errors: list[FieldError],
                 path: str = "items.") -> list[dict[str, Any]]:
    """Typed lines; 料号, 编码, 名称, 规格, units, 币制 from the book's 料件 (I) / 成品 (E) of the 备案序号
    where the line leaves them empty; the 申报计量单位 must be the book's (balances count in it)."""
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            errors.append(FieldError(f"{path}{i}", "表体数据格式错误"))
            out.append({})
            continue
        values, _ = coerce(InventoryItem, row, ITEM_FIELDS, path=f"{path}{i}.", errors=errors)
        out.append(values)
    if book is None:
        return out
    refs = _book_rows(book, kind, {v["putrec_seqno"] for v in out if v.get("putrec_seqno")})
    what = "成品" if kind == "E" else "料件"
    for i, values in enumerate(out):
        seqno = values.get("putrec_seqno")
        if seqno is None:
            if values or not errors:
                errors.append(FieldError(f"{path}{i}.putrec_seqno", "备案序号不能为空"))
            continue
        ref = refs.get(seqno)
        if ref is None:
            errors.append(FieldError(f"{path}{i}.putrec_seqno", f"账册{book.ems_no}中没有{what}序号{seqno}"))
            continue
        for name, source in FROM_BOOK.items():
            if not values.get(name):
                values[name] = getattr(ref, source)
        if values["dcl_unitcd"] != ref.dcl_unitcd:
            errors.append(FieldError(f"{path}{i}.dcl_unitcd",
                                     f"申报计量单位应与账册{what}序号{seqno}备案的一致({ref.dcl_unitcd})"))
        if values.get("dcl_total_amt") is None and values.get("dcl_uprc_amt") is not None and values.get("dcl_qty"):
            values["dcl_total_amt"] = (values["dcl_uprc_amt"] * values["dcl_qty"]).quantize(Decimal("0.01"))
        if values.get("lawf_qty") is None and values.get("lawf_unitcd") == values.get("dcl_unitcd"):
            values["lawf_qty"] = values.get("dcl_qty")
    return out


def _write_items(actor: Actor, inventory: Inventory, items: list[dict[str, Any]]) -> None:
    InventoryItem.objects.filter(inventory=inventory).delete()
    objs = []
    for n, values in enumerate(items, 1):
        values = dict(values)
        values.setdefault("gds_seqno", None)
        if not values["gds_seqno"]:
            values["gds_seqno"] = n
        objs.append(InventoryItem(enterprise=actor.enterprise, inventory=inventory, modf_markcd="3", **values))
    seqnos = [o.gds_seqno for o in objs]
    dupes = sorted({s for s in seqnos if seqnos.count(s) > 1})
    if dupes:
        raise ServiceError.fields([FieldError("items", f"商品序号重复：{', '.join(map(str, dupes))}")])
    InventoryItem.objects.bulk_create(objs, batch_size=1000)


def _set_movement(inventory: Inventory) -> None:
    inventory.movement = movement_of(inventory.impexp_markcd, inventory.mtpck_endprd_markcd,
                                              inventory.supv_modecd)


@transaction.atomic
def create_inventory(actor: Actor, data: dict[str, Any]) -> Inventory:
    """新增 + 暂存: ``data`` = head fields plus ``items`` (list of line dicts)."""
    if not isinstance(data, dict):
        raise ServiceError("核注清单数据格式错误")
    errors: list[FieldError] = []
    defaults = inventory_defaults(actor, str(data.get("impexp_markcd") or "I"))
    head, book = _head_values(actor, data, defaults, errors)
    merged = {**defaults, **head}
    raw_items = data.get("items") or []
    if not isinstance(raw_items, list):
        raise ServiceError.fields([FieldError("items", "表体应为列表")])
    items = _item_values(raw_items, book, merged.get("mtpck_endprd_markcd", "I"), errors)
    if errors:
        raise ServiceError.fields(errors, "暂存校验未通过")
    if book is not None and not merged.get("dcl_plc_cuscd"):
        merged["dcl_plc_cuscd"] = book.master_cuscd
    inventory = Inventory(enterprise=actor.enterprise, created_by=actor.user, status=Status.DRAFT, book=book,
                          chg_tms_cnt=0, **merged)
    _set_movement(inventory)
    inventory.save(force_insert=True)
    _write_items(actor, inventory, items)
    audit.record(actor, inventory, "暂存", after=Status.DRAFT.label, changes={"items": [0, len(items)]})
    return inventory


@transaction.atomic
def update_inventory(actor: Actor, pk: int | str, data: dict[str, Any]) -> Inventory:
    """暂存 an edited list: head fields given replace the stored ones; ``items`` given replaces all lines."""
    inventory = get_inventory(actor, pk, for_update=True)
    check_editable(inventory, "核注清单")
    if not isinstance(data, dict):
        raise ServiceError("核注清单数据格式错误")
    errors: list[FieldError] = []
    current = audit.snapshot(inventory, HEAD_FIELDS)
    head, book = _head_values(actor, data, current, errors)
    merged = {**current, **head}
    items = None
    if "items" in data:
        if not isinstance(data["items"], list):
            raise ServiceError.fields([FieldError("items", "表体应为列表")])
        items = _item_values(data["items"], book, merged.get("mtpck_endprd_markcd", "I"), errors)
    elif book is not None and (book.pk != inventory.book_id
                               or merged.get("mtpck_endprd_markcd") != inventory.mtpck_endprd_markcd):
        stored = list(InventoryItem.objects.filter(inventory=inventory).values(*ITEM_FIELDS))
        items = _item_values([{k: v for k, v in r.items() if v not in (None, "")} for r in stored], book,
                             merged.get("mtpck_endprd_markcd", "I"), errors)
    if errors:
        raise ServiceError.fields(errors, "暂存校验未通过")
    for key, value in head.items():
        setattr(inventory, key, value)
    inventory.book = book
    _set_movement(inventory)
    inventory.save()
    if items is not None:
        _write_items(actor, inventory, items)
    audit.record(actor, inventory, "暂存", before=inventory.get_status_display(),
                 after=inventory.get_status_display(),
                 changes=audit.diff(current, audit.snapshot(inventory, HEAD_FIELDS)))
    return inventory


@transaction.atomic
def save_inventory_item(actor: Actor, inventory_id: int | str, row: dict[str, Any],
                        item_id: int | str | None = None) -> InventoryItem:
    """Enter on a line: 新增 (``item_id`` None) or save the edited line."""
    inventory = get_inventory(actor, inventory_id, for_update=True)
    check_editable(inventory, "核注清单")
    errors: list[FieldError] = []
    if item_id is None:
        item = InventoryItem(enterprise=actor.enterprise, inventory=inventory, modf_markcd="3")
        given = dict(row) if isinstance(row, dict) else row
    else:
        item = get_owned(InventoryItem.objects.filter(inventory=inventory), item_id, "清单表体")
        stored = {n: getattr(item, n) for n in ITEM_FIELDS if getattr(item, n) not in (None, "")}
        given = {**stored, **row} if isinstance(row, dict) else row
    [values] = _item_values([given], inventory.book, inventory.mtpck_endprd_markcd, errors, path="")
    if errors:
        raise ServiceError.fields([FieldError(e.field.removeprefix("0."), e.message) for e in errors], "表体校验未通过")
    for key, value in values.items():
        setattr(item, key, value)
    if not item.gds_seqno:
        item.gds_seqno = next_seqno(InventoryItem.objects.filter(inventory=inventory))
    save_unique(item, f"商品序号{item.gds_seqno}已存在", "gds_seqno")
    audit.record(actor, inventory, "保存表体", changes={"gds_seqno": [None, item.gds_seqno]})
    return item


@transaction.atomic
def copy_inventory_items(actor: Actor, inventory_id: int | str, ids: list[int | str]) -> list[InventoryItem]:
    inventory = get_inventory(actor, inventory_id, for_update=True)
    check_editable(inventory, "核注清单")
    wanted = ids_of(ids, "要复制的行")
    sources = list(InventoryItem.objects.filter(inventory=inventory, pk__in=wanted).order_by("gds_seqno"))
    if len(sources) != len(set(wanted)):
        raise ServiceError("要复制的行不存在", status=404)
    for source in sources:
        source.pk = None
        source.gds_seqno = next_seqno(InventoryItem.objects.filter(inventory=inventory))
        source.save(force_insert=True)
    audit.record(actor, inventory, "复制表体", changes={"rows": [None, len(sources)]})
    return sources


@transaction.atomic
def delete_inventory_items(actor: Actor, inventory_id: int | str, ids: list[int | str]) -> int:
    inventory = get_inventory(actor, inventory_id, for_update=True)
    check_editable(inventory, "核注清单")
    deleted, _ = InventoryItem.objects.filter(inventory=inventory, pk__in=ids_of(ids, "要删除的行")).delete()
    audit.record(actor, inventory, "删除表体", changes={"rows": [deleted, 0]})
    return deleted


@transaction.atomic
def delete_inventories(actor: Actor, ids: list[int | str]) -> int:
    """删除 lists never declared (暂存, 导入失败)."""
    def refused(inventory: Inventory) -> str:
        if inventory.status not in (Status.DRAFT, Status.FAILED) or inventory.balance_state != BalanceState.NONE:
            return f"核注清单{inventory}状态为“{inventory.get_status_display()}”, 只能删除暂存的清单"
        return ""

    found = [get_inventory(actor, pk, for_update=True) for pk in ids_of(ids, "要删除的核注清单")]
    return delete_documents(actor, found, "核注清单", refused)


def resolve_versions(inventory: Inventory) -> int:
    """An export line without 单耗版本号 takes the version in force of its 成品: the highest
    版本号 of the book's BOM in force for it (set-based: one query per version found)."""
    if inventory.mtpck_endprd_markcd != "E" or inventory.book_id is None:
        return 0
    blank = InventoryItem.objects.filter(inventory=inventory, ucns_verno="")
    products = set(blank.values_list("putrec_seqno", flat=True))
    if not products:
        return 0
    latest: dict[int, str] = {}
    for endprd, verno in (BookBom.objects.filter(book_id=inventory.book_id, endprd_seqno__in=products,
                                                 modf_markcd__in=LIVE_BOM)
                          .values_list("endprd_seqno", "ucns_verno").distinct()):
        if endprd not in latest or _version_key(verno) > _version_key(latest[endprd]):
            latest[endprd] = verno
    changed = 0
    by_version: dict[str, list[int]] = {}
    for endprd, verno in latest.items():
        by_version.setdefault(verno, []).append(endprd)
    for verno, endprds in by_version.items():
        changed += blank.filter(putrec_seqno__in=endprds).update(ucns_verno=verno)
    return changed


def _version_key(verno: str) -> tuple[int, str]:
    return (int(verno), verno) if verno.isdigit() else (-1, verno)


def build_inventory_message(actor: Actor, inventory: Inventory, message_id: str, delcare_flag: str) -> bytes:
    items = InventoryItem.objects.filter(inventory=inventory).order_by("gds_seqno")
    data = sas.Inv101(
        envelope=messages.envelope(actor, message_id),
        head=messages.record(sas.InvtHead, inventory),
        items=messages.rows(sas.InvtItem, items),
        sys_id="95", oper_cus_reg_code=actor.enterprise.customs_code, delcare_flag=delcare_flag,
    )
    return sas.build_inv101(data)


@transaction.atomic
def declare_inventory(actor: Actor, pk: int | str, *, delcare_flag: str = "1") -> Inventory:
    """申报 (DelcareFlag 1; 0 = 发送, 单一窗口暂存): lines resolved (单耗版本号 in force), the balance
    check (422 with one error per line: unknown 备案序号, 成品 without BOM, overdraw), INV101 built
    and validated, enqueued; a 申报 reserves the quantities the list takes."""
    inventory = get_inventory(actor, pk, for_update=True)
    if inventory.status == Status.DECLARED and delcare_flag == "1":
        return inventory
    check_editable(inventory, "核注清单")
    if inventory.book_id is None:
        raise ServiceError.fields([FieldError("putrec_no", "备案编号不能为空")], "申报校验未通过")
    Book.objects.select_for_update().filter(pk=inventory.book_id).first()  # one check at a time per book
    book = inventory.book
    if book.status not in (Status.APPROVED,) and not book.approved_once:
        raise ServiceError.fields([FieldError("putrec_no", f"账册{book}未审批通过, 不能申报核注清单")])
    if not InventoryItem.objects.filter(inventory=inventory).exists():
        raise ServiceError.fields([FieldError("items", "核注清单至少应有一项表体")], "申报校验未通过")
    resolve_versions(inventory)
    errors = check_balances(inventory)
    if errors:
        raise ServiceError.fields(errors, f"余量校验未通过, 共{len(errors)}处错误")
    before = inventory.get_status_display()
    message_id = messages.new_message_id(MESSAGE_KIND)
    inventory.invt_dcl_time = timezone.localdate()
    xml = build_inventory_message(actor, inventory, message_id, delcare_flag)
    messages.check(xml)
    inventory.client_seq_no = message_id
    inventory.declared_at = timezone.now()
    old_state = inventory.balance_state
    if delcare_flag == "1":
        inventory.status = Status.DECLARED
        inventory.balance_state = BalanceState.RESERVED
    else:
        inventory.status = Status.SENT
    inventory.save()
    apply_list(inventory, old_state, inventory.balance_state)
    messages.send(MESSAGE_KIND, message_id, xml)
    audit.record(actor, inventory, "申报" if delcare_flag == "1" else "发送", before=before,
                 after=inventory.get_status_display(), changes={"client_seq_no": [None, message_id]})
    return inventory


def inventory_message(actor: Actor, pk: int | str) -> bytes:
    """The INV101 of the list as it would be sent now (a GET: nothing is stored)."""
    inventory = get_inventory(actor, pk)
    return build_inventory_message(actor, inventory, inventory.client_seq_no or messages.new_message_id(MESSAGE_KIND),
                                   "1")
