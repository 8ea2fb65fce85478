"""报关单导入: declarations from an Excel template with a 表头 and a 表体 sheet.

One 表头 row is one declaration; its 报关单序号 (the user's own number in the file: 1, 2, 3...)
ties the 表体 rows (goods items, in file order) to it. The columns only read the cells; each
declaration is then saved through ``services.create_draft`` in its own savepoint, so the
暂存 rules (required fields, codes, tariff, ...) are the very ones of the form and the API, and
what they refuse comes back on the 表头 or 表体 row and column it is about.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from guanwu.imports.spec import Column, ImportSpec, SheetSpec, register
from guanwu.imports.template import build_filled
from guanwu.params.enums import IEFlag

from . import services
from .models import Declaration, DeclarationItem
from .payload import CHILD_BY_KEY, CHILD_CODES, HEAD_CODES, countries_by_meaning, from_instance, label

LINK = "报关单序号"


def _column(model: type[models.Model], name: str, codes: dict[str, str], *, required: bool = False,
            help: str = "", example: str = "", width: int = 16, **kwargs: Any) -> Column:
    """A column named by the model field's verbose name that only reads the cell: numbers and
    dates as such, codes as text (the dropdown's "代码 - 名称" reduced to the code); checking
    is the service's."""
    field = model._meta.get_field(name)
    header = str(field.verbose_name)
    if name in codes:
        return Column(header, name, required=required, code_table=codes[name], check_code=False, help=help,
                      example=example, width=width, **kwargs)
    if isinstance(field, models.DateField):
        kind = "date"
    elif isinstance(field, models.DecimalField):
        kind = "decimal"
        # generous places: never round here; the service says when there are too many
        kwargs.setdefault("fmt", f"数字, 最多 {field.decimal_places} 位小数")
        kwargs.update(max_digits=30, decimal_places=10)
    elif isinstance(field, models.IntegerField):
        kind = "int"
    elif isinstance(field, models.BooleanField):
        kind = "bool"
    else:
        kind = "str"
    return Column(header, name, required=required, kind=kind, help=help, example=example, width=width, **kwargs)


def _head(name: str, **kwargs: Any) -> Column:
    return _column(Declaration, name, HEAD_CODES, **kwargs)


def _item(name: str, **kwargs: Any) -> Column:
    return _column(DeclarationItem, name, CHILD_CODES["items"], **kwargs)


HEAD_COLUMNS = [
    _head("ie_flag", required=True, choices=list(IEFlag.choices), example="出口", width=10),
    _head("custom_master", required=True, example="5316 - 蛇口海关"),
    # the enterprise's own number: what makes importing the same file twice recognisable
    _head("internal_no", required=True, example="ERP-2024-0001", width=20,
          help="企业自编的唯一编号(如ERP单号); 已导入或录入过的编号不能再次导入"),
    _head("ie_port", example="5316"),
    _head("ie_date", example="2024-09-20", help="进口日期/出口日期"),
    _head("trade_code", example="6101930001"),
    _head("trade_name", width=24),
    _head("trade_co_scc", width=20),
    _head("overseas_consignor_ename", width=24, help="进口报关单填写"),
    _head("overseas_consignee_ename", width=24, help="出口报关单填写"),
    _head("owner_code"),
    _head("owner_name", width=24),
    _head("owner_code_scc", width=20),
    _head("traf_mode", example="2 - 水路运输"),
    _head("traf_name", width=20),
    _head("voy_no"),
    _head("bill_no", width=20),
    _head("trade_mode", example="0110 - 一般贸易"),
    _head("cut_mode", example="101 - 一般征税"),
    _head("license_no"),
    _head("manual_no"),
    _head("contr_no"),
    _head("trade_country", help="进口: 启运国(地区); 出口: 运抵国(地区)"),
    _head("trade_area_code", help="空则同启运国/运抵国"),
    _head("distinate_port", help="进口: 经停港; 出口: 指运港"),
    _head("desp_port_code", help="仅进口报关单填写"),
    _head("enty_port_code", help="进口: 入境口岸; 出口: 离境口岸"),
    _head("trans_mode", example="3 - FOB"),
    _head("fee_mark", help="1-率 2-单价 3-总价", width=10),
    _head("fee_rate", width=10),
    _head("fee_curr", width=10),
    _head("insur_mark", help="1-率 3-总价", width=10),
    _head("insur_rate", width=10),
    _head("insur_curr", width=10),
    _head("other_mark", help="1-率 3-总价", width=10),
    _head("other_rate", width=10),
    _head("other_curr", width=10),
    _head("wrap_type"),
    _head("no_other_pack", help="1-无其他包装; 0-有其他包装(在报关单页面填写)", width=10),
    _head("pack_no", width=10),
    _head("gross_wet", width=12),
    _head("net_wt", width=12),
    _head("goods_place", width=20, help="仅进口报关单填写"),
    _head("purp_org_code"),
    _head("mark_no", example="N/M"),
    _head("note_s", width=24),
    _head("self_tax", width=10),
]

ITEM_COLUMNS = [
    _item("code_ts", required=True, example="6109100010", width=14),
    _item("ciq_code", help="检验检疫编码, 如 999", width=10),
    _item("g_name", width=20),
    _item("g_model", width=40, help="申报要素的值按税则中的顺序以 | 分隔, 如 1|0|针织|T恤衫|..."),
    _item("g_qty", width=12),
    _item("g_unit", example="011 - 件"),
    _item("first_qty", width=12, help="法定计量单位按税则自动带出"),
    _item("second_qty", width=12, help="税则有第二法定单位时必填"),
    _item("decl_price", width=12),
    _item("decl_total", width=12),
    _item("trade_curr", example="USD - 美元"),
    _item("origin_country", help="原产国(地区), 进口和出口都填原产国; 出口报关单空则为 CHN"),
    _item("destination_country", help="最终目的国(地区), 进口和出口都填最终目的国; 进口报关单空则为 CHN"),
    _item("orig_place_code"),
    _item("district_code", help="进口: 境内目的地; 出口: 境内货源地"),
    _item("dest_code", help="进口报关单: 境内目的地(行政区划)"),
    _item("duty_mode", example="1 - 照章征税"),
    _item("purpose", help="法定检验的进口商品必填"),
    _item("goods_attr", help="货物属性代码, 多个以逗号分隔, 如 11,19"),
    _item("contr_item", width=10),
    _item("exg_no"),
    _item("decl_goods_ename", width=20),
]

_PATH = re.compile(r"^(?P<key>\w+)\[\d+\](?:\.(?P<field>\w+))?$")


def field_label(path: str) -> str:
    """Chinese name of a payload path that has no column (a field filled by default, a block)."""
    match = _PATH.match(path)
    key = match["key"] if match else path
    if key in CHILD_BY_KEY:
        child = CHILD_BY_KEY[key]
        if match and match["field"]:
            try:
                return label(child.model, match["field"])
            except FieldDoesNotExist:
                pass
        return child.label
    try:
        return label(Declaration, path)
    except FieldDoesNotExist:
        return ""


def _filled(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None and v != ""}


def save_declaration(actor, record: dict[str, Any]) -> None:
    """暂存 one declaration: ``record`` is the 表头 row with ``items`` (its 表体 rows, in order).

    The 原产国 and 最终目的国 columns mean what their headers say for imports and exports alike;
    an export stores them the other way round (``payload.countries_by_meaning``)."""
    raw = _filled({k: v for k, v in record.items() if k != "items"})
    ie_flag = str(raw.get("ie_flag") or "")
    raw["items"] = [_filled(countries_by_meaning(item, ie_flag)) for item in record["items"]]
    services.create_draft(actor, raw)


def template_record(declaration: Declaration) -> dict[str, Any]:
    """A stored declaration as a record of the import template (the inverse of
    ``save_declaration``): the 表头 values with ``items``, columns by their headers' meaning."""
    data = from_instance(declaration)
    fields = {c.field for c in HEAD_COLUMNS}
    item_fields = {c.field for c in ITEM_COLUMNS}
    record = {k: v for k, v in data.head.items() if k in fields}
    record["items"] = [
        {k: v for k, v in countries_by_meaning(row, declaration.ie_flag).items() if k in item_fields}
        for row in data.items
    ]
    return record


def template_workbook(declarations: list[Declaration]) -> bytes:
    """The import template filled with ``declarations`` (报关单序号 1, 2, 3...): edited in Excel and
    imported again, it gives the same declarations."""
    return build_filled(DECLARATIONS, [template_record(d) for d in declarations])


DECLARATIONS = register(ImportSpec(
    key="declarations",
    title="报关单",
    description=(
        "每份报关单在「表头」占一行, 商品项在「表体」中按顺序各占一行, 两表用「报关单序号」对应。"
        "导入后为暂存状态, 申报前可在报关单页面检查和修改。"
    ),
    sheet_name="表头",
    columns=HEAD_COLUMNS,
    children=[SheetSpec(key="items", sheet_name="表体", title="商品项", columns=ITEM_COLUMNS, link=LINK, min_rows=1)],
    link_help="本文件内自编的序号, 如 1、2、3; 表体中填同一序号的行是这份报关单的商品项",
    save_each=save_declaration,
    field_label=field_label,
    unit="份报关单",
    list_url_name="declarations:list",
    extra={"list_title": "报关单"},
))
