"""Parsing what comes from elsewhere: a broken, hostile or wrong file raises CebParseError with a
Chinese message, never another exception, and a good one reads whatever its encoding."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guanwu.messages import ceb
from guanwu.messages.ceb import CebParseError, build_ceb, parse_ceb, parse_ceb304, read_ceb
from guanwu.messages.ceb.fields import CHINA
from guanwu.messages.ceb.parser import MAX_MESSAGE_BYTES

from . import factories as f

NS = 'xmlns:ceb="http://www.chinaport.gov.cn/ceb"'


@pytest.mark.parametrize(("data", "error"), [
    (b"", "报文为空"),
    (b"   \n", "报文为空"),
    ("<a/>", "报文内容应为字节串"),
    (None, "报文内容应为字节串"),
    (b"<ceb:CEB304Message", "报文不是格式正确的XML"),
    (b"\xff\xfe\x00garbage", "报文不是格式正确的XML"),
    (b"not xml at all", "报文不是格式正确的XML"),
    (b"<CEB304Message/>", "不是跨境电商报文：根元素CEB304Message的命名空间为“无”"),
    (b'<DecMessage xmlns="http://www.chinaport.gov.cn/dec"/>', "不是跨境电商报文"),
    (b'<Foo xmlns="http://www.chinaport.gov.cn/ceb"/>', "不认识的跨境电商报文：根元素为Foo"),
])
def test_what_is_not_a_ceb_message_is_refused_in_chinese(data, error):
    for parse in (parse_ceb, parse_ceb304, read_ceb):
        with pytest.raises(CebParseError, match=error):
            parse(data)


@pytest.mark.parametrize(("data", "error"), [
    (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
     b'<ceb:CEB304Message ' + NS.encode() + b'>&lol2;</ceb:CEB304Message>', "不允许包含DTD"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
     b'<ceb:CEB304Message ' + NS.encode() + b'>&e;</ceb:CEB304Message>', "不允许包含DTD"),
])
def test_hostile_xml_is_refused(data, error):
    """defusedxml: no DTD, no entity expansion, no external reference."""
    with pytest.raises(CebParseError, match=error):
        parse_ceb(data)


def test_an_oversized_file_is_refused_before_parsing():
    with pytest.raises(CebParseError, match="报文过大"):
        parse_ceb(b"<" + b" " * MAX_MESSAGE_BYTES)


def test_the_wrong_message_type_is_refused_by_a_typed_parser():
    xml = build_ceb(f.ceb604())
    with pytest.raises(CebParseError, match=r"不是电子订单回执报文\(CEB304Message\)：根元素为CEB604Message"):
        parse_ceb304(xml)
    assert isinstance(parse_ceb(xml), ceb.CEB604Message)


@pytest.mark.parametrize(("old", "new", "error"), [
    (b"<ceb:returnTime>20240506093102345</ceb:returnTime>", b"<ceb:returnTime>2024-13-45</ceb:returnTime>",
     "订单回执第1条 回执时间(returnTime)：“2024-13-45”不是17位数字的时间"),
    (b"<ceb:returnTime>20240506093102345</ceb:returnTime>", b"<ceb:returnTime>20241306093102345</ceb:returnTime>",
     "订单回执第1条 回执时间(returnTime)：“20241306093102345”不是有效的时间"),
    (b"<ceb:returnTime>20240506093102345</ceb:returnTime>", b"<ceb:returnTime>2024050609</ceb:returnTime>",
     "订单回执第1条 回执时间(returnTime)：“2024050609”不是17位数字的时间"),
])
def test_a_value_that_does_not_read_is_refused_with_the_element_named(old, new, error):
    xml = build_ceb(f.ceb304()).replace(old, new)
    with pytest.raises(CebParseError, match=re.escape(error)):
        parse_ceb304(xml)


def test_bad_numbers_and_dates_in_a_list_are_named():
    xml = build_ceb(f.ceb603())
    with pytest.raises(CebParseError, match=r"清单第1条 清单表体第2项 申报数量\(qty\)：“3OO”不是数字"):
        parse_ceb(xml.replace(b"<ceb:qty>300</ceb:qty>", b"<ceb:qty>3OO</ceb:qty>"))
    with pytest.raises(CebParseError, match=r"清单第1条 清单表头 件数\(packNo\)：“6.5”不是整数"):
        parse_ceb(xml.replace(b"<ceb:packNo>6</ceb:packNo>", b"<ceb:packNo>6.5</ceb:packNo>"))
    with pytest.raises(CebParseError, match=r"清单第1条 清单表头 出口日期\(ieDate\)：“20240230”不是有效的日期"):
        parse_ceb(xml.replace(b"<ceb:ieDate>20240507</ceb:ieDate>", b"<ceb:ieDate>20240230</ceb:ieDate>"))
    with pytest.raises(CebParseError, match="不是数字"):
        parse_ceb(xml.replace(b"<ceb:qty>300</ceb:qty>", b"<ceb:qty>NaN</ceb:qty>"))


def test_a_missing_block_is_refused():
    xml = build_ceb(f.ceb603())
    start, end = xml.index(b"<ceb:InventoryHead>"), xml.index(b"</ceb:InventoryHead>") + len(b"</ceb:InventoryHead>")
    with pytest.raises(CebParseError, match=r"清单第1条 缺少清单表头\(InventoryHead\)"):
        parse_ceb(xml[:start] + xml[end:])
    receipt = f"<ceb:CEB304Message {NS} guid=\"x\" version=\"1.0\"></ceb:CEB304Message>".encode()
    with pytest.raises(CebParseError, match=r"缺少订单回执\(OrderReturn\)"):
        parse_ceb304(receipt)
    bare = f"<ceb:CEB303Message {NS}><ceb:Order/></ceb:CEB303Message>".encode()
    with pytest.raises(CebParseError, match=r"订单第1条 缺少订单表头\(OrderHead\)"):
        parse_ceb(bare)


def test_empty_and_missing_values_read_as_empty():
    """Lenient on content: a missing optional value is "" or None (validate_ceb judges completeness)."""
    xml = (f'<ceb:CEB304Message {NS} guid="G" version="1.0"><ceb:OrderReturn><ceb:orderNo> A1 </ceb:orderNo>'
           "<ceb:returnStatus>-301010</ceb:returnStatus><ceb:returnTime/></ceb:OrderReturn></ceb:CEB304Message>")
    receipt = parse_ceb304(xml.encode()).order_return[0]
    assert (receipt.order_no, receipt.return_status, receipt.return_time, receipt.ebp_code) == ("A1", "-301010",
                                                                                                None, "")
    assert ceb.return_status_text(receipt.return_status) == "处理异常：已存在相同编号的订单"


def test_gb_encoded_and_bom_files_are_read():
    """Receipts from Windows clients come as GB18030/GBK or with a UTF-8 BOM."""
    xml = build_ceb(f.ceb304(status="100", info="退单：订单编号重复"))
    gbk = xml.decode().replace('encoding="UTF-8"', 'encoding="GBK"').encode("gbk")
    assert parse_ceb304(gbk).order_return[0].return_info == "退单：订单编号重复"
    assert parse_ceb304(b"\xef\xbb\xbf" + xml).order_return[0].return_info == "退单：订单编号重复"
    with pytest.raises(CebParseError, match="声明为GB编码，但内容不是有效的GB编码"):
        parse_ceb304(gbk.replace("退单".encode("gbk"), b"\x81\x20"))


def test_times_in_other_precisions_are_read_as_china_time():
    """A receipt with a 14-digit or ISO returnTime still reads (only the spec's precision is written)."""
    xml = build_ceb(f.ceb304())
    for text, expected in [
        (b"20240506093102", dt.datetime(2024, 5, 6, 9, 31, 2, tzinfo=CHINA)),
        (b"2024-05-06 09:31:02", dt.datetime(2024, 5, 6, 9, 31, 2, tzinfo=CHINA)),
        (b"2024-05-06T01:31:02+00:00", dt.datetime(2024, 5, 6, 9, 31, 2, tzinfo=CHINA)),
    ]:
        read = parse_ceb304(xml.replace(b"20240506093102345", text)).order_return[0].return_time
        assert read == expected and read.utcoffset() == dt.timedelta(hours=8)


def test_decimals_keep_their_value():
    xml = build_ceb(f.ceb603())
    head = parse_ceb(xml.replace(b"<ceb:netWeight>80.125</ceb:netWeight>",
                                 b"<ceb:netWeight>0080.12500</ceb:netWeight>")).inventory[0].inventory_head
    assert head.net_weight == Decimal("80.125")


@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_raise_anything_but_a_parse_error(data):
    for parse in (parse_ceb, read_ceb):
        with contextlib.suppress(CebParseError):
            parse(data)


@given(st.integers(min_value=0, max_value=2000), st.binary(min_size=1, max_size=20))
def test_corrupted_messages_never_raise_anything_but_a_parse_error(position, junk):
    xml = build_ceb(f.ceb603())
    position %= len(xml)
    broken = xml[:position] + junk + xml[position + len(junk):]
    with contextlib.suppress(CebParseError):
        parse_ceb(broken)


def test_a_block_or_value_given_twice_reads_the_first():
    """Eight official samples repeat BaseTransfer; the first one counts, for blocks and values."""
    xml = build_ceb(f.ceb303())
    second = (b"<ceb:BaseTransfer><ceb:copCode>9999999999</ceb:copCode><ceb:copName>other</ceb:copName>"
              b"<ceb:dxpMode>DXP</ceb:dxpMode><ceb:dxpId>DXPOTHER</ceb:dxpId></ceb:BaseTransfer>")
    xml = xml.replace(b"</ceb:CEB303Message>", second + b"</ceb:CEB303Message>")
    xml = xml.replace(b"<ceb:orderNo>YS20240506", b"<ceb:orderNo>SECOND</ceb:orderNo><ceb:orderNo>YS20240506", 1)
    message = parse_ceb(xml)
    assert message.base_transfer.cop_code == "6101930001"
    assert message.order[0].order_head.order_no == "SECOND"


def test_an_unexpected_failure_inside_the_parser_is_still_a_parse_error(monkeypatch):
    """Contract: CebParseError or a result, whatever goes wrong inside."""
    from guanwu.messages.ceb import parser

    def boom(kind, text):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(parser, "parse_value", boom)
    with pytest.raises(CebParseError, match="报文无法解析：RuntimeError"):
        parse_ceb304(build_ceb(f.ceb304()))
    with pytest.raises(CebParseError, match="报文无法解析：RuntimeError"):
        parse_ceb(build_ceb(f.ceb304()))
