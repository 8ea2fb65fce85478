"""许可证导入: licences from an Excel template with a 许可证 sheet and a 商品 sheet.

One 许可证 row is one licence; its 许可证序号 (the user's own number in the file) ties the 商品
rows to it. Each licence is saved through ``services.create_licence`` in its own savepoint, so
the rules are those of the form and the API, and what they refuse comes back on the row and
column it is about (``lines[1].qty`` -> the second 商品 row of that licence, column 许可数量).
"""

from __future__ import annotations

from typing import Any

from guanwu.imports.spec import ImportSpec, SheetSpec, columns_from, register

from . import services

LINK = "许可证序号"

HEAD_COLUMNS = columns_from(services.LICENCE_SPEC)
LINE_COLUMNS = columns_from(services.LINE_SPEC, {"code_ts": {"max_length": 10}, "unit": {"max_length": 3}})


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
