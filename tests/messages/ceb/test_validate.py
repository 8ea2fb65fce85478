"""validate_ceb: a deliberately broken message fails the official XSD with Chinese errors that
say where and which element; nothing is fetched from the network or /work/shared."""

from __future__ import annotations

from decimal import Decimal

import pytest

from guanwu.messages.ceb import build_ceb, validate_ceb

from . import factories as f


def _errors(message) -> list[str]:
    return validate_ceb(build_ceb(message))


def test_wrong_lengths_and_missing_values_are_named_per_element():
    message = f.ceb603(lists=2)
    message.inventory[0].inventory_head.customs_code = ""
    message.inventory[0].inventory_head.order_no = "X" * 61
    message.inventory[0].inventory_head.ie_date = None
    message.inventory[0].inventory_list[0].price = Decimal("1.123456")
    message.inventory[1].inventory_list[1].g_code = "94052"
    assert _errors(message) == [
        "清单第1条 清单表头 申报地海关代码(customsCode)：不能为空，长度应为4",
        "清单第1条 清单表头 订单编号(orderNo)：长度为61，超过最大长度60",
        "清单第1条 清单表头 出口日期(ieDate)：不能为空，长度应为8",
        "清单第1条 清单表体第1项 单价(price)：“1.123456”的小数位超过5位",
        "清单第2条 清单表体第2项 商品编码(gcode)：长度为5，应为10",
    ]


def test_too_many_digits_and_too_long_text():
    message = f.ceb303()
    message.order[0].order_head.goods_value = Decimal("123456789012345.12345")  # 20 digits > totalDigits 19
    message.order[0].order_list[2].item_no = "Y" * 31
    assert _errors(message) == [
        "订单第1条 订单表头 商品金额(goodsValue)：“123456789012345.12345”的数字位数超过19位",
        "订单第1条 订单表体第3项 企业商品货号(itemNo)：长度为31，超过最大长度30",
    ]


def test_missing_blocks_and_elements_are_named():
    message = f.ceb303()
    message.order[0].order_list = []
    assert _errors(message) == ["订单第1条：缺少必填项：订单表体(OrderList)"]
    message = f.ceb303()
    message.order = []
    assert _errors(message) == ["基础报文传输实体(BaseTransfer)：不应出现在此处，此处应为：订单(Order)"]
    xml = build_ceb(f.ceb303()).replace(b"<ceb:ebpCode>6101930001</ceb:ebpCode>", b"")
    assert validate_ceb(xml) == [
        "订单第1条 订单表头 电商平台/海外仓名称(ebpName)：不应出现在此处，此处应为：电商平台代码(ebpCode)"
    ]
    xml = build_ceb(f.ceb604()).replace(b"<ceb:returnInfo>\xe6\x94\xbe\xe8\xa1\x8c</ceb:returnInfo>", b"")
    assert validate_ceb(xml) == ["清单回执第1条：缺少必填项：回执信息(returnInfo)"]


def test_elements_out_of_order_are_refused():
    """The official order is part of the XSD (xs:sequence)."""
    xml = build_ceb(f.ceb701())
    xml = xml.replace(b"<ceb:summaryFlag>1</ceb:summaryFlag>\n      <ceb:itemNameFlag>1</ceb:itemNameFlag>",
                      b"<ceb:itemNameFlag>1</ceb:itemNameFlag>\n      <ceb:summaryFlag>1</ceb:summaryFlag>")
    errors = validate_ceb(xml)
    assert errors
    assert errors[0].startswith("汇总申请单第1条 汇总申请单表头 按商品名汇总标志(itemNameFlag)：不应出现在此处")


def test_root_attributes_are_required():
    xml = build_ceb(f.ceb304())
    assert validate_ceb(xml.replace(b'" version="1.0"', b'"')) == ["根元素CEB304Message：缺少属性version(版本号)"]
    assert validate_ceb(xml.replace(b' guid="', b' id="')) == [
        "根元素CEB304Message：不允许有属性id", "根元素CEB304Message：缺少属性guid(报文编号)",
    ]


def test_a_negative_or_non_numeric_integer_is_refused():
    xml = build_ceb(f.ceb507()).replace(b"<ceb:msgCount>1</ceb:msgCount>", b"<ceb:msgCount>one</ceb:msgCount>")
    assert validate_ceb(xml) == ["运抵单第1条 运抵单表头 报文总数(msgCount)：“one”不是有效值，应为整数"]


@pytest.mark.parametrize(("xml", "error"), [
    (b"<ceb:CEB303Message", "报文不是格式正确的XML"),
    (b"", "报文不是格式正确的XML"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>', "报文不允许包含DTD(DOCTYPE)声明"),
    (b"<CEB303Message/>", "根元素CEB303Message的命名空间应为http://www.chinaport.gov.cn/ceb"),
    (b'<DecMessage xmlns="http://www.chinaport.gov.cn/dec"/>', "根元素DecMessage的命名空间应为"),
    (b'<CEB311Message xmlns="http://www.chinaport.gov.cn/ceb"/>', "CEB311Message是进口业务报文，不是出口业务报文"),
    (b'<Order xmlns="http://www.chinaport.gov.cn/ceb"/>', "根元素应为出口业务报文"),
])
def test_what_is_not_an_export_ceb_message_gets_one_clear_error(xml, error):
    errors = validate_ceb(xml)
    assert len(errors) == 1 and errors[0].startswith(error)


def test_a_document_in_the_default_namespace_is_validated_the_same():
    """Files from elsewhere may use xmlns="..." instead of the ceb prefix."""
    xml = build_ceb(f.ceb303()).replace(b"ceb:", b"").replace(b"xmlns:ceb=", b"xmlns=")
    assert validate_ceb(xml) == []
    assert validate_ceb(xml.replace(b"<orderNo>YS", b"<orderNo>" + b"Y" * 60)) == [
        "订单第1条 订单表头 订单编号(orderNo)：长度为72，超过最大长度60"
    ]


def test_validation_needs_no_network(monkeypatch):
    """The schema and its xmldsig import load from the package folder."""
    import socket

    from guanwu.messages.ceb import schema

    def no_network(*args, **kwargs):
        raise AssertionError("network access")

    schema.schema.cache_clear()
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    try:
        assert validate_ceb(build_ceb(f.ceb303())) == []
    finally:
        schema.schema.cache_clear()
