"""Building CEB export messages: every type validates against the official XSD, values are
written in the spec's formats, snapshots pin the XML."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from guanwu.messages import ceb
from guanwu.messages.ceb import build_ceb, validate_ceb

from . import factories as f

SNAPSHOTS = Path(__file__).with_name("snapshots")
NS = {"ceb": ceb.NAMESPACE}


def _snapshot(name: str, content: bytes) -> None:
    """Compare with tests/messages/ceb/snapshots/<name>; UPDATE_SNAPSHOTS=1 rewrites it."""
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS") == "1" or not path.exists():
        path.write_bytes(content)
    assert content.decode("utf-8") == path.read_text(encoding="utf-8"), f"snapshot {name} changed"


def _tree(xml: bytes) -> etree._Element:
    return etree.fromstring(xml)


def _text(root: etree._Element, path: str) -> str:
    return root.findtext(path, namespaces=NS)


# ------------------------------------------------------------------------------ every type validates

@pytest.mark.parametrize("message_type", sorted(f.MAKERS))
def test_every_message_type_built_from_realistic_data_validates(message_type):
    """Issue 16: every message the platform (or the simulator) writes validates against the official XSD."""
    message = f.realistic(message_type)
    xml = build_ceb(message)
    assert validate_ceb(xml) == []
    root = _tree(xml)
    assert etree.QName(root).localname == f"{message_type}Message"
    assert etree.QName(root).namespace == ceb.NAMESPACE
    assert root.get("version") == "1.0"  # spec: 报文版本号，默认为1.0
    assert root.get("guid") == message.guid


@pytest.mark.parametrize("message_type", sorted(f.MAKERS))
def test_typed_builders_build_their_type_only(message_type):
    builder = getattr(ceb, f"build_{message_type.lower()}")
    message = f.realistic(message_type)
    assert builder(message) == build_ceb(message)
    other = f.ceb304() if message_type != "CEB304" else f.ceb303()
    with pytest.raises(ceb.CebBuildError, match=f"应为{message_type}Message"):
        builder(other)


def test_9710_order_is_orderType_B():
    """202205 revision: orderType B = B2B 出口订单 (9710)."""
    root = _tree(build_ceb(f.ceb303()))
    assert _text(root, "ceb:Order/ceb:OrderHead/ceb:orderType") == "B"
    assert ceb.ORDER_TYPE_OF_TRADE_MODE["9710"] == "B"


def test_9810_booking_order_is_orderType_W_with_the_overseas_warehouse():
    """202205 revision (海关总署公告2021年第47号): W = 海外仓订仓单; orderNo is the 订仓单编号, ebpName the
    海外仓名称, ebpCode may be "无" for a foreign platform without a code. It validates."""
    xml = build_ceb(f.ceb303_9810())
    assert validate_ceb(xml) == []
    head = _tree(xml).find("ceb:Order/ceb:OrderHead", NS)
    assert _text(head, "ceb:orderType") == "W"
    assert _text(head, "ceb:orderNo") == "HWC-LA-20240506-0007"
    assert _text(head, "ceb:ebpCode") == "无"
    assert _text(head, "ceb:ebpName") == "美国洛杉矶演示海外仓"
    assert ceb.ORDER_TYPE_OF_TRADE_MODE["9810"] == "W"


@pytest.mark.parametrize("trade_mode", ["9710", "9810"])
def test_export_list_carries_the_trade_mode(trade_mode):
    """202205 revision: tradeMode "B2B出口填9710，出口海关仓填9810"."""
    xml = build_ceb(f.ceb603(trade_mode=trade_mode))
    assert validate_ceb(xml) == []
    assert _text(_tree(xml), "ceb:Inventory/ceb:InventoryHead/ceb:tradeMode") == trade_mode


def test_a_list_message_carries_up_to_100_lists_of_100_lines():
    """XSD: Inventory maxOccurs 100, InventoryList maxOccurs 100."""
    assert validate_ceb(build_ceb(f.ceb603(lists=100, lines=1))) == []
    assert validate_ceb(build_ceb(f.ceb603(lists=1, lines=100))) == []
    assert validate_ceb(build_ceb(f.ceb603(lists=101, lines=1))) == ["清单(Inventory)：共101条，超过上限，最多100条"]
    assert validate_ceb(build_ceb(f.ceb603(lists=1, lines=101))) == [
        "清单第1条 清单表体(InventoryList)：共101项，超过上限，最多100项"
    ]


# ------------------------------------------------------------------------------ formats

def test_official_element_order_and_base_transfer():
    """The builder writes the elements in the XSD order (OrderHead: guid, appType, appTime, appStatus,
    orderType, orderNo, ...), then BaseTransfer (copCode, copName, dxpMode DXP, dxpId)."""
    root = _tree(build_ceb(f.ceb303()))
    head = root.find("ceb:Order/ceb:OrderHead", NS)
    assert [etree.QName(c).localname for c in head] == [
        "guid", "appType", "appTime", "appStatus", "orderType", "orderNo", "ebpCode", "ebpName", "ebcCode",
        "ebcName", "goodsValue", "freight", "currency", "note",
    ]
    assert [etree.QName(c).localname for c in root] == ["Order", "BaseTransfer"]
    transfer = root.find("ceb:BaseTransfer", NS)
    assert [(etree.QName(c).localname, c.text) for c in transfer] == [
        ("copCode", "6101930001"), ("copName", "演示进出口有限公司"), ("dxpMode", "DXP"), ("dxpId", "DXPENT0000461530"),
    ]


def test_guids_are_36_capitals_and_app_defaults_declare_a_new_document():
    """Spec: guid "36位唯一序号（英文字母大写）"; appType 1 新增, appStatus 2 申报."""
    head = ceb.OrderHead()
    assert len(head.guid) == 36 and head.guid == head.guid.upper()
    assert ceb.OrderHead().guid != head.guid
    assert (head.app_type, head.app_status) == ("1", "2")
    message = ceb.CEB303Message(order=[], base_transfer=ceb.BaseTransfer())
    assert len(message.guid) == 36 and message.guid == message.guid.upper()
    assert message.base_transfer.dxp_mode == "DXP"


@pytest.mark.parametrize(("value", "text"), [
    (Decimal("12.50000"), "12.5"), (Decimal("1E+2"), "100"), (Decimal("0.00001"), "0.00001"),
    (Decimal("12345678912345.12345"), "12345678912345.12345"), (Decimal("0E-5"), "0"), (Decimal("7"), "7"),
])
def test_decimals_are_written_in_plain_notation(value, text):
    """N19,5 values: plain notation, no exponent, no trailing zeros (XSD xs:decimal rejects 1E+2)."""
    message = f.ceb603()
    message.inventory[0].inventory_list[0].price = value
    xml = build_ceb(message)
    assert _text(_tree(xml), "ceb:Inventory/ceb:InventoryList/ceb:price") == text
    assert validate_ceb(xml) == []


def test_dates_and_times_are_written_in_the_spec_formats_in_china_time():
    """appTime YYYYMMDDhhmmss, ieDate YYYYMMDD, returnTime yyyyMMddHHmmssfff; an aware time in another
    zone is written as China time (the messages carry no zone)."""
    message = f.ceb603()
    head = message.inventory[0].inventory_head
    head.app_time = dt.datetime(2024, 5, 6, 1, 30, 15, 999999, tzinfo=dt.UTC)
    head.ie_date = dt.date(2024, 5, 7)
    root = _tree(build_ceb(message))
    assert _text(root, "ceb:Inventory/ceb:InventoryHead/ceb:appTime") == "20240506093015"
    assert _text(root, "ceb:Inventory/ceb:InventoryHead/ceb:ieDate") == "20240507"
    receipt = f.ceb604()
    receipt.inventory_return[0].return_time = dt.datetime(2024, 5, 6, 9, 31, 2, 345678,
                                                          tzinfo=ZoneInfo("Asia/Shanghai"))
    assert _text(_tree(build_ceb(receipt)), "ceb:InventoryReturn/ceb:returnTime") == "20240506093102345"
    naive = f.ceb604()
    naive.inventory_return[0].return_time = dt.datetime(2024, 5, 6, 9, 31, 2)
    assert _text(_tree(build_ceb(naive)), "ceb:InventoryReturn/ceb:returnTime") == "20240506093102000"


def test_optional_empty_elements_are_left_out_and_required_ones_written_empty():
    """minOccurs 0 and empty: not written (preNo, invtNo, iacCode...); a required one is written empty,
    so the XSD names what is missing instead of the builder guessing."""
    message = f.ceb603()
    message.inventory[0].inventory_head.traf_name = ""
    message.inventory[0].inventory_head.agent_name = ""
    head = _tree(build_ceb(message)).find("ceb:Inventory/ceb:InventoryHead", NS)
    names = [etree.QName(c).localname for c in head]
    assert "preNo" not in names and "invtNo" not in names and "iacCode" not in names and "trafName" not in names
    assert head.find("ceb:agentName", NS).text is None


def test_text_is_escaped_and_comes_back_unchanged():
    message = f.ceb303()
    message.order[0].order_list[0].item_name = "A&B <牌> \"引号\" 'x' \r\n换行"
    xml = build_ceb(message)
    assert validate_ceb(xml) == []
    assert ceb.parse_ceb303(xml).order[0].order_list[0].item_name == "A&B <牌> \"引号\" 'x' \r\n换行"


def test_control_characters_are_refused_with_the_element_named():
    message = f.ceb603()
    message.inventory[0].inventory_list[1].g_name = "台灯\x00"
    with pytest.raises(ceb.CebBuildError, match=r"清单第1条 清单表体第2项 商品名称\(gname\)：含有XML不允许的控制字符"):
        build_ceb(message)


def test_a_value_of_the_wrong_type_is_refused_with_the_element_named():
    message = f.ceb603()
    message.inventory[0].inventory_list[0].qty = "十"
    with pytest.raises(ceb.CebBuildError, match=r"清单第1条 清单表体第1项 申报数量\(qty\)：“十”不是有效的值"):
        build_ceb(message)
    message = f.ceb603()
    message.inventory[0].inventory_head = f.order_9710().order_head
    with pytest.raises(ceb.CebBuildError, match="清单第1条 清单表头：应为InventoryHead，收到OrderHead"):
        build_ceb(message)
    with pytest.raises(ceb.CebBuildError, match="不是CEB报文数据"):
        build_ceb(f.order_9710())


def test_a_received_signature_is_written_back_verbatim_where_the_xsd_puts_it():
    """ds:Signature sits after BaseTransfer/BaseSubscribe; the platform never signs itself."""
    sample = (Path(__file__).with_name("samples") / "export" / "CEB215Message.xml").read_bytes()
    message = ceb.parse_ceb215(sample)
    message.signature = (
        '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
        '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>'
        '<ds:SignatureMethod Algorithm="http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3"/>'
        '<ds:Reference URI=""><ds:DigestMethod Algorithm="http://www.chinaport.gov.cn/2022/04/xmldsig#sm3"/>'
        "<ds:DigestValue>SF/P+2sVsRQ9dJIqJSroW6ajb0Y=</ds:DigestValue></ds:Reference></ds:SignedInfo>"
        "<ds:SignatureValue>AI0wdcUH</ds:SignatureValue></ds:Signature>"
    )
    message.base_subscribe = [ceb.BaseSubscribe(status="RET", dxp_address="DXPENT0000000002")]
    xml = build_ceb(message)
    assert validate_ceb(xml) == []
    assert [etree.QName(c).localname for c in _tree(xml)][-3:] == ["BaseTransfer", "BaseSubscribe", "Signature"]


# ------------------------------------------------------------------------------ snapshots

@pytest.mark.parametrize(("name", "make"), [
    ("ceb303_9710_order.xml", f.ceb303),
    ("ceb303_9810_booking_order.xml", f.ceb303_9810),
    ("ceb304_order_receipt.xml", f.ceb304),
    ("ceb505_waybill.xml", f.ceb505),
    ("ceb507_arrival.xml", f.ceb507),
    ("ceb509_departure.xml", f.ceb509),
    ("ceb603_9710_list.xml", f.ceb603),
    ("ceb604_list_receipt.xml", f.ceb604),
    ("ceb701_summary.xml", f.ceb701),
    ("ceb792_summary_result.xml", f.ceb792),
])
def test_snapshot(name, make):
    f.reset_guids()
    xml = build_ceb(make())
    assert validate_ceb(xml) == []
    _snapshot(name, xml)


def test_compact_output_is_the_same_document():
    f.reset_guids()
    message = f.ceb603()
    pretty, compact = build_ceb(message), build_ceb(message, pretty=False)
    assert len(compact) < len(pretty)
    assert etree.tostring(etree.fromstring(compact, etree.XMLParser(remove_blank_text=True)), method="c14n") == \
        etree.tostring(etree.fromstring(pretty, etree.XMLParser(remove_blank_text=True)), method="c14n")
