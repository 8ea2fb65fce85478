"""Goods items against the tariff: legal units and quantities, 申报要素, prices and totals.

The tariff facts of one goods line are shared with the commodity library and 智能辅助申报
(``guanwu.params.goods``, which names the sources); this module applies them to every item of a
declaration and adds what only a declaration has (totals, the head's net weight, countries).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from guanwu.params import goods
from guanwu.params import services as params
from guanwu.params.index import Tariff

from ..payload import DeclarationData
from .base import Findings, add_item_findings, item_field_label, item_path, item_prefix, tariff_date

# DeclPrice is Decimal(19,4) in the dictionary: a unit price is rounded to 4 decimals, so
# price × quantity may miss the total by half a unit of the 4th decimal per unit of quantity.
PRICE_PLACES = 4
PRICE_HALF_UNIT = Decimal(1).scaleb(-PRICE_PLACES) / 2
TOTAL_HALF_UNIT = Decimal("0.005")  # the total itself is declared to the fen


def tariff_lines(data: DeclarationData, as_of: dt.date | None, out: Findings) -> dict[int, Tariff]:
    """The tariff line of each item's 商品编号 as of the declaration date; an unknown code is an error."""
    when = tariff_date(data, as_of)
    found: dict[int, Tariff] = {}
    for index, row in enumerate(data.items):
        code_ts = row.get("code_ts") or ""
        if not code_ts:
            continue
        tariff = params.tariff_item(code_ts, when)
        if tariff is None:
            add_item_findings(out, data, index, [goods.unknown_code(code_ts, f"{when:%Y-%m-%d}")])
            continue
        found[index] = tariff
    return found


def legal_units(data: DeclarationData, tariffs: dict[int, Tariff], on_declare: bool, out: Findings) -> None:
    """法定计量单位 come from the tariff and cannot be changed; a second unit needs its quantity."""
    def label(name: str) -> str:
        return item_field_label(name, data.ie_flag)

    for index, tariff in tariffs.items():
        add_item_findings(out, data, index,
                          goods.legal_units(data.items[index], tariff, on_declare=on_declare, label=label))


def declaration_elements(data: DeclarationData, tariffs: dict[int, Tariff], on_declare: bool,
                         out: Findings) -> None:
    """规格型号 carries the tariff's 申报要素 in order, separated by ``|`` (``params.goods.elements``);
    then the 规范申报 checker's rules per element (``params.goods.element_rules``: 品牌 against
    品牌类型, GTIN/CAS check digits, 成分含量, units, 型号 ...), its errors refused on 申报."""
    for index, tariff in tariffs.items():
        row = data.items[index]
        g_model = row.get("g_model") or ""
        if not g_model:
            if on_declare:
                out.error(item_path(index, "g_model"), f"{item_prefix(row, index)} 规格型号(申报要素)不能为空")
            continue
        add_item_findings(out, data, index, goods.elements(g_model, tariff, data.ie_flag, on_declare=on_declare))
        add_item_findings(out, data, index, goods.element_rules(g_model, tariff, data.ie_flag))


def total_tolerance(qty: Decimal) -> Decimal:
    """How far 单价 × 数量 may miss 总价: the unit price's rounding (half a unit of its 4th
    decimal) times the quantity, plus half a fen for the total's own rounding."""
    return PRICE_HALF_UNIT * abs(qty) + TOTAL_HALF_UNIT


def total_matches_price(data: DeclarationData, out: Findings) -> None:
    """申报总价 = 申报单价 × 成交数量 (填制规范 单价/总价), within the rounding of the unit price."""
    for index, row in enumerate(data.items):
        qty, price, total = row.get("g_qty"), row.get("decl_price"), row.get("decl_total")
        if qty is None or price is None or total is None:
            continue
        if abs(qty * price - total) > total_tolerance(qty):
            product = (qty * price).quantize(Decimal("0.01"))
            out.rule(item_path(index, "decl_total"),
                     f"{item_prefix(row, index)} 申报总价{total}应等于单价{price} × 成交数量{qty} = {product}")


def legal_quantities_positive(data: DeclarationData, tariffs: dict[int, Tariff], out: Findings) -> None:
    """A legal quantity (法定第一/第二数量) is the quantity in the legal unit: never 0."""
    def label(name: str) -> str:
        return item_field_label(name, data.ie_flag)

    for index, tariff in tariffs.items():
        add_item_findings(out, data, index, goods.legal_quantities_positive(data.items[index], tariff, label=label))


def _kg(row: dict, tariff: Tariff) -> Decimal | None:
    return goods.legal_quantity(tariff, goods.KG, row.get("first_qty"), row.get("second_qty"))


def legal_weights_within_net_weight(data: DeclarationData, tariffs: dict[int, Tariff], out: Findings) -> None:
    """The items' net weights (their 千克 legal quantities) add up to no more than the head 净重
    (填制规范 净重: "进出口货物的毛重减去外包装材料后的重量"; the items are part of it)."""
    net = data.head.get("net_wt")
    if net is None:
        return
    weights = [w for index, tariff in tariffs.items() if (w := _kg(data.items[index], tariff)) is not None]
    total = sum(weights, Decimal(0))
    if weights and total > net:
        out.rule("net_wt", f"以千克为法定单位的商品项净重合计{total.normalize():f}千克, "
                           f"超过表头净重{net.normalize():f}千克")


def first_quantity_matches_deal(data: DeclarationData, tariffs: dict[int, Tariff], out: Findings) -> None:
    for index, tariff in tariffs.items():
        row = data.items[index]
        qty = row.get("g_qty")
        if qty is not None and row.get("g_unit") and row.get("g_unit") == tariff.first_unit:
            first = row.get("first_qty")
            if first is not None and first != qty:
                out.warn(item_path(index, "first_qty"), f"{item_prefix(row, index)} 成交单位与法定第一单位相同, "
                                                        f"但成交数量{qty}与法定第一数量{first}不一致")


def countries_plausible(data: DeclarationData, out: Findings) -> None:
    ie = data.ie_flag
    for index, row in enumerate(data.items):
        prefix = item_prefix(row, index)
        destination, origin = row.get("destination_country"), row.get("origin_country")
        if ie == "I" and destination and destination != "CHN":
            out.warn(item_path(index, "destination_country"), f"{prefix} 进口货物最终目的国一般为中国(CHN)")
        if ie == "I" and origin == "CHN":
            out.warn(item_path(index, "origin_country"), f"{prefix} 原产国为中国的进口货物属复进口, 请确认")
        if ie == "E" and destination and destination != "CHN":
            out.warn(item_path(index, "destination_country"), f"{prefix} 出口货物原产国不是中国, 请确认")
        if ie == "E" and origin == "CHN":
            out.warn(item_path(index, "origin_country"), f"{prefix} 出口货物的最终目的国为中国, 请确认")


def one_trade_currency(data: DeclarationData, out: Findings) -> None:
    currencies = {row.get("trade_curr") for row in data.items if row.get("trade_curr")}
    if len(currencies) > 1:
        out.warn("items", f"商品项使用了多种成交币制: {'、'.join(sorted(currencies))}")


def duplicate_items(data: DeclarationData, out: Findings) -> None:
    seen: dict[tuple, int] = {}
    for index, row in enumerate(data.items):
        key = (row.get("code_ts"), row.get("g_name"), row.get("g_model"), row.get("origin_country"),
               row.get("g_unit"), row.get("decl_price"))
        if row.get("code_ts") and key in seen:
            out.warn(item_path(index, "code_ts"),
                     f"{item_prefix(row, index)} 与第{seen[key] + 1}项的商品编号、名称、规格、原产国和单价相同, 可合并")
        seen.setdefault(key, index)


def check_goods(data: DeclarationData, on_declare: bool, as_of: dt.date | None, out: Findings) -> dict[int, Tariff]:
    tariffs = tariff_lines(data, as_of, out)
    legal_units(data, tariffs, on_declare, out)
    declaration_elements(data, tariffs, on_declare, out)
    total_matches_price(data, out)
    legal_quantities_positive(data, tariffs, out)
    legal_weights_within_net_weight(data, tariffs, out)
    first_quantity_matches_deal(data, tariffs, out)
    countries_plausible(data, out)
    one_trade_currency(data, out)
    duplicate_items(data, out)
    return tariffs


def fill_legal_units(data: DeclarationData, as_of: dt.date | None = None) -> None:
    """Legal units come from the tariff: fill them where the input left them empty."""
    when = tariff_date(data, as_of)
    for row in data.items:
        tariff = params.tariff_item(row.get("code_ts"), when) if row.get("code_ts") else None
        if tariff is not None:
            goods.fill_legal_units(row, tariff)
