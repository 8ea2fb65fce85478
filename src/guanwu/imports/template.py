"""The import template: Chinese headers, required columns marked with *, dropdowns for choice and
code columns (from a hidden sheet), a 说明 sheet with column help. Built with openpyxl.

A spec with child sheets gets one sheet per part (表头, 表体...), each starting with the link
column, and a 说明 sheet that explains how the link ties child rows to their main row."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .spec import LINK_FIELD, Column, ImportSpec

REQUIRED_FILL = PatternFill("solid", fgColor="FDE2E1")
HEADER_FILL = PatternFill("solid", fgColor="E8EEF7")
DROPDOWN_ROWS = 5000
KINDS = {"str": "文本", "int": "整数", "decimal": "数字", "date": "日期 YYYY-MM-DD", "bool": "是/否",
         "choice": "下拉选择", "code": "代码"}


def _options(column: Column) -> list[str]:
    if column.choices:
        return [label for _, label in column.choices]
    if column.code_table:
        from guanwu.params import services as params

        return [f"{code} - {name}" for code, name in params.codes(column.code_table).items()]
    return []


class _Lists:
    """The hidden 代码 sheet: one column per distinct option list, shared by the columns using it."""

    def __init__(self, wb: Workbook) -> None:
        self.ws = wb.create_sheet("代码")
        self.ws.sheet_state = "hidden"
        self.ranges: dict[tuple, str] = {}

    def formula(self, column: Column) -> str | None:
        key = (column.code_table,) if column.code_table and not column.choices else tuple(column.choices)
        if key in self.ranges:
            return self.ranges[key]
        options = _options(column)
        if not options:
            return None
        letter = get_column_letter(len(self.ranges) + 1)
        for r, option in enumerate(options, start=1):
            self.ws.cell(row=r, column=len(self.ranges) + 1, value=option)
        self.ranges[key] = f"=代码!${letter}$1:${letter}${len(options)}"
        return self.ranges[key]


def _kind_text(column: Column) -> str:
    if column.fmt:
        kind = column.fmt
    elif column.kind == "code":
        kind = f"代码 (参数表 {column.code_table})"
    else:
        kind = KINDS[column.kind]
    if column.max_length:
        kind += f", 最长 {column.max_length} 字"
    return kind


def _data_sheet(ws, columns: list[Column], lists: _Lists) -> None:
    for i, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i, value=column.marked_header)
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        if column.help:
            cell.comment = Comment(column.help, "关务")
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = column.width
        if column.kind in ("str", "code", "choice"):
            ws.column_dimensions[letter].number_format = "@"  # typed 0110 stays 0110
        formula = lists.formula(column)
        if formula:
            dv = DataValidation(
                type="list", formula1=formula, allow_blank=True,
                showErrorMessage=not column.code_table, errorTitle="无效值", error="请从下拉列表中选择",
            )
            dv.add(f"{letter}2:{letter}{DROPDOWN_ROWS}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"


def _bold_row(ws) -> None:
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)


def build_template(spec: ImportSpec) -> bytes:
    return _save(_template(spec))


def _template(spec: ImportSpec) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = spec.sheet_name
    if spec.multi_sheet:
        return _build_multi(spec, wb)
    lists = _Lists(wb)
    help_ws = wb.create_sheet("说明")
    help_ws.append(["列", "必填", "格式", "说明", "示例"])
    _bold_row(help_ws)
    _data_sheet(ws, spec.columns, lists)
    for column in spec.columns:
        required = "是" if column.required else ""
        help_ws.append([column.header, required, _kind_text(column), column.help, column.example])
    help_ws.append([])
    help_ws.append(["带 * 的列必须填写。代码列可填代码、原代码或从下拉列表选择「代码 - 名称」。"])
    if spec.strict_headers:
        help_ws.append(["本模板要求表头名称和顺序与模板完全一致, 请勿增删或调整列。"])
    help_ws.column_dimensions["A"].width = 18
    help_ws.column_dimensions["D"].width = 50
    return wb


def _build_multi(spec: ImportSpec, wb: Workbook) -> Workbook:
    parts = spec.sheets()
    for part in parts[1:]:
        wb.create_sheet(part.sheet_name)
    lists = _Lists(wb)
    help_ws = wb.create_sheet("说明")
    main = parts[0]
    names = "、".join(f"「{p.sheet_name}」" for p in parts)
    intro = [
        f"本模板有 {len(parts)} 个工作表: {names}。请勿修改工作表名称。",
        f"「{main.sheet_name}」每行是{'一条记录' if spec.unit == '行' else '一' + spec.unit}; "
        f"「{main.link}」是本文件内自编的序号(如 1、2、3), 每行不同。",
    ]
    for part in parts[1:]:
        what = part.title or "明细"
        intro.append(
            f"「{part.sheet_name}」每行是一条{what}, 在「{part.link}」列填写所属{spec.title}在「{main.sheet_name}」中的"
            f"{main.link}; 同一序号的行按先后顺序成为第 1、2、3… 条{what}"
            + (f", 每份{spec.title}至少 {part.min_rows} 条。" if part.min_rows else "。")
        )
    intro.append("带 * 的列必须填写。代码列可填代码、原代码或从下拉列表选择「代码 - 名称」。")
    if spec.description:
        intro.append(spec.description)
    for line in intro:
        help_ws.append([line])
    help_ws.append([])
    help_ws.append(["工作表", "列", "必填", "格式", "说明", "示例"])
    _bold_row(help_ws)
    for part in parts:
        _data_sheet(wb[part.sheet_name], part.columns, lists)
        for column in part.columns:
            help_ws.append([part.sheet_name, column.header, "是" if column.required else "", _kind_text(column),
                            column.help, column.example])
    for width, letter in zip((12, 22, 6, 24, 50, 16), "ABCDEF", strict=True):
        help_ws.column_dimensions[letter].width = width
    wb.active = 0
    return wb


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell_value(column: Column, value: Any) -> Any:
    """A value as the template's cell holds it: choices by label (as the dropdown writes them),
    booleans as 是/否, numbers as numbers, dates as dates, the rest as text."""
    if value is None or value == "":
        return None
    if column.kind == "choice":
        return dict(column.choices).get(value, value)
    if column.kind == "bool":
        return "是" if value else "否"
    if column.kind in ("int", "decimal"):
        return int(value) if column.kind == "int" else float(value)
    if column.kind == "date":
        return value
    return str(value)


def build_filled(spec: ImportSpec, records: list[dict[str, Any]]) -> bytes:
    """The template of ``spec`` with ``records`` in it (what an import of it reads back): for a
    file of several sheets each record is the main row with its child lists under their keys,
    numbered 1, 2, 3... in the link column."""
    wb = _template(spec)
    parts = spec.sheets()
    for number, record in enumerate(records, start=1):
        for part in parts:
            rows = [record] if part is parts[0] else record.get(part.key) or []
            ws = wb[part.sheet_name]
            for row in rows:
                values = {**row, LINK_FIELD: number}
                ws.append([_cell_value(c, values.get(c.field)) for c in part.columns])
    return _save(wb)
