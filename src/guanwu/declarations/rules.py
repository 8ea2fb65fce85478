"""The declaration rules: what 暂存 and 申报 require, and what customs would refuse.

``check(data, on_declare=...)`` runs on the plain ``DeclarationData`` of ``payload.py``, so the
form, the API, the Excel import and the declare service all apply the same rules. Errors name
the field in Chinese (and the item number for item fields) with the payload path as ``field``
(``items[0].code_ts``); warnings are unusual but legal input, shown before declaring.

Sources: the 暂存/申报 required flags of the DecMessage field dictionary (``fielddefs``), the
parameter tables, and the tariff as of the declaration date (legal units, 申报要素, 监管条件).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from guanwu.core.errors import FieldError
from guanwu.messages.dec.structure import MAX_ITEMS
from guanwu.params import services as params
from guanwu.params.index import Tariff

from . import fielddefs
from .models import Declaration
from .payload import CHILD_BY_KEY, CHILD_CODES, CHILDREN, HEAD_CODES, DeclarationData, label

TOTAL_TOLERANCE = Decimal("0.01")
# 品牌类型: 0 无品牌 1 境内自主品牌 2 境内收购品牌 3 境外品牌(贴牌生产) 4 境外品牌(其他)
BRAND_TYPES = frozenset("01234")
EXPORT_PREFERENCES = frozenset("0123")  # 出口享惠情况: 0 不享惠 1 享惠 2 不能确定 3 不适用
OPTIONAL_ELEMENTS = ("GTIN", "CAS", "其他")
# 监管条件 A/B: since the 2018 merger inspection is declared inside the declaration itself.
INSPECTION_CONDITIONS = {"A": "I", "B": "E"}
# Head fields a declaration always needs on 申报 even though the dictionary leaves them optional.
MARKS = {"fee_mark": frozenset("123"), "insur_mark": frozenset("13"), "other_mark": frozenset("13")}
HEAD_ALWAYS_OPTIONAL = frozenset({"type"})  # 单据类型: empty for a general declaration
CONTAINER_NO = re.compile(r"^[A-Z]{4}\d{7}$")


@dataclass
class Findings:
    """``strict``: 申报. On 暂存 the business rules (elements, totals, weights) only warn, so a
    half-keyed declaration can be saved; required fields, codes and the HS code always count."""

    strict: bool = True
    errors: list[FieldError] = field(default_factory=list)
    warnings: list[FieldError] = field(default_factory=list)

    def rule(self, path: str, message: str) -> None:
        (self.errors if self.strict else self.warnings).append(FieldError(path, message))

    def error(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    def warn(self, path: str, message: str) -> None:
        self.warnings.append(FieldError(path, message))

    @property
    def ok(self) -> bool:
        return not self.errors


def item_field_label(name: str, ie_flag: str) -> str:
    """The Chinese name of an item field as the form shows it for an import or export.

    The dictionary's note: for an export, OriginCountry holds the destination and
    DestinationCountry the origin."""
    if ie_flag == "E":
        if name == "origin_country":
            return "最终目的国(地区)"
        if name == "destination_country":
            return "原产国(地区)"
        if name == "district_code":
            return "境内货源地"
    elif ie_flag == "I":
        if name == "district_code":
            return "境内目的地"
        if name == "dest_code":
            return "境内目的地(行政区划)"
    if name == "origin_country":
        return "原产国(地区)"
    return label(CHILD_BY_KEY["items"].model, name)


def head_label(name: str, ie_flag: str = "") -> str:
    if name == "trade_country":
        return {"I": "启运国(地区)", "E": "运抵国(地区)"}.get(ie_flag, "启运国/运抵国")
    if name == "enty_port_code":
        return {"I": "入境口岸", "E": "离境口岸"}.get(ie_flag, "入境/离境口岸")
    if name == "desp_port_code":
        return {"I": "启运港", "E": "启运港"}.get(ie_flag, "启运港")
    if name == "ie_date":
        return {"I": "进口日期", "E": "出口日期"}.get(ie_flag, "进出口日期")
    return label(Declaration, name)


def _filled(value: Any) -> bool:
    return value not in (None, "")


def _item_prefix(row: dict[str, Any], index: int) -> str:
    return f"第{row.get('g_no') or index + 1}项"


def _required(data: DeclarationData, on_declare: bool, out: Findings) -> None:
    ie = data.ie_flag
    required_head = [
        f for block in ("DecHead", "DecFreeTxt", "DecTpAccess")
        for f in fielddefs.required(block, on_declare=on_declare)
        if f.field in data.head and f.field not in HEAD_ALWAYS_OPTIONAL
    ]
    for f in required_head:
        if not _filled(data.head.get(f.field)):
            out.error(f.field, f"{head_label(f.field, ie)}不能为空")
    for child in CHILDREN:
        # g_no is numbered by the platform; second_qty is required by the tariff's second unit (see _goods).
        required = [
            f for f in fielddefs.required(child.block, on_declare=on_declare) if f.field not in ("g_no", "second_qty")
        ]
        for index, row in enumerate(data.rows(child.key)):
            prefix = _item_prefix(row, index) if child.key == "items" else f"{child.label}第{index + 1}行"
            for f in required:
                if f.field in row and not _filled(row.get(f.field)):
                    name = item_field_label(f.field, ie) if child.key == "items" else f.cn_name
                    out.error(f"{child.key}[{index}].{f.field}", f"{prefix} {name}不能为空")
    if on_declare:
        if not data.items:
            out.error("items", "报关单至少需要一项商品")
        if ie == "I":
            for index, row in enumerate(data.items):
                if not _filled(row.get("dest_code")):
                    out.error(
                        f"items[{index}].dest_code",
                        f"{_item_prefix(row, index)} {item_field_label('dest_code', ie)}不能为空",
                    )
    if len(data.items) > MAX_ITEMS:
        out.error("items", f"一份报关单最多{MAX_ITEMS}项商品, 当前{len(data.items)}项, 请拆分报关单")


def _codes(data: DeclarationData, out: Findings) -> None:
    ie = data.ie_flag
    if data.head.get("ie_flag") and ie not in ("I", "E"):
        out.error("ie_flag", "进出口标志应为 I(进口) 或 E(出口)")
    for name, table in HEAD_CODES.items():
        value = data.head.get(name)
        if value and not params.code_exists(table, value):
            out.error(name, f"{head_label(name, ie)}代码不存在: {value}")
    for child in CHILDREN:
        codes = CHILD_CODES[child.key]
        for index, row in enumerate(data.rows(child.key)):
            prefix = _item_prefix(row, index) if child.key == "items" else f"{child.label}第{index + 1}行"
            for name, table in codes.items():
                value = row.get(name)
                if value and not params.code_exists(table, value):
                    name_cn = item_field_label(name, ie) if child.key == "items" else label(child.model, name)
                    out.error(f"{child.key}[{index}].{name}", f"{prefix} {name_cn}代码不存在: {value}")
    for name, allowed in MARKS.items():
        value = data.head.get(name)
        if value and value not in allowed:
            out.error(name, f"{head_label(name)}应为 {'/'.join(sorted(allowed))} 之一")
    if data.head.get("promise_itmes") and not re.fullmatch(r"[019]{1,5}", data.head["promise_itmes"]):
        out.error("promise_itmes", "价格说明每位应为 1(是)、0(否) 或 9(空), 最多5位")
    for scc_field in ("trade_co_scc", "agent_code_scc", "owner_code_scc", "cop_code_scc"):
        value = data.head.get(scc_field)
        if value and len(value) != 18:
            out.error(scc_field, f"{head_label(scc_field)}应为18位统一社会信用代码")


def tariff_date(data: DeclarationData, as_of: dt.date | None) -> dt.date:
    return as_of or dt.date.today()


def split_model(g_model: str) -> list[str]:
    return g_model.split("|") if g_model else []


def _elements(row: dict[str, Any], index: int, tariff: Tariff, ie: str, on_declare: bool, out: Findings) -> None:
    prefix = _item_prefix(row, index)
    path = f"items[{index}].g_model"
    g_model = row.get("g_model") or ""
    if not g_model:
        if on_declare:
            out.error(path, f"{prefix} 规格型号(申报要素)不能为空")
        return
    values = split_model(g_model)
    names = tariff.elements
    if len(values) != len(names):
        out.rule(
            path,
            f"{prefix} 申报要素应有{len(names)}项(商品编号{tariff.code_ts}: {'、'.join(names)}), "
            f"实际{len(values)}项; 各项之间以 | 分隔",
        )
        return
    for name, value in zip(names, values, strict=True):
        value = value.strip()
        if name == "品牌类型":
            if value not in BRAND_TYPES:
                out.rule(path, f"{prefix} 申报要素“品牌类型”应为 0-4, 实际为“{value}”")
        elif name == "出口享惠情况":
            if value and value not in EXPORT_PREFERENCES:
                out.rule(path, f"{prefix} 申报要素“出口享惠情况”应为 0-3, 实际为“{value}”")
            elif not value and ie == "E" and on_declare:
                out.error(path, f"{prefix} 申报要素“出口享惠情况”不能为空")
        elif not value and on_declare and name not in OPTIONAL_ELEMENTS and not name.startswith("如"):
            out.error(path, f"{prefix} 申报要素“{name}”不能为空")


def _goods(data: DeclarationData, on_declare: bool, as_of: dt.date | None, out: Findings) -> dict[int, Tariff]:
    ie = data.ie_flag
    when = tariff_date(data, as_of)
    found: dict[int, Tariff] = {}
    for index, row in enumerate(data.items):
        prefix = _item_prefix(row, index)
        code_ts = row.get("code_ts") or ""
        if not code_ts:
            continue
        tariff = params.tariff_item(code_ts, when)
        if tariff is None:
            out.error(f"items[{index}].code_ts", f"{prefix} 商品编号{code_ts}在{when:%Y-%m-%d}的税则中不存在")
            continue
        found[index] = tariff
        for unit_field, tariff_unit in (("first_unit", tariff.first_unit), ("second_unit", tariff.second_unit)):
            given = row.get(unit_field) or ""
            if given and given != (tariff_unit or ""):
                expected = f"{tariff_unit}({params.code_name('units', tariff_unit)})" if tariff_unit else "空"
                out.error(
                    f"items[{index}].{unit_field}",
                    f"{prefix} {item_field_label(unit_field, ie)}由税则确定, 应为{expected}, 不能修改",
                )
        if on_declare and tariff.second_unit and not _filled(row.get("second_qty")):
            out.error(
                f"items[{index}].second_qty",
                f"{prefix} 商品编号{code_ts}有第二法定计量单位"
                f"({params.code_name('units', tariff.second_unit)}), 第二法定数量不能为空",
            )
        if not tariff.second_unit and _filled(row.get("second_qty")):
            out.rule(
                f"items[{index}].second_qty", f"{prefix} 商品编号{code_ts}无第二法定计量单位, 不应填写第二法定数量"
            )
        _elements(row, index, tariff, ie, on_declare, out)
        qty, price, total = row.get("g_qty"), row.get("decl_price"), row.get("decl_total")
        if qty is not None and price is not None and total is not None and abs(qty * price - total) > TOTAL_TOLERANCE:
            product = (qty * price).quantize(Decimal("0.01"))
            message = f"{prefix} 申报总价{total}应等于单价{price} × 成交数量{qty} = {product}"
            out.rule(f"items[{index}].decl_total", message)
        if qty is not None and row.get("g_unit") and row.get("g_unit") == tariff.first_unit:
            first = row.get("first_qty")
            if first is not None and first != qty:
                out.warn(
                    f"items[{index}].first_qty",
                    f"{prefix} 成交单位与法定第一单位相同, 但成交数量{qty}与法定第一数量{first}不一致",
                )
        if ie == "I" and row.get("destination_country") and row["destination_country"] != "CHN":
            out.warn(f"items[{index}].destination_country", f"{prefix} 进口货物最终目的国一般为中国(CHN)")
        if ie == "I" and row.get("origin_country") == "CHN":
            out.warn(f"items[{index}].origin_country", f"{prefix} 原产国为中国的进口货物属复进口, 请确认")
        if ie == "E" and row.get("destination_country") and row["destination_country"] != "CHN":
            out.warn(f"items[{index}].destination_country", f"{prefix} 出口货物原产国不是中国, 请确认")
        if ie == "E" and row.get("origin_country") == "CHN":
            out.warn(f"items[{index}].origin_country", f"{prefix} 出口货物的最终目的国为中国, 请确认")
    return found


def licence_direction(docu_code: str) -> str:
    """``I``, ``E`` or ``""`` (both): whether a 监管条件 applies to imports or exports, read from
    the code table's names (进口许可证 / 出口许可证 / 入境 / 出境 ...)."""
    name = params.code_name("licence-docs", docu_code) or ""
    if "进口" in name or "入境" in name:
        return "I"
    if "出口" in name or "出境" in name:
        return "E"
    return ""


def required_licences(tariff: Tariff, ie: str) -> Iterator[str]:
    for code in tariff.licence_codes:
        if code in INSPECTION_CONDITIONS:
            continue
        direction = licence_direction(code)
        if direction and ie and direction != ie:
            continue
        yield code


def _licences(data: DeclarationData, tariffs: dict[int, Tariff], out: Findings) -> None:
    ie = data.ie_flag
    have = {row.get("docu_code"): row.get("cert_code") for row in data.licences if row.get("docu_code")}
    needs_inspection = False
    for index, tariff in tariffs.items():
        row = data.items[index]
        prefix = _item_prefix(row, index)
        for code in required_licences(tariff, ie):
            if code not in have:
                name = params.code_name("licence-docs", code) or code
                out.error(
                    f"items[{index}].code_ts",
                    f"{prefix} 商品编号{tariff.code_ts}的监管条件要求随附单证 {code}({name}), 请在随附单证中填写",
                )
        for code, direction in INSPECTION_CONDITIONS.items():
            if code in tariff.licence_codes and (not ie or ie == direction):
                needs_inspection = True
                if not row.get("ciq_code"):
                    out.error(
                        f"items[{index}].ciq_code",
                        f"{prefix} 商品编号{tariff.code_ts}须{'入境' if code == 'A' else '出境'}检验检疫"
                        f"(监管条件{code}), 检验检疫编码不能为空",
                    )
                elif params.ciq_names(tariff.code_ts) and row["ciq_code"] not in dict(params.ciq_names(tariff.code_ts)):
                    out.error(
                        f"items[{index}].ciq_code",
                        f"{prefix} 检验检疫编码{row['ciq_code']}不属于商品编号{tariff.code_ts}",
                    )
    for index, row in enumerate(data.licences):
        if row.get("docu_code") and not row.get("cert_code"):
            out.error(f"licences[{index}].cert_code", f"随附单证第{index + 1}行 单证编号不能为空")
        if row.get("docu_code") in INSPECTION_CONDITIONS:
            out.warn(
                f"licences[{index}].docu_code",
                f"随附单证第{index + 1}行 监管条件{row['docu_code']}自2018年关检融合后"
                "在报关单内申报检验检疫, 无需单独单证",
            )
    if needs_inspection:
        for name in ("org_code",) + (("insp_org_code",) if ie == "I" else ()):
            if not data.head.get(name):
                out.error(name, f"商品须检验检疫, {head_label(name, ie)}不能为空")


def _weights_and_costs(data: DeclarationData, on_declare: bool, out: Findings) -> None:
    h = data.head
    gross, net = h.get("gross_wet"), h.get("net_wt")
    if gross is not None and net is not None:
        if net > gross:
            out.rule("net_wt", f"净重{net}不能大于毛重{gross}")
        elif net == gross and gross:
            out.warn("gross_wet", "毛重等于净重, 请确认是否包含包装重量")
    if on_declare and h.get("pack_no") == 0:
        out.warn("pack_no", "件数为0, 散装货物请确认包装种类为散装")
    trans = h.get("trans_mode")
    ie = data.ie_flag
    # Who pays freight and insurance follows from the transaction mode (CIF/C&F/FOB...).
    needs_fee = (ie == "I" and trans in ("3", "4")) or (ie == "E" and trans in ("1", "2"))
    needs_insur = (ie == "I" and trans in ("2", "3", "4")) or (ie == "E" and trans == "1")
    trans_name = params.code_name("transaction-modes", trans) if trans else ""
    if on_declare and needs_fee and not h.get("fee_rate"):
        out.error("fee_rate", f"成交方式为{trans_name}的{'进口' if ie == 'I' else '出口'}报关单须填写运费")
    if on_declare and needs_insur and not h.get("insur_rate"):
        out.error("insur_rate", f"成交方式为{trans_name}的{'进口' if ie == 'I' else '出口'}报关单须填写保费")
    for prefix in ("fee", "insur", "other"):
        rate, mark, curr = h.get(f"{prefix}_rate"), h.get(f"{prefix}_mark"), h.get(f"{prefix}_curr")
        name = {"fee": "运费", "insur": "保费", "other": "杂费"}[prefix]
        if rate and not mark:
            out.error(f"{prefix}_mark", f"填写了{name}, {name}标记不能为空")
        if rate and mark in ("2", "3") and not curr:
            out.error(f"{prefix}_curr", f"{name}按单价或总价申报时, {name}币制不能为空")
    if ie == "I" and h.get("ie_date") and h["ie_date"] > dt.date.today():
        out.warn("ie_date", "进口日期晚于今天, 请确认")
    currencies = {row.get("trade_curr") for row in data.items if row.get("trade_curr")}
    if len(currencies) > 1:
        out.warn("items", f"商品项使用了多种成交币制: {'、'.join(sorted(currencies))}")


def _containers(data: DeclarationData, out: Findings) -> None:
    g_nos = {row.get("g_no") for row in data.items}
    seen: set[str] = set()
    for index, row in enumerate(data.containers):
        prefix = f"集装箱第{index + 1}行"
        number = (row.get("container_id") or "").upper()
        if number in seen:
            out.error(f"containers[{index}].container_id", f"{prefix} 集装箱号{number}重复")
        seen.add(number)
        if number and (not CONTAINER_NO.match(number) or not container_check_digit_ok(number)):
            out.warn(f"containers[{index}].container_id", f"{prefix} 集装箱号{number}不符合ISO 6346校验规则, 请核对")
        for part in filter(None, (p.strip() for p in (row.get("goods_no") or "").split(","))):
            if not part.isdigit() or int(part) not in g_nos:
                out.rule(f"containers[{index}].goods_no", f"{prefix} 商品项号{part}在表体中不存在")


def container_check_digit_ok(number: str) -> bool:
    """ISO 6346 check digit of an 11-character container number."""
    values = {}
    n = 10
    for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if n % 11 == 0:
            n += 1
        values[ch] = n
        n += 1
    values.update({str(d): d for d in range(10)})
    total = sum(values[ch] * (2**i) for i, ch in enumerate(number[:10]))
    return total % 11 % 10 == int(number[10])


def _duplicates(data: DeclarationData, out: Findings) -> None:
    seen: dict[tuple, int] = {}
    for index, row in enumerate(data.items):
        key = (row.get("code_ts"), row.get("g_name"), row.get("g_model"), row.get("origin_country"),
               row.get("g_unit"), row.get("decl_price"))
        if row.get("code_ts") and key in seen:
            out.warn(
                f"items[{index}].code_ts",
                f"{_item_prefix(row, index)} 与第{seen[key] + 1}项的商品编号、名称、规格、原产国和单价相同, 可合并",
            )
        seen.setdefault(key, index)


ExtraCheck = Callable[[DeclarationData, Findings, Any], None]
_EXTRA_CHECKS: list[ExtraCheck] = []


def register_check(func: ExtraCheck) -> ExtraCheck:
    """Add a rule from another module (e.g. the data center: only approved customers, licences
    with a balance). ``func(data, findings, enterprise)`` adds errors/warnings to ``findings``;
    ``findings.strict`` tells 申报 from 暂存 and ``findings.rule`` errs only on 申报."""
    _EXTRA_CHECKS.append(func)
    return func


def check(data: DeclarationData, *, on_declare: bool, as_of: dt.date | None = None, enterprise: Any = None) -> Findings:
    """Every error and warning of ``data`` for 暂存 (``on_declare=False``) or 申报."""
    out = Findings(strict=on_declare)
    _required(data, on_declare, out)
    _codes(data, out)
    tariffs = _goods(data, on_declare, as_of, out)
    if on_declare:
        _licences(data, tariffs, out)
    _weights_and_costs(data, on_declare, out)
    _containers(data, out)
    _duplicates(data, out)
    for extra in _EXTRA_CHECKS:
        extra(data, out, enterprise)
    return out


def fill_legal_units(data: DeclarationData, as_of: dt.date | None = None) -> None:
    """Legal units come from the tariff: fill them where the input left them empty."""
    when = tariff_date(data, as_of)
    for row in data.items:
        tariff = params.tariff_item(row.get("code_ts"), when) if row.get("code_ts") else None
        if tariff is None:
            continue
        if not row.get("first_unit"):
            row["first_unit"] = tariff.first_unit
        if not row.get("second_unit") and tariff.second_unit:
            row["second_unit"] = tariff.second_unit
