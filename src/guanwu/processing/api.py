"""``/api/v1/processing``: 企业资质申请 (``/applications``), 加工贸易账册 (``/books``) and 保税核注清单
(``/inventories``), with the conventions of the declaration API: create answers 201 with the
draft, 申报 202 or 422 with field errors, another enterprise's id 404. JSON names are the model
field names: the snake_case of the 金二 element names (``putrec_no``, ``gds_mtno`` ...)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models
from ninja import Router, Status

from guanwu.apikit.bodies import answer_model, answer_rows, answer_schema, body_model, field_schema, rows_of
from guanwu.apikit.openapi import file_answer
from guanwu.apikit.params import Limit, Offset, paged
from guanwu.core.downloads import inline_xml
from guanwu.core.errors import NotFound

from . import services
from .models import (
    Book,
    BookBom,
    BookMaterial,
    BookProduct,
    BookVersion,
    Inventory,
    InventoryItem,
    ProcessingReceipt,
    QualificationApplication,
    QualificationGoods,
)
from .services import books as book_services
from .services import inventories as inventory_services
from .services import qualifications as qualification_services

router = Router(tags=["加工贸易"])
PAGE_LIMIT = 200
TEXT: dict[str, Any] = {"type": "string"}


def plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def values_of(obj: models.Model, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: plain(getattr(obj, name)) for name in names}


# ------------------------------------------------------------------------------- schemas


def _in_fields(model: type[models.Model], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: field_schema(model._meta.get_field(name)) for name in names}


def _out_fields(model: type[models.Model], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: answer_schema(model._meta.get_field(name)) for name in names}


STATE_FIELDS = ("status", "seq_no", "created_at", "declared_at", "approved_at", "client_seq_no")
STATE_OUT = {
    "id": {"type": "integer", "title": "id"},
    **_out_fields(QualificationApplication, STATE_FIELDS),
    "status_label": {**TEXT, "title": "状态名称"},
}
RECEIPT_FIELDS = ("message_type", "manage_result", "manage_result_text", "implied_status", "seq_no", "business_id",
                  "rmk", "check_infos", "notice_date", "received_at")
ReceiptOut = answer_model("ProcessingReceiptOut", _out_fields(ProcessingReceipt, RECEIPT_FIELDS), title="回执")
ReceiptBox = answer_model("ProcessingReceiptBox", {
    "seq_no": {**TEXT, "title": "预录入统一编号"}, "business_id": {**TEXT, "title": "业务编号"},
    "status": {**TEXT, "title": "数据状态"},
    "approved_at": {"type": ["string", "null"], "format": "date-time", "title": "审批日期"},
    "rmk": {**TEXT, "title": "备注"},
    "check_infos": {"type": "array", "title": "回执明细", "items": {"type": "object", "properties": {
        "seqno": {"type": "integer", "title": "序号"}, "note": {**TEXT, "title": "检查信息"}}}},
    "message_type": {**TEXT, "title": "回执类型"}, "manage_result_text": {**TEXT, "title": "处理结果"},
}, title="查看回执")


def _state(obj: Any) -> dict[str, Any]:
    return {"id": obj.pk, **values_of(obj, STATE_FIELDS), "status_label": obj.get_status_display()}


def _receipts(obj: Any) -> list[dict[str, Any]]:
    return [values_of(r, RECEIPT_FIELDS) for r in obj.receipts.order_by("received_at", "id")]


def _box(box: dict[str, Any]) -> dict[str, Any]:
    return {**box, "approved_at": plain(box["approved_at"])}


# -- 企业资质申请

Q_HEAD = qualification_services.HEAD_FIELDS
Q_GOODS = qualification_services.GOODS_FIELDS
QualificationIn = body_model("QualificationApplicationIn", _in_fields(QualificationApplication, Q_HEAD),
                             title="企业资质申请表头",
                             description="暂存: 新建时未给的字段取本企业的默认值; 修改时只改给出的字段")
GoodsIn = body_model("QualificationGoodsIn", {
    "kind": {"type": "string", "enum": ["I", "E"], "title": "料件/成品",
             "description": "I: 料件; E: 成品 (新增时必填)"},
    **_in_fields(QualificationGoods, Q_GOODS)}, title="企业资质料件/成品行")
GoodsOut = answer_model("QualificationGoodsOut", {"id": {"type": "integer", "title": "id"},
                                                   **_out_fields(QualificationGoods, ("kind", *Q_GOODS))},
                        title="企业资质料件/成品行")
Q_OUT_HEAD = tuple(n for n in (*Q_HEAD, *qualification_services.RETURNED_FIELDS) if n not in STATE_FIELDS)
QualificationOut = answer_model("QualificationApplicationOut", {
    **STATE_OUT, **_out_fields(QualificationApplication, Q_OUT_HEAD),
    "imgs": answer_rows(GoodsOut, "料件"), "exgs": answer_rows(GoodsOut, "成品"),
    "receipts": answer_rows(ReceiptOut, "回执"),
}, title="企业资质申请")
QualificationSummary = answer_model("QualificationApplicationSummary", {
    **STATE_OUT, **_out_fields(QualificationApplication, ("netwk_etps_arcrp_no", "etps_preent_no", "bizop_etps_nm",
                                                          "master_cuscd", "qua_typecd"))},
    title="企业资质申请 (摘要)")
QualificationPage = answer_model("QualificationApplicationPage", {
    "count": {"type": "integer", "title": "总条数"}, "offset": {"type": "integer", "title": "跳过的条数"},
    "limit": {"type": "integer", "title": "每页条数"}, "results": answer_rows(QualificationSummary, "本页")},
    title="企业资质申请列表")


def goods_out(g: QualificationGoods) -> dict[str, Any]:
    return {"id": g.pk, **values_of(g, ("kind", *Q_GOODS))}


def application_out(app: QualificationApplication) -> dict[str, Any]:
    goods = list(app.goods.order_by("kind", "gds_seqno"))
    return {**_state(app), **values_of(app, Q_OUT_HEAD),
            "imgs": [goods_out(g) for g in goods if g.kind == "I"],
            "exgs": [goods_out(g) for g in goods if g.kind == "E"], "receipts": _receipts(app)}


@router.get("/processing/applications", response=QualificationPage, summary="企业资质申请列表")
def list_applications(request, status: str = "", q: str = "", offset: Offset = 0, limit: Limit = 50):
    return paged(services.list_applications(request.auth, status=status, q=q), offset, limit, lambda a: {
        **_state(a), **values_of(a, ("netwk_etps_arcrp_no", "etps_preent_no", "bizop_etps_nm", "master_cuscd",
                                     "qua_typecd"))}, max_limit=PAGE_LIMIT)


@router.post("/processing/applications", response={201: QualificationOut}, summary="新增企业资质申请(暂存)")
def create_application(request, data: QualificationIn):
    return Status(201, application_out(services.create_application(request.auth, data.raw())))


@router.get("/processing/applications/{application_id}", response=QualificationOut, summary="企业资质申请详情")
def get_application(request, application_id: int):
    return application_out(services.get_application(request.auth, application_id))


@router.put("/processing/applications/{application_id}", response=QualificationOut,
            summary="修改企业资质申请表头(暂存)")
def update_application(request, application_id: int, data: QualificationIn | None = None):
    app = services.update_application(request.auth, application_id, data.raw() if data else {})
    return application_out(app)


@router.delete("/processing/applications/{application_id}", response={204: None}, summary="删除企业资质申请")
def delete_application(request, application_id: int):
    services.delete_applications(request.auth, [application_id])
    return Status(204, None)


@router.post("/processing/applications/{application_id}/goods", response={201: GoodsOut}, summary="新增料件/成品行")
def add_goods(request, application_id: int, data: GoodsIn | None = None):
    raw = data.raw() if data else {}
    services.get_application(request.auth, application_id)  # 404 first
    kind = str(raw.pop("kind", "") or "")
    return Status(201, goods_out(services.save_goods(request.auth, application_id, kind, raw)))


@router.put("/processing/applications/{application_id}/goods/{goods_id}", response=GoodsOut, summary="修改料件/成品行")
def edit_goods(request, application_id: int, goods_id: int, data: GoodsIn | None = None):
    raw = data.raw() if data else {}
    app = services.get_application(request.auth, application_id)
    goods = app.goods.filter(pk=goods_id).first()
    kind = str(raw.pop("kind", "") or (goods.kind if goods else "I"))
    return goods_out(services.save_goods(request.auth, application_id, kind, raw, goods_id))


@router.delete("/processing/applications/{application_id}/goods/{goods_id}", response={204: None},
               summary="删除料件/成品行")
def delete_goods(request, application_id: int, goods_id: int):
    services.delete_goods(request.auth, application_id, [goods_id])
    return Status(204, None)


@router.post("/processing/applications/{application_id}/send", response={202: QualificationOut},
             summary="发送 (单一窗口暂存)")
def send_application(request, application_id: int):
    return Status(202, application_out(services.send_application(request.auth, application_id)))


@router.post("/processing/applications/{application_id}/declare", response={202: QualificationOut}, summary="申报")
def declare_application(request, application_id: int):
    return Status(202, application_out(services.declare_application(request.auth, application_id)))


@router.post("/processing/applications/{application_id}/change", response=QualificationOut,
             summary="变更 (审批通过的企业资质申请)")
def change_application(request, application_id: int):
    return application_out(services.start_application_change(request.auth, application_id))


@router.get("/processing/applications/{application_id}/receipt", response=ReceiptBox, summary="查看回执")
def application_receipt(request, application_id: int):
    return _box(services.receipt_box(request.auth, services.get_application(request.auth, application_id)))


@router.get("/processing/applications/{application_id}/message.xml", summary="企业资质申请报文 EMS101",
            openapi_extra=file_answer("application/xml", "EMS101 报文 (XML)"))
def application_xml(request, application_id: int):
    return inline_xml(services.application_message(request.auth, application_id), f"EMS101_{application_id}")


# -- 加工贸易账册

B_HEAD = book_services.HEAD_FIELDS
B_OUT_HEAD = tuple(n for n in (*B_HEAD, *book_services.RETURNED_FIELDS, "change_pending") if n not in STATE_FIELDS)
LINE_MODELS = {"materials": BookMaterial, "products": BookProduct, "boms": BookBom}
LINE_OUT = {kind: ("modf_markcd", *book_services.LINE_FIELDS[kind], *(("ucns_qty",) if kind == "boms" else ()))
            for kind in LINE_MODELS}
BookIn = body_model("BookIn", _in_fields(Book, B_HEAD), title="加工贸易账册表头",
                    description="暂存: 新建时未给的字段取本企业的默认值; 修改时只改给出的字段")
LineIns = {kind: body_model(f"{model.__name__}In", _in_fields(model, book_services.LINE_FIELDS[kind]),
                            title=f"账册{book_services.LINE_LABELS[kind]}")
           for kind, model in LINE_MODELS.items()}
LineOuts = {kind: answer_model(f"{model.__name__}Out", {"id": {"type": "integer", "title": "id"},
                                                          **_out_fields(model, LINE_OUT[kind])},
                               title=f"账册{book_services.LINE_LABELS[kind]}")
            for kind, model in LINE_MODELS.items()}
BookOut = answer_model("BookOut", {
    **STATE_OUT, **_out_fields(Book, B_OUT_HEAD),
    **{kind: answer_rows(LineOuts[kind], book_services.LINE_LABELS[kind]) for kind in LINE_MODELS},
    "receipts": answer_rows(ReceiptOut, "回执"),
}, title="加工贸易账册")
BookSummary = answer_model("BookSummary", {**STATE_OUT, **_out_fields(
    Book, ("ems_no", "etps_preent_no", "chg_tms_cnt", "master_cuscd", "bizop_etps_nm", "change_pending"))},
    title="加工贸易账册 (摘要)")
BookPage = answer_model("BookPage", {
    "count": {"type": "integer", "title": "总条数"}, "offset": {"type": "integer", "title": "跳过的条数"},
    "limit": {"type": "integer", "title": "每页条数"}, "results": answer_rows(BookSummary, "本页")}, title="账册列表")
BalanceOut = answer_model("BalanceOut", {
    "gds_seqno": {"type": "integer", "title": "料件序号"}, "gds_mtno": {**TEXT, "title": "料号"},
    "code_ts": {**TEXT, "title": "商品编码"}, "g_name": {**TEXT, "title": "商品名称"},
    "unit": {**TEXT, "title": "申报计量单位"},
    **{name: {"type": "string", "title": title} for name, title in (
        ("imported", "进口数量"), ("consumed", "耗用数量"), ("returned", "退运数量"), ("domestic_sold", "内销数量"),
        ("reserved", "预占数量"), ("balance", "余量"))},
}, title="料件余额")
VersionOut = answer_model("BookVersionOut", {"id": {"type": "integer", "title": "id"}, **_out_fields(
    BookVersion, ("chg_tms_cnt", "status", "summary", "diff", "created_at", "approved_at"))}, title="账册版本")


def line_out(kind: str, line: Any) -> dict[str, Any]:
    return {"id": line.pk, **values_of(line, LINE_OUT[kind])}


def book_summary(b: Book) -> dict[str, Any]:
    return {**_state(b), **values_of(b, ("ems_no", "etps_preent_no", "chg_tms_cnt", "master_cuscd", "bizop_etps_nm",
                                         "change_pending"))}


def book_out(b: Book) -> dict[str, Any]:
    out = {**_state(b), **values_of(b, B_OUT_HEAD)}
    for kind, model in LINE_MODELS.items():
        out[kind] = [line_out(kind, line) for line in model.objects.filter(book=b).order_by(
            book_services.SEQ_FIELD[kind], "id")]
    out["receipts"] = _receipts(b)
    return out


@router.get("/processing/books", response=BookPage, summary="加工贸易账册列表")
def list_books(request, status: str = "", q: str = "", offset: Offset = 0, limit: Limit = 50):
    return paged(services.list_books(request.auth, status=status, q=q), offset, limit, book_summary,
                 max_limit=PAGE_LIMIT)


@router.post("/processing/books", response={201: BookOut}, summary="账册备案 新增(暂存)")
def create_book(request, data: BookIn):
    return Status(201, book_out(services.create_book(request.auth, data.raw())))


@router.get("/processing/books/{book_id}", response=BookOut, summary="账册详情")
def get_book(request, book_id: int):
    return book_out(services.get_book(request.auth, book_id))


@router.put("/processing/books/{book_id}", response=BookOut, summary="修改账册表头(暂存)")
def update_book(request, book_id: int, data: BookIn | None = None):
    return book_out(services.update_book(request.auth, book_id, data.raw() if data else {}))


@router.delete("/processing/books/{book_id}", response={204: None}, summary="删除账册(未申报过的)")
def delete_book(request, book_id: int):
    services.delete_books(request.auth, [book_id])
    return Status(204, None)


def _line_routes(kind: str) -> None:
    """新增/修改/删除 one grid's rows: ``/books/{id}/materials``, ``/products``, ``/boms``."""
    label = book_services.LINE_LABELS[kind]
    body, answer = LineIns[kind], LineOuts[kind]

    def add_line(request, book_id: int, data: body | None = None):  # type: ignore[valid-type]
        services.get_book(request.auth, book_id)
        line = services.save_book_line(request.auth, book_id, kind, data.raw() if data else {})
        return Status(201, line_out(kind, line))

    def edit_line(request, book_id: int, line_id: int, data: body | None = None):  # type: ignore[valid-type]
        services.get_book(request.auth, book_id)
        return line_out(kind, services.save_book_line(request.auth, book_id, kind, data.raw() if data else {},
                                                      line_id))

    def delete_line(request, book_id: int, line_id: int):
        services.get_book(request.auth, book_id)
        line = LINE_MODELS[kind].objects.filter(book_id=book_id, pk=line_id).first()
        if line is None:
            raise NotFound(f"{label}不存在或无权访问")
        services.delete_book_lines(request.auth, book_id, kind, [line_id])
        return Status(204, None)

    for func, name in ((add_line, "add"), (edit_line, "edit"), (delete_line, "delete")):
        func.__name__ = f"{name}_book_{kind}"
        if "data" in func.__annotations__:  # postponed annotations name the local ``body``
            func.__annotations__["data"] = body | None
    router.post(f"/processing/books/{{book_id}}/{kind}", response={201: answer}, summary=f"新增{label}行")(add_line)
    router.put(f"/processing/books/{{book_id}}/{kind}/{{line_id}}", response=answer,
               summary=f"修改{label}行")(edit_line)
    router.delete(f"/processing/books/{{book_id}}/{kind}/{{line_id}}", response={204: None},
                  summary=f"删除{label}行")(delete_line)


for _kind_name in LINE_MODELS:
    _line_routes(_kind_name)


@router.post("/processing/books/{book_id}/change", response=BookOut, summary="变更 (审批通过的账册)")
def change_book(request, book_id: int):
    return book_out(services.start_change(request.auth, book_id))


@router.post("/processing/books/{book_id}/send", response={202: BookOut}, summary="发送 (单一窗口暂存)")
def send_book(request, book_id: int):
    return Status(202, book_out(services.send_book(request.auth, book_id)))


@router.post("/processing/books/{book_id}/declare", response={202: BookOut}, summary="申报 (备案或变更)")
def declare_book(request, book_id: int):
    return Status(202, book_out(services.declare_book(request.auth, book_id)))


@router.get("/processing/books/{book_id}/balances", response=list[BalanceOut], summary="料件余额")
def book_balances(request, book_id: int):
    return [{k: plain(v) for k, v in row.__dict__.items()} for row in services.balances(request.auth, book_id)]


@router.get("/processing/books/{book_id}/versions", response=list[VersionOut], summary="账册版本 (备案与各次变更)")
def book_versions(request, book_id: int):
    return [{"id": v.pk, **values_of(v, ("chg_tms_cnt", "status", "summary", "diff", "created_at", "approved_at"))}
            for v in services.book_versions(request.auth, book_id)]


@router.get("/processing/books/{book_id}/receipt", response=ReceiptBox, summary="查看回执")
def book_receipt(request, book_id: int):
    return _box(services.receipt_box(request.auth, services.get_book(request.auth, book_id)))


@router.get("/processing/books/{book_id}/message.xml", summary="账册报文 EMS111",
            openapi_extra=file_answer("application/xml", "EMS111 报文 (XML)"))
def book_xml(request, book_id: int):
    return inline_xml(services.book_message(request.auth, book_id), f"EMS111_{book_id}")


# -- 保税核注清单

I_HEAD = inventory_services.HEAD_FIELDS
I_ITEM = inventory_services.ITEM_FIELDS
I_OUT_HEAD = tuple(n for n in (*I_HEAD, *inventory_services.RETURNED_FIELDS, "movement", "balance_state",
                               "entry_seq_no") if n not in STATE_FIELDS)
ItemIn = body_model("InventoryItemIn", _in_fields(InventoryItem, I_ITEM), title="核注清单表体")
InventoryIn = body_model("InventoryIn", {
    **_in_fields(Inventory, I_HEAD),
    "items": rows_of(ItemIn, "表体", "表体列表; 修改时给出即整体替换, 不给则保留原有行"),
}, title="保税核注清单",
    description="暂存/修改: 表头字段与表体; 校验不通过时答 422, errors 的 field 如 items.0.putrec_seqno")
ItemOut = answer_model("InventoryItemOut", {"id": {"type": "integer", "title": "id"},
                                             **_out_fields(InventoryItem, I_ITEM)}, title="核注清单表体")
InventoryOut = answer_model("InventoryOut", {
    **STATE_OUT, **_out_fields(Inventory, I_OUT_HEAD),
    "book_id": {"type": ["integer", "null"], "title": "账册 id"},
    "declaration_id": {"type": ["integer", "null"], "title": "报关单草稿 id"},
    "items": answer_rows(ItemOut, "表体"), "receipts": answer_rows(ReceiptOut, "回执"),
}, title="保税核注清单")
InventorySummary = answer_model("InventorySummary", {**STATE_OUT, **_out_fields(
    Inventory, ("bond_invt_no", "putrec_no", "etps_inner_invt_no", "impexp_markcd", "mtpck_endprd_markcd",
                "supv_modecd", "balance_state"))}, title="保税核注清单 (摘要)")
InventoryPage = answer_model("InventoryPage", {
    "count": {"type": "integer", "title": "总条数"}, "offset": {"type": "integer", "title": "跳过的条数"},
    "limit": {"type": "integer", "title": "每页条数"}, "results": answer_rows(InventorySummary, "本页")},
    title="核注清单列表")


def inventory_out(inv: Inventory) -> dict[str, Any]:
    return {**_state(inv), **values_of(inv, I_OUT_HEAD), "book_id": inv.book_id,
            "declaration_id": inv.declaration_id,
            "items": [{"id": i.pk, **values_of(i, I_ITEM)} for i in inv.items.order_by("gds_seqno", "id")],
            "receipts": _receipts(inv)}


@router.get("/processing/inventories", response=InventoryPage, summary="保税核注清单列表")
def list_inventories(request, impexp_markcd: str = "", status: str = "", q: str = "", offset: Offset = 0,
                     limit: Limit = 50):
    qs = services.list_inventories(request.auth, impexp_markcd=impexp_markcd, status=status, q=q)
    return paged(qs, offset, limit, lambda i: {
        **_state(i), **values_of(i, ("bond_invt_no", "putrec_no", "etps_inner_invt_no", "impexp_markcd",
                                     "mtpck_endprd_markcd", "supv_modecd", "balance_state"))}, max_limit=PAGE_LIMIT)


@router.post("/processing/inventories", response={201: InventoryOut}, summary="新增核注清单(暂存)")
def create_inventory(request, data: InventoryIn):
    return Status(201, inventory_out(services.create_inventory(request.auth, data.raw())))


@router.get("/processing/inventories/{inventory_id}", response=InventoryOut, summary="核注清单详情")
def get_inventory(request, inventory_id: int):
    return inventory_out(services.get_inventory(request.auth, inventory_id))


@router.put("/processing/inventories/{inventory_id}", response=InventoryOut, summary="修改核注清单(暂存)")
def update_inventory(request, inventory_id: int, data: InventoryIn | None = None):
    return inventory_out(services.update_inventory(request.auth, inventory_id, data.raw() if data else {}))


@router.delete("/processing/inventories/{inventory_id}", response={204: None}, summary="删除核注清单")
def delete_inventory(request, inventory_id: int):
    services.delete_inventories(request.auth, [inventory_id])
    return Status(204, None)


@router.post("/processing/inventories/{inventory_id}/declare", response={202: InventoryOut},
             summary="申报 (余量校验, 预占)")
def declare_inventory(request, inventory_id: int):
    return Status(202, inventory_out(services.declare_inventory(request.auth, inventory_id)))


@router.get("/processing/inventories/{inventory_id}/receipt", response=ReceiptBox, summary="查看回执")
def inventory_receipt(request, inventory_id: int):
    return _box(services.receipt_box(request.auth, services.get_inventory(request.auth, inventory_id)))


@router.get("/processing/inventories/{inventory_id}/message.xml", summary="核注清单报文 INV101",
            openapi_extra=file_answer("application/xml", "INV101 报文 (XML)"))
def inventory_xml(request, inventory_id: int):
    return inline_xml(services.inventory_message(request.auth, inventory_id), f"INV101_{inventory_id}")

