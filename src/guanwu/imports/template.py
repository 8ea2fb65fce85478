"""The import template: Chinese headers, required columns marked with *, dropdowns for choice and
code columns (from a hidden sheet), a 说明 sheet with column help. Built with openpyxl."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .spec import ImportSpec

REQUIRED_FILL = PatternFill("solid", fgColor="FDE2E1")
HEADER_FILL = PatternFill("solid", fgColor="E8EEF7")
DROPDOWN_ROWS = 5000


def _options(column) -> list[str]:
    if column.choices:
        return [label for _, label in column.choices]
    if column.code_table:
        from guanwu.params import services as params

        return [f"{code} - {name}" for code, name in params.codes(column.code_table).items()]
    return []


def build_template(spec: ImportSpec) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = spec.sheet_name
    lists = wb.create_sheet("代码")
    lists.sheet_state = "hidden"
    help_ws = wb.create_sheet("说明")
    help_ws.append(["列", "必填", "格式", "说明", "示例"])
    for cell in help_ws[1]:
        cell.font = Font(bold=True)
    list_col = 0
    for i, column in enumerate(spec.columns, start=1):
        cell = ws.cell(row=1, column=i, value=column.marked_header)
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        if column.help:
            cell.comment = Comment(column.help, "关务")
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = column.width
        options = _options(column)
        if options:
            list_col += 1
            list_letter = get_column_letter(list_col)
            for r, option in enumerate(options, start=1):
                lists.cell(row=r, column=list_col, value=option)
            dv = DataValidation(
                type="list", formula1=f"=代码!${list_letter}$1:${list_letter}${len(options)}", allow_blank=True,
                showErrorMessage=not column.code_table, errorTitle="无效值", error="请从下拉列表中选择",
            )
            dv.add(f"{letter}2:{letter}{DROPDOWN_ROWS}")
            ws.add_data_validation(dv)
        kind = {"str": "文本", "int": "整数", "decimal": "数字", "date": "日期 YYYY-MM-DD", "bool": "是/否",
                "choice": "下拉选择", "code": f"代码 (参数表 {column.code_table})"}[column.kind]
        if column.max_length:
            kind += f", 最长 {column.max_length} 字"
        help_ws.append([column.header, "是" if column.required else "", kind, column.help, column.example])
    help_ws.append([])
    help_ws.append(["带 * 的列必须填写。代码列可填代码、原代码或从下拉列表选择「代码 - 名称」。"])
    if spec.strict_headers:
        help_ws.append(["本模板要求表头名称和顺序与模板完全一致, 请勿增删或调整列。"])
    help_ws.column_dimensions["A"].width = 18
    help_ws.column_dimensions["D"].width = 50
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
