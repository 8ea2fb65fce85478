"""Excel imports (seed 003: 导入订单, 清单导入, 汇总申请单导入) through the shared pipeline.

Each template has a 表头 sheet (one document a row) and a 表体 sheet (its goods lines, or the
清单编号 of a summary) tied by the 序号 column, headers the CEB spec's Chinese names. The
商品批次号 (and a list's 出口日期) is given with the upload, checked at once and given to every
record. The cells are read by the pipeline; the documents are then cleaned by the very function
that checks a JSON body (``services.orders.prepare_order`` ...), in bulk, and what it refuses comes
back on the 表头 or 表体 row and column. Saved in bulk, all or nothing.
"""

from __future__ import annotations

from typing import Any

from guanwu.imports.spec import Column, ImportSpec, SheetSpec, register
from guanwu.tenancy.context import Actor

from . import codes
from .documents import (
    DECIMAL,
    INT,
    LIST_HEAD_FIELDS,
    LIST_LINE_FIELDS,
    ORDER_LINE_FIELDS,
    SUMMARY_HEAD_FIELDS,
    SUMMARY_LINE_FIELDS,
    F,
    order_head_fields,
)
from .services import lists as list_services
from .services import orders as order_services
from .services import summaries as summary_services
from .services.batches import validate_batch_no

# code columns offer the parameter table's dropdown; any spelling it has is read as the CEB code
_TABLES = {codes.CURRENCY: "currencies", codes.COUNTRY: "countries", codes.UNIT: "units",
           codes.TRANSPORT: "transport-modes", codes.WRAP: "wrap-types"}

BATCH_COLUMN = Column("商品批次号", "batch_no", required=True, max_length=40, width=22,
                      help="物流简码+日期(YYYYMMDD)+企业简码+两位流水号, 如 SF20240920XAYH01")
IE_DATE_COLUMN = Column("出口日期", "ie_date", required=True, kind="date")


def column(f: F) -> Column:
    """The template column of a document field: it only reads the cell (numbers generously, codes
    as "代码 - 名称" -> 代码); the service's cleaning checks lengths, codes and ranges."""
    if f.kind == DECIMAL:
        return Column(f.label, f.name, required=f.required, kind="decimal", max_digits=30, decimal_places=10,
                      help=f.help, example=f.example, width=f.width, fmt="数字, 最多 5 位小数")
    if f.kind == INT:
        return Column(f.label, f.name, required=f.required, kind="int", help=f.help, example=f.example, width=f.width)
    if f.code:
        return Column(f.label, f.name, required=f.required, code_table=_TABLES[f.code], check_code=False,
                      help=f.help, example=f.example, width=f.width)
    return Column(f.label, f.name, required=f.required, help=f.help, example=f.example, width=f.width)


def _check_batch(actor: Actor, values: dict[str, Any]) -> None:
    validate_batch_no(actor, values.get("batch_no") or "")


def _headers(fields: list[F]) -> dict[str, str]:
    return {f.name: f.label for f in fields}


_LABELS = {f.label for fields in (order_head_fields("B"), order_head_fields("W"), ORDER_LINE_FIELDS, LIST_HEAD_FIELDS,
                                  LIST_LINE_FIELDS, SUMMARY_HEAD_FIELDS, SUMMARY_LINE_FIELDS) for f in fields}


def _bare(message: str) -> str:
    """"币制：..." -> "...": in the file the column names the field."""
    label, sep, rest = message.partition("：")
    return rest if sep and label in _LABELS else message


def _on_columns(problems, heads: dict[str, str]) -> list[tuple[str, str]]:
    """Service errors (path, message) as (header or child path, message) for the pipeline."""
    out = []
    for error in problems:
        path = error.field
        if "[" in path:
            out.append((path, _bare(error.message)))
        elif path in heads:
            out.append((heads[path], _bare(error.message)))
        else:  # the record as a whole (no goods line, the 商品批次号): on the row, no column
            out.append(("", error.message))
    return out


# -- orders ------------------------------------------------------------------------------------

def _order_batch_checker(order_type: str):
    heads = _headers(order_head_fields(order_type))

    def check(actor: Actor, records: list[dict[str, Any]]) -> dict[int, list[tuple[str, str]]]:
        found: dict[int, list[tuple[str, str]]] = {}
        seen: dict[tuple[str, str], int] = {}
        for index, record in enumerate(records):
            record["order_type"] = order_type
            problems = _on_columns(order_services.prepare_order(actor, record, order_type), heads)
            key = (record.get("ebp_code") or "", record.get("order_no") or "")
            if key[1] and key in seen:
                problems.append((heads["order_no"], f"订单编号{key[1]}在文件中重复"))
            seen.setdefault(key, index)
            if problems:
                found[index] = problems
        taken = order_services.taken_order_numbers(actor, {k for k in seen if k[1]})
        for key in taken:
            found.setdefault(seen[key], []).append((heads["order_no"], order_services.duplicate_message(*key)))
        return found

    return check


def _spec(key: str, title: str, noun: str, *, head: list[F], lines: list[F], lines_title: str, lines_are: str,
          link: str, notes: str, upload_fields: list[Column], clean_batch: Any, save: Any) -> ImportSpec:
    """One document's template, registered with the pipeline: a 表头 sheet (one ``noun`` a row) and
    a 表体 sheet of its ``lines_title`` (``lines_are`` in the description) tied by the ``link`` column."""
    return register(ImportSpec(
        key=key,
        title=title,
        description=f"每份{noun}在「表头」占一行, {lines_are}在「表体」中各占一行, 两表用「{link}」对应; {notes}",
        sheet_name="表头",
        columns=[column(f) for f in head],
        children=[SheetSpec(key="lines", sheet_name="表体", title=lines_title, link=link, min_rows=1,
                            columns=[column(f) for f in lines])],
        link_help=f"本文件内自编的序号, 如 1、2、3; 表体中填同一序号的行是这份{noun}的{lines_title}",
        upload_fields=upload_fields,
        check_upload=_check_batch,
        clean_batch=clean_batch,
        save=save,
        unit=f"份{noun}",
        extra={"list_title": title},
    ))


def _checker(check_import: Any, heads: dict[str, str]) -> Any:
    """The pipeline's batch check from a service's ``check_import``: its errors on the columns."""
    def check(actor: Actor, records: list[dict[str, Any]]) -> dict[int, list[tuple[str, str]]]:
        return {index: _on_columns(problems, heads) for index, problems in check_import(actor, records).items()}

    return check


def _order_spec(key: str, order_type: str, title: str, noun: str) -> ImportSpec:
    return _spec(
        key, title, noun, head=order_head_fields(order_type), lines=ORDER_LINE_FIELDS, lines_title="商品",
        lines_are="商品", link=f"{noun}序号",
        notes="列为CEB303电子订单的字段。商品批次号随文件填写。导入后为待申报, 在订单申报中选择后提交海关。",
        upload_fields=[BATCH_COLUMN], clean_batch=_order_batch_checker(order_type),
        save=lambda actor, records: order_services.import_orders(actor, records, checked=True),
    )


ORDERS_9710 = _order_spec("crossborder-orders-9710", "B", "9710出口订单", "订单")
ORDERS_9810 = _order_spec("crossborder-orders-9810", "W", "9810出口订仓单", "订仓单")

LISTS = _spec(
    "crossborder-lists", "出口清单", "清单", head=LIST_HEAD_FIELDS, lines=LIST_LINE_FIELDS, lines_title="商品",
    lines_are="商品", link="清单序号",
    notes="列为CEB603出口清单的字段。"
          "商品批次号和出口日期随文件填写; 订单编号须为本企业已导入的订单, 清单的贸易方式随订单(9710/9810)。",
    upload_fields=[BATCH_COLUMN, IE_DATE_COLUMN],
    clean_batch=_checker(list_services.check_import, _headers(LIST_HEAD_FIELDS)),
    save=lambda actor, records: list_services.import_lists(actor, records, checked=True),
)

SUMMARIES = _spec(
    "crossborder-summaries", "汇总申请单", "汇总申请单", head=SUMMARY_HEAD_FIELDS, lines=SUMMARY_LINE_FIELDS,
    lines_title="清单", lines_are="要汇总的清单编号", link="汇总序号",
    notes="列为CEB701汇总申请单的字段。清单须为本企业已放行的出口清单。",
    upload_fields=[BATCH_COLUMN],
    clean_batch=_checker(summary_services.check_import, _headers(SUMMARY_HEAD_FIELDS)),
    save=lambda actor, records: summary_services.import_summaries(actor, records, checked=True),
)
