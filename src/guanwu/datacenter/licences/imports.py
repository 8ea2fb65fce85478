"""许可证导入: licences from an Excel template with a 许可证 sheet and a 商品 sheet.

One 许可证 row is one licence; its 许可证序号 (the user's own number in the file) ties the 商品
rows to it. Each licence is saved through ``services.create_licence`` in its own savepoint, so
the rules are those of the form and the API, and what they refuse comes back on the row and
column it is about (``lines[1].qty`` -> the second 商品 row of that licence, column 许可数量).
"""

from __future__ import annotations

from typing import Any

from guanwu.imports.spec import Column, ImportSpec, SheetSpec, register

from . import services

LINK = "许可证序号"

HEAD_COLUMNS = [
    Column("许可证编号", "licence_no", required=True, max_length=40, example="24-AA-100123", width=20),
    Column("监管证件代码", "docu_code", code_table="licence-docs", check_code=False, example="1 - 进口许可证",
           help="报关单随附单证中的单证代码; 与许可证类别至少填一项", width=22),
    Column("许可证类别", "licence_type", code_table="licence-types", check_code=False,
           help="检验检疫许可证类别代码", width=22),
    Column("持证单位名称", "holder_name", required=True, max_length=100, width=24),
    Column("持证单位代码", "holder_code", max_length=18, help="10位海关编码或18位统一社会信用代码", width=20),
    Column("发证机关", "issuer", max_length=100, example="商务部配额许可证事务局", width=20),
    Column("有效期起", "valid_from", required=True, kind="date", example="2024-01-01", width=12),
    Column("有效期止", "valid_to", required=True, kind="date", example="2024-12-31", width=12),
    Column("备注", "note", max_length=255, width=24),
]

LINE_COLUMNS = [
    Column("商品编号", "code_ts", required=True, max_length=10, example="2903710000",
           help="8位或10位, 须在税则中存在", width=14),
    Column("商品名称", "g_name", max_length=255, help="空则取税则名称", width=24),
    Column("许可数量", "qty", required=True, kind="decimal", decimal_places=5, example="2000", width=12),
    Column("计量单位", "unit", code_table="units", check_code=False, example="035 - 千克",
           help="空则取第一法定计量单位", width=14),
]


def _filled(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None and v != ""}


def save_licence(actor, record: dict[str, Any]) -> None:
    data = _filled({k: v for k, v in record.items() if k != "lines"})
    data["lines"] = [_filled(line) for line in record.get("lines", [])]
    services.create_licence(actor, data)


def field_label(path: str) -> str:
    return {"lines": "商品"}.get(path.split("[", 1)[0], "")


LICENCES = register(ImportSpec(
    key="licences",
    title="许可证",
    description=(
        "每个许可证在「许可证」表占一行, 其商品在「商品」表中各占一行, 两表用「许可证序号」对应。"
        "许可证编号在本企业内不能重复。"
    ),
    sheet_name="许可证",
    columns=HEAD_COLUMNS,
    children=[SheetSpec(key="lines", sheet_name="商品", title="商品", columns=LINE_COLUMNS, link=LINK)],
    link_help="本文件内自编的序号, 如 1、2、3; 商品表中填同一序号的行是这个许可证的商品",
    save_each=save_licence,
    field_label=field_label,
    unit="个许可证",
    list_url_name="datacenter:licence-list",
    extra={"list_title": "许可证管理"},
))
