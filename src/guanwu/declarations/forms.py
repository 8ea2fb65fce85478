"""The layout of the declaration entry page: header blocks as on the Single Window 报关单 form,
and the columns of the goods grid and the other repeating blocks.

Pure description, no validation: the page sends the payload of ``payload.py`` to the API and
the services apply ``rules.py``. Labels follow the declaration's direction (进口/出口), required
marks come from the dictionary's 申报必填 flags (``guanwu.messages.dec.fields``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import models

from guanwu.messages.dec import fields as fielddefs
from guanwu.params import services as params

from . import rules
from .models import Declaration
from .payload import CHILD_BY_KEY, CHILD_CODES, HEAD_CODES, editable_fields
from .rules.required import head_required

# Labels that change with the direction: the head fields' (rules.DIRECTIONAL_LABELS) and the parties'.
_DIRECTIONAL: dict[str, tuple[str, str]] = {
    **rules.DIRECTIONAL_LABELS,
    "trade": ("境内收货人", "境内发货人"),
    "overseas": ("境外发货人", "境外收货人"),
    "owner": ("消费使用单位", "生产销售单位"),
}
_LABELS: dict[str, str] = {
    "custom_master": "申报地海关",
    "manual_no": "备案号",
    "contr_no": "合同协议号",
    "traf_mode": "运输方式",
    "traf_name": "运输工具名称",
    "voy_no": "航次号",
    "bill_no": "提运单号",
    "trade_mode": "监管方式",
    "cut_mode": "征免性质",
    "license_no": "许可证号",
    "trade_area_code": "贸易国(地区)",
    "trans_mode": "成交方式",
    "wrap_type": "包装种类",
    "pack_no": "件数",
    "gross_wet": "毛重(千克)",
    "net_wt": "净重(千克)",
    "fee": "运费",
    "insur": "保费",
    "other": "杂费",
    "promise_itmes": "价格说明",
    "mark_no": "标记唛码",
    "note_s": "备注",
    "self_tax": "自报自缴",
    "internal_no": "企业内部编号",
    "no_other_pack": "无其他包装",
    "purp_org_code": "目的地海关",
    "desp_date": "启运日期",
    "agent": "申报单位",
    "bl_no": "B/L号",
}
# 运费/保费/杂费 标记: 1 率, 2 单价, 3 总价 (保费 and 杂费 have no 单价).
MARK_CHOICES: dict[str, tuple[tuple[str, str], ...]] = {
    "fee_mark": (("1", "1-率"), ("2", "2-单价"), ("3", "3-总价")),
    "insur_mark": (("1", "1-率"), ("3", "3-总价")),
    "other_mark": (("1", "1-率"), ("3", "3-总价")),
    "no_other_pack": (("1", "1-是(无其他包装)"), ("0", "0-否(见其他包装)")),
}
@dataclass(frozen=True)
class Input:
    """One input of the header: ``kind`` is text, code (picker on ``table``), date, number,
    mark (select of MARK_CHOICES) or check."""

    name: str
    kind: str = "text"
    table: str = ""
    placeholder: str = ""
    width: str = ""  # CSS flex basis inside a group, e.g. "9em"
    label: str = ""  # only for inputs inside a group (aria-label)
    party: str = ""  # a party's inputs (ui.js fills them from one code): its key ...
    role: str = ""  # ... and which of code / scc / name this one is


@dataclass(frozen=True)
class Cell:
    """One labelled cell of the header grid, holding one input or a group of inputs."""

    key: str
    inputs: tuple[Input, ...]
    span: int = 1
    only: str = ""  # "I" or "E": shown for that direction only


@dataclass(frozen=True)
class Block:
    title: str
    cells: tuple[Cell, ...]
    key: str = ""
    only: str = ""  # "I" or "E": shown for that direction only


def _one(name: str, kind: str = "text", span: int = 1, only: str = "", **kw: Any) -> Cell:
    table = kw.pop("table", HEAD_CODES.get(name, "")) if kind == "code" else ""
    return Cell(name, (Input(name, kind, table=table, **kw),), span=span, only=only)


def _party(key: str, prefix_scc: str, code: str, name: str) -> Cell:
    return Cell(key, (
        Input(prefix_scc, placeholder="18位社会信用代码", width="13em", label="统一社会信用代码", party=key,
              role="scc"),
        Input(code, placeholder="海关编码", width="8em", label="海关编码", party=key, role="code"),
        Input(name, placeholder="企业名称", label="企业名称", party=key, role="name"),
    ), span=3)


def _cost(prefix: str) -> Cell:
    return Cell(prefix, (
        Input(f"{prefix}_mark", "mark", width="6.5em", label="标记"),
        Input(f"{prefix}_rate", "number", width="7em", label="费用/率"),
        Input(f"{prefix}_curr", "code", table="currencies", label="币制"),
    ), span=2)


LAYOUT: tuple[Block, ...] = (
    Block("基本信息", (
        _one("custom_master", "code"),
        _one("ie_port", "code"),
        _one("manual_no"),
        _one("contr_no"),
        _one("ie_date", "date"),
        _one("license_no"),
        _one("internal_no"),
    ), key="basic"),
    Block("收发货人", (
        _party("trade", "trade_co_scc", "trade_code", "trade_name"),
        Cell("overseas", (
            Input("overseas_consignor_code", placeholder="境外发货人代码", width="10em", label="境外发货人代码"),
            Input("overseas_consignor_ename", placeholder="境外发货人名称(外文)", label="境外发货人名称(外文)"),
        ), span=3, only="I"),
        Cell("overseas", (
            Input("overseas_consignee_code", placeholder="境外收货人代码", width="10em", label="境外收货人代码"),
            Input("overseas_consignee_ename", placeholder="境外收货人名称(外文)", label="境外收货人名称(外文)"),
        ), span=3, only="E"),
        _party("owner", "owner_code_scc", "owner_code", "owner_name"),
        _party("agent", "agent_code_scc", "agent_code", "agent_name"),
    ), key="parties"),
    Block("运输信息", (
        _one("traf_mode", "code"),
        _one("traf_name"),
        _one("voy_no"),
        _one("bill_no"),
        _one("goods_place", span=2, only="I"),  # 启运港 and 货物存放地点 are import fields
        _one("desp_port_code", "code", only="I"),
        _one("distinate_port", "code"),
        _one("enty_port_code", "code"),
        _one("trade_country", "code"),
        _one("trade_area_code", "code"),
        _one("desp_date", "date", only="I"),
    ), key="transport"),
    Block("贸易与费用", (
        _one("trade_mode", "code"),
        _one("cut_mode", "code"),
        _one("trans_mode", "code"),
        _one("wrap_type", "code"),
        _one("no_other_pack", "mark"),
        _one("pack_no", "number"),
        _one("gross_wet", "number"),
        _one("net_wt", "number"),
        _cost("fee"),
        _cost("insur"),
        _cost("other"),
        _one("promise_itmes", placeholder="特殊关系/价格影响/特许权 1是0否9空"),
        _one("self_tax", "check"),
    ), key="trade"),
    # OrgCode, InspOrgCode, VsaOrgCode: "字段已废弃，不再使用" (field dictionary); not shown.
    Block("检验检疫", (
        _one("purp_org_code", "code", only="I"),
    ), key="ciq", only="I"),
    Block("标记唛码及备注", (
        _one("mark_no", span=3),
        _one("note_s", span=3),
    ), key="notes"),
)


@cache
def declare_required_head(ie_flag: str = "") -> frozenset[str]:
    """Header fields that 申报 requires of a declaration of this direction (the dictionary's
    申报必填 flags, read per direction as the rules do)."""
    return frozenset(name for block in ("DecHead", "DecFreeTxt") for name in head_required(block, ie_flag, True))


def cell_label(key: str, ie_flag: str) -> str:
    if key in _DIRECTIONAL:
        imp, exp = _DIRECTIONAL[key]
        return exp if ie_flag == "E" else imp
    if key in _LABELS:
        return _LABELS[key]
    return rules.head_label(key, ie_flag)


def _field(name: str) -> models.Field:
    return editable_fields(Declaration)[name]


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 2890.00000 -> 2890
    return str(value)


@dataclass
class BoundInput:
    input: Input
    value: str
    value_name: str
    required: bool
    maxlength: int | None
    choices: tuple[tuple[str, str], ...] = ()
    checked: bool = False

    @property
    def name(self) -> str:
        return self.input.name


@dataclass
class BoundCell:
    key: str
    label: str
    span: int
    inputs: list[BoundInput]
    required: bool = False


@dataclass
class BoundBlock:
    title: str
    key: str
    cells: list[BoundCell] = field(default_factory=list)


def bind_layout(head: dict[str, Any], ie_flag: str) -> list[BoundBlock]:
    """The header blocks for one declaration: labels for its direction, values, code names."""
    required = declare_required_head(ie_flag)
    out = []
    for block in LAYOUT:
        if block.only and block.only != ie_flag:
            continue
        bound = BoundBlock(block.title, block.key)
        for cell in block.cells:
            if cell.only and cell.only != ie_flag:
                continue
            inputs = []
            for inp in cell.inputs:
                model_field = _field(inp.name)
                value = head.get(inp.name)
                text = _display(value)
                name = (params.code_name(inp.table, text) or "") if inp.kind == "code" and text else ""
                inputs.append(BoundInput(
                    input=inp, value=text, value_name=name, required=inp.name in required,
                    maxlength=getattr(model_field, "max_length", None),
                    choices=MARK_CHOICES.get(inp.name, ()), checked=bool(value) if inp.kind == "check" else False,
                ))
            bound.cells.append(BoundCell(
                key=cell.key, label=cell_label(cell.key, ie_flag), span=cell.span, inputs=inputs,
                required=any(i.required for i in inputs),
            ))
        out.append(bound)
    return out


def head_names(ie_flag: str) -> list[str]:
    """Every header field the page shows (and so sends) for this direction."""
    return [inp.name for block in LAYOUT if not block.only or block.only == ie_flag for cell in block.cells
            if not cell.only or cell.only == ie_flag for inp in cell.inputs]


# ----------------------------------------------------------------------------------- grids


@dataclass(frozen=True)
class Column:
    """A column of a repeating block on the page: ``kind`` is text, number, code (picker on
    ``table``), tariff (HS code picker), ciq (检验检疫编码 of the row's HS code), gmodel (申报要素),
    unit (legal unit from the tariff, read-only), select (``choices``) or index (项号)."""

    name: str
    kind: str = "text"
    table: str = ""
    width: int = 90
    choices: tuple[tuple[str, str], ...] = ()


ITEM_COLUMNS: tuple[Column, ...] = (
    Column("g_no", "index", width=38),
    Column("code_ts", "tariff", width=118),
    Column("contr_item", "number", width=64),  # 备案序号: with a 备案号, fills the row from the 保税商品库
    Column("ciq_code", "ciq", width=110),
    Column("g_name", width=150),
    Column("g_model", "gmodel", width=230),
    Column("g_qty", "number", width=86),
    Column("g_unit", "code", width=100),
    Column("decl_price", "number", width=80),
    Column("decl_total", "number", width=96),
    Column("trade_curr", "code", width=96),
    Column("first_qty", "number", width=86),
    Column("first_unit", "unit", width=64),
    Column("second_qty", "number", width=86),
    Column("second_unit", "unit", width=64),
    Column("origin_country", "code", width=120),
    Column("destination_country", "code", width=120),
    Column("district_code", "code", width=140),
    Column("dest_code", "code", width=140),
    Column("duty_mode", "code", width=110),
)
CHILD_COLUMNS: dict[str, tuple[Column, ...]] = {
    "containers": (
        Column("container_id", width=130),
        Column("container_md", "code", width=170),
        Column("goods_no", width=120),
        Column("lcl_flag", "select", width=90, choices=(("0", "0-否"), ("1", "1-是"))),
        Column("goods_conta_wt", "number", width=100),
    ),
    "licences": (
        Column("docu_code", "code", width=220),
        Column("cert_code", width=220),
    ),
    "documents": (
        Column("edoc_code", "code", width=200),
        Column("edoc_id", width=260),
        Column("edoc_fomat_type", width=90),
        Column("edoc_cop_id", width=180),
        Column("g_no_str", width=120),
    ),
    "other_packs": (
        Column("pack_type", "code", width=200),
        Column("pack_qty", "number", width=110),
    ),
}
_CHILD_LABELS = {
    "container_md": "集装箱规格", "goods_no": "商品项号(逗号分隔)", "lcl_flag": "拼箱标识",
    "goods_conta_wt": "箱货重量",
    "docu_code": "单证代码", "cert_code": "单证编号",
    "edoc_code": "随附单据类别", "edoc_id": "随附单据编号", "edoc_fomat_type": "格式类型", "edoc_cop_id": "文件名",
    "g_no_str": "关联商品项号",
    "pack_type": "包装材料种类", "pack_qty": "包装件数",
}
_ITEM_LABELS = {
    "g_no": "项号", "code_ts": "商品编号", "ciq_code": "检验检疫编码", "g_name": "商品名称",
    "g_model": "规格型号(申报要素)", "g_qty": "成交数量", "g_unit": "成交单位", "decl_price": "单价",
    "decl_total": "总价", "trade_curr": "币制", "first_qty": "法定第一数量", "first_unit": "法定第一单位",
    "second_qty": "法定第二数量", "second_unit": "法定第二单位", "duty_mode": "征免方式",
}


def _column_label(key: str, name: str, ie_flag: str) -> str:
    if key == "items":
        if name in ("origin_country", "destination_country", "district_code", "dest_code"):
            label = rules.item_field_label(name, ie_flag)
            return "目的地代码" if name == "dest_code" else label
        return _ITEM_LABELS.get(name, rules.item_field_label(name, ie_flag))
    return _CHILD_LABELS.get(name) or str(CHILD_BY_KEY[key].model._meta.get_field(name).verbose_name)


def _required_child(key: str) -> frozenset[str]:
    block = CHILD_BY_KEY[key].block
    return frozenset(f.field for f in fielddefs.required(block, on_declare=True))


def columns(key: str, ie_flag: str) -> list[dict[str, Any]]:
    """Column specs of one repeating block for the page's script."""
    cols = ITEM_COLUMNS if key == "items" else CHILD_COLUMNS[key]
    if key == "items":
        if ie_flag != "I":
            cols = tuple(c for c in cols if c.name != "dest_code")
        if ie_flag == "E":  # 原产国 first: for an export it is held in destination_country
            order = {"destination_country": 0, "origin_country": 1}
            countries = sorted((c for c in cols if c.name in order), key=lambda c: order[c.name])
            at = next(i for i, c in enumerate(cols) if c.name in order)
            rest = [c for c in cols if c.name not in order]
            cols = tuple(rest[:at] + countries + rest[at:])
    required = _required_child(key) | ({"dest_code"} if key == "items" and ie_flag == "I" else set())
    model = CHILD_BY_KEY[key].model
    out = []
    for c in cols:
        model_field = model._meta.get_field(c.name)
        out.append({
            "name": c.name,
            "label": _column_label(key, c.name, ie_flag),
            "kind": c.kind,
            "table": c.table or CHILD_CODES[key].get(c.name, ""),
            "width": c.width,
            "required": c.name in required and c.kind not in ("index", "unit"),
            "maxlength": getattr(model_field, "max_length", None),
            "choices": [list(ch) for ch in c.choices],
        })
    return out


def code_names(key: str, rows: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """``{table: {code: name}}`` for the codes used in ``rows``, so pickers show ``code - name``."""
    out: dict[str, dict[str, str]] = {}
    for column in (ITEM_COLUMNS if key == "items" else CHILD_COLUMNS[key]):
        table = column.table or CHILD_CODES[key].get(column.name, "")
        if not table and column.kind != "unit":
            continue
        table = table or "units"
        for row in rows:
            code = row.get(column.name)
            if code and code not in out.get(table, {}):
                out.setdefault(table, {})[code] = params.code_name(table, code) or ""
    return out
