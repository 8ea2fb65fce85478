"""The body grids of the processing-trade pages (the seed's 料件/成品 tabs, 单损耗, 核注清单表体):
their columns, the rows as the grid shows them, and the JSON endpoints the shared row grid
(``ui/static/ui/grid.js``) posts to: save one row (Enter), delete the ticked rows, Excel import
through the shared pipeline (template, reading, cell checks and Chinese errors of ``imports/``;
the rows then saved all-or-nothing by the service), the import template.

Every write is one call of ``processing.services``; every read goes through the services' tenant
lookups, so another enterprise's id is a 404.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from guanwu.core.errors import FieldError, ServiceError
from guanwu.imports import pipeline, reader
from guanwu.imports.reader import FileError
from guanwu.imports.spec import Column as ImportColumn
from guanwu.imports.spec import ImportSpec
from guanwu.imports.template import build_template
from guanwu.params import services as params
from guanwu.tenancy.context import Actor
from guanwu.ui.responses import actor_required

from . import services
from .models import BookBom, BookMaterial, BookProduct, InventoryItem, QualificationGoods

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class GridColumn:
    field: str
    label: str
    picker: str = ""  # params table slug, "tariff", or a picker of the page (picker_url)
    type: str = "text"  # text | number | int
    readonly: bool = False
    width: int = 6
    total_of: tuple[str, ...] = ()
    picker_url: str = ""
    imported: bool = True

    def as_config(self) -> dict[str, Any]:
        out: dict[str, Any] = {"field": self.field, "label": self.label, "type": self.type, "width": self.width}
        if self.picker:
            out["picker"] = self.picker
        if self.picker_url:
            out["picker_url"] = self.picker_url
        if self.readonly:
            out["readonly"] = True
        if self.total_of:
            out["total_of"] = list(self.total_of)
        return out

    def import_column(self) -> ImportColumn:
        kind = {"number": "decimal", "int": "int"}.get(self.type, "str")
        table = self.picker if self.picker and self.picker not in ("tariff",) and not self.picker_url else ""
        return ImportColumn(
            self.label,
            self.field,
            kind=kind,
            decimal_places=9 if kind == "decimal" else 5,
            max_digits=28 if kind == "decimal" else 19,
            code_table=table,
            check_code=False,
            width=max(self.width * 2, 10),
        )


# The seed's grid (企业资质申请 料件/成品, step 16): 序号, 料号, 商品编码, 商品名称, 规格型号,
# 申报计量单位, 法定计量单位, 申报单价, 币制, 申报数量, 申报总价, 产销国(地区).
GOODS_COLUMNS = (
    GridColumn("gds_seqno", "序号", type="int", width=3),
    GridColumn("gds_mtno", "料号", width=6),
    GridColumn("gdecd", "商品编码", picker="tariff", width=8),
    GridColumn("gds_nm", "商品名称", width=10),
    GridColumn("endprd_gds_spcf_model_desc", "规格型号", width=10),
    GridColumn("dcl_unitcd", "申报计量单位", picker="units", width=6),
    GridColumn("lawf_unitcd", "法定计量单位", picker="units", readonly=True, imported=False),
    GridColumn("dcl_uprc_amt", "申报单价", type="number", width=5),
    GridColumn("dcl_currcd", "币制", picker="currencies", width=6),
    GridColumn("dcl_qty", "申报数量", type="number", width=5),
    GridColumn("dcl_total_amt", "申报总价", type="number", width=6, total_of=("dcl_uprc_amt", "dcl_qty")),
    GridColumn("natcd", "产销国(地区)", picker="countries", width=7),
)
# 账册 料件/成品: the same shape (NEMS has no 总价 nor 产销国), with 征免方式 and 修改标志 (a 变更).
BOOK_GOODS_COLUMNS = (
    *GOODS_COLUMNS[:10],
    GridColumn("lvyrlf_modecd", "征免方式", picker="duty-modes", width=6),
    GridColumn("modf_markcd", "修改标志", readonly=True, imported=False),
)


def bom_columns(book_id: int) -> tuple[GridColumn, ...]:
    """单损耗: 成品序号, 单耗版本号, 料件序号, 净耗, 有形/无形损耗率 (%), 保税料件比例, 单耗申报状态;
    the 单耗 (净耗 / (1 - 损耗率)) and the names are the service's."""
    lines = f"/processing/books/{book_id}/lines"
    return (
        GridColumn("g_seqno", "序号", type="int", width=3),
        GridColumn("endprd_seqno", "成品序号", picker="book-products", picker_url=f"{lines}/products.json", width=8),
        GridColumn("endprd_gds_nm", "成品名称", readonly=True, imported=False),
        GridColumn("ucns_verno", "单耗版本号", width=4),
        GridColumn("mtpck_seqno", "料件序号", picker="book-materials", picker_url=f"{lines}/materials.json", width=8),
        GridColumn("mtpck_gds_nm", "料件名称", readonly=True, imported=False),
        GridColumn("net_useup_qty", "净耗", type="number", width=5),
        GridColumn("tgbl_loss_rate", "有形损耗率(%)", type="number", width=4),
        GridColumn("intgb_loss_rate", "无形损耗率(%)", type="number", width=4),
        GridColumn("ucns_qty", "单耗", type="number", readonly=True, imported=False),
        GridColumn("bond_mtpck_prpr", "保税料件比例(%)", type="number", width=4),
        GridColumn("ucns_dcl_stucd", "单耗申报状态", width=3),
        GridColumn("modf_markcd", "修改标志", readonly=True, imported=False),
    )


def inventory_columns(book_id: int | None, mtpck_endprd_markcd: str) -> tuple[GridColumn, ...]:
    kind = "products" if mtpck_endprd_markcd == "E" else "materials"
    url = f"/processing/books/{book_id}/lines/{kind}.json" if book_id else ""
    return (
        GridColumn("gds_seqno", "商品序号", type="int", width=3),
        GridColumn(
            "putrec_seqno",
            "备案序号",
            picker=f"book-{kind}" if url else "",
            picker_url=url,
            type="text" if url else "int",
            width=8,
        ),
        GridColumn("gds_mtno", "料号", width=6),
        GridColumn("gdecd", "商品编码", picker="tariff", width=8),
        GridColumn("gds_nm", "商品名称", width=10),
        GridColumn("gds_spcf_model_desc", "规格型号", width=8),
        GridColumn("dcl_unitcd", "申报计量单位", picker="units", width=6),
        GridColumn("lawf_unitcd", "法定计量单位", picker="units", readonly=True, imported=False),
        GridColumn("dcl_qty", "申报数量", type="number", width=5),
        GridColumn("lawf_qty", "法定数量", type="number", width=5),
        GridColumn("secd_lawf_qty", "第二法定数量", type="number", width=5),
        GridColumn("dcl_uprc_amt", "企业申报单价", type="number", width=5),
        GridColumn("dcl_total_amt", "企业申报总价", type="number", width=6, total_of=("dcl_uprc_amt", "dcl_qty")),
        GridColumn("dcl_currcd", "币制", picker="currencies", width=6),
        GridColumn("natcd", "原产国(地区)", picker="countries", width=6),
        GridColumn("destination_natcd", "最终目的国(地区)", picker="countries", width=6),
        GridColumn("lvyrlf_modecd", "征免方式", picker="duty-modes", width=5),
        GridColumn("ucns_verno", "单耗版本号", width=3),
    )


# ------------------------------------------------------------------------------ rows as shown


def plain(value: Any) -> Any:
    """A cell value as JSON: numbers without trailing zeros (4.00000 -> "4"), dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def row_data(obj: models.Model, columns: tuple[GridColumn, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": obj.pk, "_names": {}}
    for col in columns:
        value = getattr(obj, col.field, None)
        out[col.field] = plain(value)
        if col.picker and col.picker != "tariff" and not col.picker_url and value:
            name = params.code_name(col.picker, value)
            if name:
                out["_names"][col.field] = name
    return out


def config(
    grid_id: str,
    columns: tuple[GridColumn, ...],
    rows: list[dict[str, Any]],
    *,
    editable: bool,
    base: str,
    extra: dict[str, Any],
    importable: bool = True,
) -> dict[str, Any]:
    query = "&".join(f"{k}={v}" for k, v in extra.items())
    return {
        "id": grid_id,
        "columns": [c.as_config() for c in columns],
        "rows": rows,
        "editable": editable,
        "extra": extra,
        "copy_clear": [columns[0].field],
        "urls": {
            "save": f"{base}rows/save/",
            "delete": f"{base}rows/delete/",
            "import": f"{base}rows/import/" if importable else "",
            "template": f"{base}rows/template.xlsx?{query}" if importable else "",
        },
    }


# ------------------------------------------------------------------------------ grid targets


@dataclass(frozen=True)
class Target:
    """One kind of document with grids: how to read its rows and which service writes them."""

    title: str
    kinds: dict[str, str]  # grid kind -> Chinese name
    columns: Callable[[Actor, int, str], tuple[GridColumn, ...]]
    rows: Callable[[Actor, int, str], models.QuerySet]
    save: Callable[[Actor, int, str, dict[str, Any], int | None], models.Model]
    delete: Callable[[Actor, int, str, list[Any]], int]
    import_rows: Callable[[Actor, int, str, list[dict[str, Any]]], int]
    kept_after_delete: Callable[[Actor, int, str, list[Any]], list[models.Model]] = field(
        default=lambda actor, pk, kind, ids: []
    )


def _application_rows(actor: Actor, pk: int, kind: str) -> models.QuerySet:
    app = services.get_application(actor, pk)
    return QualificationGoods.objects.filter(application=app, kind=kind).order_by("-gds_seqno", "-id")


BOOK_MODELS: dict[str, type[models.Model]] = {"materials": BookMaterial, "products": BookProduct, "boms": BookBom}


def _book_rows(actor: Actor, pk: int, kind: str) -> models.QuerySet:
    book = services.get_book(actor, pk)
    seq = "g_seqno" if kind == "boms" else "gds_seqno"
    return BOOK_MODELS[kind].objects.filter(book=book).order_by(f"-{seq}", "-id")


def _book_columns(actor: Actor, pk: int, kind: str) -> tuple[GridColumn, ...]:
    return bom_columns(pk) if kind == "boms" else BOOK_GOODS_COLUMNS


def _inventory_rows(actor: Actor, pk: int, kind: str) -> models.QuerySet:
    inventory = services.get_inventory(actor, pk)
    return InventoryItem.objects.filter(inventory=inventory).order_by("-gds_seqno", "-id")


def _inventory_columns(actor: Actor, pk: int, kind: str) -> tuple[GridColumn, ...]:
    inventory = services.get_inventory(actor, pk)
    return inventory_columns(inventory.book_id, inventory.mtpck_endprd_markcd)


TARGETS: dict[str, Target] = {
    "qualifications": Target(
        "企业资质申请",
        {"I": "料件", "E": "成品"},
        columns=lambda actor, pk, kind: GOODS_COLUMNS,
        rows=_application_rows,
        save=lambda actor, pk, kind, row, line: services.save_goods(actor, pk, kind, row, line),
        delete=lambda actor, pk, kind, ids: services.delete_goods(actor, pk, ids),
        import_rows=services.import_goods,
    ),
    "books": Target(
        "加工贸易账册",
        {"materials": "料件", "products": "成品", "boms": "单损耗"},
        columns=_book_columns,
        rows=_book_rows,
        save=lambda actor, pk, kind, row, line: services.save_book_line(actor, pk, kind, row, line),
        delete=services.delete_book_lines,
        import_rows=services.import_book_lines,
        # an approved row deleted in a 变更 stays, marked 2-删除, until customs approves the change
        kept_after_delete=lambda actor, pk, kind, ids: list(_book_rows(actor, pk, kind).filter(pk__in=ids)),
    ),
    "inventories": Target(
        "保税核注清单",
        {"items": "表体"},
        columns=_inventory_columns,
        rows=_inventory_rows,
        save=lambda actor, pk, kind, row, line: services.save_inventory_item(actor, pk, row, line),
        delete=lambda actor, pk, kind, ids: services.delete_inventory_items(actor, pk, ids),
        import_rows=lambda actor, pk, kind, rows: _import_inventory_items(actor, pk, rows),
    ),
}


def _import_inventory_items(actor: Actor, pk: int, rows: list[dict[str, Any]]) -> int:
    """The list's lines imported all or nothing: each saved by the service as an Enter would,
    in one transaction; an error names its row (``rows.<n>.<field>``)."""
    with transaction.atomic():
        for i, row in enumerate(rows):
            try:
                services.save_inventory_item(actor, pk, row)
            except ServiceError as exc:
                if exc.status == 404:
                    raise
                raise ServiceError.fields(
                    [FieldError(f"rows.{i}.{e.field}", e.message) for e in exc.errors]
                    or [FieldError(f"rows.{i}", exc.message)],
                    exc.message,
                ) from None
    return len(rows)


def grid_config(
    actor: Actor, target_key: str, pk: int, kind: str, *, editable: bool, errors: dict[int, str] | None = None
) -> dict[str, Any]:
    target = TARGETS[target_key]
    columns = target.columns(actor, pk, kind)
    rows = [row_data(obj, columns) for obj in target.rows(actor, pk, kind)]
    for row in rows:
        if errors and row["id"] in errors:
            row["_error"] = errors[row["id"]]
    return config(
        f"grid-{target_key}-{kind}",
        columns,
        rows,
        editable=editable,
        base=f"/processing/{target_key}/{pk}/",
        extra={"kind": kind},
    )


# ------------------------------------------------------------------------------ JSON endpoints


def _error(exc: ServiceError) -> JsonResponse:
    if exc.status == 404:
        raise Http404(exc.message)
    errors = [{"field": e.field, "message": e.message} for e in exc.errors]
    return JsonResponse({"detail": exc.message, "errors": errors}, status=exc.status)


def _target(target_key: str, kind: str) -> Target:
    target = TARGETS.get(target_key)
    if target is None or kind not in target.kinds:
        raise Http404("表体类型不存在")
    return target


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        raise ServiceError("请求数据不是有效的JSON") from None
    if not isinstance(body, dict):
        raise ServiceError("请求数据格式错误")
    return body


@require_POST
@actor_required
def save_row(request: HttpRequest, target_key: str, pk: int) -> JsonResponse:
    """Enter on a grid row: ``{"kind", "id" (none for a new row), "row": {field: value}}``."""
    actor: Actor = request.actor
    try:
        body = _body(request)
        kind = str(body.get("kind") or "")
        target = _target(target_key, kind)
        line = body.get("id") or None
        row = body.get("row")
        if not isinstance(row, dict):
            raise ServiceError("表体数据格式错误")
        saved = target.save(actor, pk, kind, row, line)
    except ServiceError as exc:
        return _error(exc)
    columns = target.columns(actor, pk, kind)
    saved.refresh_from_db()
    return JsonResponse({"row": row_data(saved, columns)})


@require_POST
@actor_required
def delete_rows(request: HttpRequest, target_key: str, pk: int) -> JsonResponse:
    actor: Actor = request.actor
    try:
        body = _body(request)
        kind = str(body.get("kind") or "")
        target = _target(target_key, kind)
        ids = body.get("ids") or []
        if not isinstance(ids, list):
            raise ServiceError("请选择要删除的行")
        deleted = target.delete(actor, pk, kind, ids)
        kept = target.kept_after_delete(actor, pk, kind, ids)
    except ServiceError as exc:
        return _error(exc)
    columns = target.columns(actor, pk, kind)
    return JsonResponse({"deleted": deleted, "rows": [row_data(o, columns) for o in kept]})


def import_spec(target_key: str, kind: str, columns: tuple[GridColumn, ...]) -> ImportSpec:
    """The import of one grid on the shared pipeline: one column per editable grid column.
    Not registered (it belongs to one document; the rows are saved by the grid's service)."""
    target = TARGETS[target_key]
    title = f"{target.title}{target.kinds[kind]}"
    return ImportSpec(
        key=f"processing-{target_key}-{kind}",
        title=title,
        sheet_name=target.kinds[kind],
        columns=[c.import_column() for c in columns if c.imported and not c.readonly],
        save=lambda actor, rows: 0,
    )


@require_GET
@actor_required
def template(request: HttpRequest, target_key: str, pk: int) -> HttpResponse:
    actor: Actor = request.actor
    kind = request.GET.get("kind", "")
    _target(target_key, kind)
    TARGETS[target_key].rows(actor, pk, kind)  # the document's lookup: a foreign id is a 404
    columns = TARGETS[target_key].columns(actor, pk, kind)
    spec = import_spec(target_key, kind, columns)
    response = HttpResponse(build_template(spec), content_type=XLSX)
    from urllib.parse import quote

    response["Content-Disposition"] = (
        f"attachment; filename=\"template.xlsx\"; filename*=UTF-8''{quote(spec.title)}导入模板.xlsx"
    )
    return response


@require_POST
@actor_required
def import_rows(request: HttpRequest, target_key: str, pk: int) -> JsonResponse:
    """Excel 导入 into a grid: the file read and every cell checked by the import pipeline, then
    all rows saved by the service in one transaction (all or nothing); errors name the Excel row."""
    actor: Actor = request.actor
    kind = request.POST.get("kind", "")
    try:
        target = _target(target_key, kind)
        columns = target.columns(actor, pk, kind)
        spec = import_spec(target_key, kind, columns)
        upload = request.FILES.get("file")
        if upload is None:
            raise ServiceError("请选择要导入的文件")
        try:
            sheet = reader.read(io.BytesIO(upload.read()), sheet_name=spec.sheet_name)
            pipeline.check_headers(spec, sheet.headers)
        except FileError as exc:
            raise ServiceError(str(exc)) from None
        result = pipeline.validate(spec, actor, sheet)
        if result.errors:
            return JsonResponse(
                {
                    "detail": f"导入校验未通过, 共{result.bad_count}行有错误, 未导入任何数据",
                    "errors": [e.as_dict() for e in result.errors[:200]],
                },
                status=422,
            )
        if not result.valid_rows:
            raise ServiceError("文件中没有数据")
        rows = [{k: v for k, v in r.items() if v not in (None, "")} for r in result.valid_rows]
        try:
            count = target.import_rows(actor, pk, kind, rows)
        except ServiceError as exc:
            if exc.status == 404:
                raise
            errors = []
            for e in exc.errors:
                parts = e.field.split(".")
                row_no = None
                if len(parts) >= 2 and parts[0] in ("rows", "items") and parts[1].isdigit():
                    index = int(parts[1])
                    if 0 <= index < len(result.valid_row_numbers):
                        row_no = result.valid_row_numbers[index]
                column = next((c.label for c in columns if c.field == parts[-1]), "")
                errors.append({"row": row_no, "column": column, "message": e.message})
            return JsonResponse({"detail": exc.message + ", 未导入任何数据", "errors": errors}, status=422)
    except ServiceError as exc:
        return _error(exc)
    rows_out = [row_data(o, columns) for o in target.rows(actor, pk, kind)]
    return JsonResponse({"count": count, "rows": rows_out})
