"""returnStatus in Chinese: the shipped receipt codes (XSD documentation, spec tables and table 7-2)."""

from __future__ import annotations

import pytest

from guanwu.messages import ceb


@pytest.mark.parametrize(("code", "text"), [
    ("1", "电子口岸已暂存"), ("2", "电子口岸申报中"), ("3", "发送海关成功"), ("4", "发送海关失败"),
    ("100", "海关退单"), ("120", "海关入库"), ("300", "人工审核"), ("399", "海关审结"),
    ("500", "查验"), ("800", "放行"), ("899", "结关"), (" 800 ", "放行"),
])
def test_return_status_texts_from_the_official_xsd_documentation(code, text):
    """XSD returnStatus documentation: "1电子口岸已暂存/2电子口岸申报中/3发送海关成功/4发送海关失败/
    100海关退单/120海关入库/300人工审核/399海关审结/800放行/899结关"; spec table 2-42 "500海关查验"."""
    assert ceb.return_status_text(code) == text


def test_negative_codes_are_processing_errors_with_the_spec_table_text():
    """"若小于0数字表示处理异常回执"; spec §7 table 7-2 for the export order/waybill codes."""
    assert ceb.return_status_text("-301010") == "处理异常：已存在相同编号的订单"
    assert ceb.return_status_text("-504012") == "处理异常：物流运单已存在"
    assert ceb.return_status_text("-10102") == "处理异常：无效企业代码"
    assert ceb.return_status_text("-999999") == "处理异常(-999999)"
    assert ceb.is_error_status("-1") and not ceb.is_error_status("100") and not ceb.is_error_status("-")


def test_unknown_codes_say_so():
    assert ceb.return_status_text("42") == "未知回执状态(42)"
    assert ceb.return_status_text("") == "未知回执状态()"


def test_outcomes_of_the_receipt_codes():
    assert [ceb.return_outcome(c) for c in ("2", "4", "100", "120", "399", "500", "800", "899", "-301003", "7")] == [
        "sent", "failed", "rejected", "accepted", "accepted", "held", "released", "closed", "failed", None,
    ]
    assert set(ceb.RETURN_OUTCOME) == set(ceb.RETURN_STATUS)


def test_code_sets_of_the_202205_revision():
    assert ceb.ORDER_TYPES == {"E": "B2C出口订单", "B": "B2B出口订单", "W": "海外仓订仓单"}
    assert set(ceb.TRADE_MODES) == {"9610", "1210", "9710", "9810"}
    assert ceb.ORDER_TYPE_OF_TRADE_MODE == {"9610": "E", "9710": "B", "9810": "W"}


def test_list_error_codes_of_table_7_2_have_their_text():
    """Spec 202205 §7 table 7-2, 清单操作错误: -621001 and -621004 (the simulator's list answers)."""
    assert ceb.return_status_text("-621001") == "处理异常：清单报文校验失败"
    assert ceb.return_status_text("-621004") == "处理异常：清单已经申报过，请勿重复申报"
