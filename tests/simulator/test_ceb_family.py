"""The customs side of the 跨境电商 family (issue 16, point 5), each path through
``engine.run_once`` with real CEB files in a tmp exchange folder: CEB303 -> CEB304, CEB603 ->
CEB604 up to 放行/结关 with the logistics side played (CEB505/507/509 -> CEB506/508/510),
CEB701 -> CEB702 + CEB792, and the rejections with the spec's returnStatus codes (spec 202205
tables 2-7/2-42/2-77 for the progress codes, §7 table 7-2 for the negative ones). Every receipt
written validates against the official XSD and parses with ``messages.ceb``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from lxml import etree

from guanwu.gateway import folders
from guanwu.messages.ceb import (
    NAMESPACE,
    CEB304Message,
    CEB506Message,
    CEB508Message,
    CEB510Message,
    CEB604Message,
    CEB702Message,
    CEB792Message,
    Message,
    build_ceb,
    parse_ceb,
    validate_ceb,
)
from guanwu.messages.ceb.structure import RECEIPT_OF
from guanwu.simulator import cebrules, engine
from guanwu.simulator.models import CebKind, CebState, SimCebDocument
from tests.messages.ceb import factories as f

pytestmark = pytest.mark.django_db

ORDER_NO = "YS202405060001"
TARIFF_2020 = {"9405209000": "9405200090"}


def drop(message: Message | bytes, name: str) -> Path:
    data = message if isinstance(message, bytes) else build_ceb(message)
    return folders.atomic_write(folders.folder(folders.OUTBOX), name, data)


def receipts() -> list[Message]:
    """Every receipt in inbox/, each checked against the official XSD, parsed, in file order."""
    out = []
    for path in folders.ready_files(folders.INBOX):
        data = path.read_bytes()
        assert validate_ceb(data) == [], path.name
        out.append(parse_ceb(data))
    return out


def rows(kind: type[Message]) -> list:
    """The return rows of every receipt of ``kind`` (OrderReturn, InventoryReturn, ...)."""
    found = []
    for message in receipts():
        if isinstance(message, kind):
            name = next(n for n in vars(message) if n.endswith("_return") or n == "summary_result")
            found.extend(getattr(message, name))
    return found


def statuses(kind: type[Message]) -> list[str]:
    return [r.return_status for r in rows(kind)]


def order_message(order_no: str = ORDER_NO, *, order_type: str = "B", note: str | None = None, app_type: str = "1"):
    message = f.ceb303()
    head = message.order[0].order_head
    head.order_no, head.order_type, head.app_type = order_no, order_type, app_type
    if note is not None:
        head.note = note
    return message


def list_message(order_no: str = ORDER_NO, *, trade_mode: str = "9710", cop_no: str | None = None, **head_values):
    message = f.ceb603(trade_mode=trade_mode)
    for line in message.inventory[0].inventory_list:  # the factories' LED lamp code is of the 2022 HS:
        line.g_code = TARIFF_2020.get(line.g_code, line.g_code)  # the shipped tariff is of 2020
    head = message.inventory[0].inventory_head
    head.order_no, head.cop_no = order_no, cop_no or f"INV{order_no}"
    for name, value in head_values.items():
        setattr(head, name, value)
    return message


def play_order(order_no: str = ORDER_NO, **kwargs) -> None:
    drop(order_message(order_no, **kwargs), f"CEB303_{order_no}.xml")
    engine.run_until_idle()


# ------------------------------------------------------------------------------------ orders


def test_order_is_declared_then_stored():
    """CEB303 -> CEB304 2 电子口岸申报中, then 120 海关入库 (spec table 2-7)."""
    play_order()
    (first, second) = rows(CEB304Message)
    assert (first.order_no, first.return_status, second.return_status) == (ORDER_NO, "2", "120")
    assert first.ebp_code == f.PLATFORM[0] and first.ebc_code == f.ENTERPRISE[0]
    doc = SimCebDocument.objects.get(kind=CebKind.ORDER)
    assert (doc.sender, doc.key, doc.state) == (f.ENTERPRISE[0], f"{f.PLATFORM[0]}|{ORDER_NO}", CebState.STORED)
    assert not list(folders.folder(folders.OUTBOX).iterdir())


def test_order_receipts_wait_for_the_delay(settings):
    settings.GUANWU_SIMULATOR_DELAY_SECONDS = 60
    now = dt.datetime(2024, 5, 6, 10, 0, tzinfo=dt.UTC)
    drop(order_message(), "CEB303_1.xml")
    engine.run_once(now)
    engine.run_once(now + dt.timedelta(seconds=30))
    assert statuses(CEB304Message) == ["2"]
    engine.run_once(now + dt.timedelta(seconds=61))
    assert statuses(CEB304Message) == ["2", "120"]


def test_draft_order_is_only_stored_at_the_e_port():
    """appStatus 1 暂存 -> 1 电子口岸已暂存 and nothing more."""
    message = order_message()
    message.order[0].order_head.app_status = "1"
    drop(message, "CEB303_1.xml")
    engine.run_until_idle()
    assert statuses(CEB304Message) == ["1"]


def test_same_order_twice_is_refused_with_301010():
    """Spec table 7-2: -301010 已存在相同编号的订单."""
    play_order()
    play_order()
    got = rows(CEB304Message)
    assert [r.return_status for r in got] == ["2", "120", "-301010"]
    assert "已存在相同编号的订单" in got[-1].return_info


def test_change_of_an_unknown_order_is_refused_with_301009():
    play_order(app_type="2")
    (row,) = rows(CEB304Message)
    assert row.return_status == "-301009" and "未找到操作的订单" in row.return_info


def test_change_of_an_order_with_a_list_is_refused_with_301011():
    play_order()
    drop(list_message(), "CEB603_1.xml")
    engine.run_until_idle()
    play_order(app_type="2")
    assert statuses(CEB304Message)[-1] == "-301011"


def test_order_with_a_batch_no_in_the_wrong_format_is_refused_with_301008():
    """商品批次号 = 物流简码 + 日期 + 企业简码 + 两位流水号 (seed 003, 9710 出口订单管理 step 4)."""
    play_order(note="批次SD20241306YS01")  # month 13
    (row,) = rows(CEB304Message)
    assert row.return_status == "-301008"
    assert "商品批次号SD20241306YS01的日期20241306不是有效日期" in row.return_info
    assert not SimCebDocument.objects.filter(kind=CebKind.ORDER).exists()


@pytest.mark.parametrize(("batch", "part"), [
    ("SD20240506YS01", ""),
    ("20240506YS01", "物流简码缺失"),
    ("SD2024056YS01", "日期"),
    ("SD20240506YS1", "流水号有误"),
    ("SD2024050601", "企业简码缺失"),
    ("SD20240506YSAB", "流水号有误"),
    ("SD20240506-YS01", "只能由字母和数字组成"),
    # the 日期 is 8 digits YYYYMMDD: 7 digits that would parse as a date (2024-05-1) are refused
    ("SD2024051", "日期有误"),
    # 字母和数字 are ASCII: Chinese characters or full-width digits (str.isalnum() accepts them) are not
    ("SD20240506测试01", "只能由字母和数字组成"),
    ("SD２０２４０５０６YS01", "只能由字母和数字组成"),
])
def test_batch_no_rule_says_which_part_is_wrong(batch, part):
    """商品批次号 = 物流简码 + 日期(YYYYMMDD) + 企业简码 + 两位流水号, letters and digits only (seed 003,
    9710 出口订单管理 step 4; simulator/cebrules.py ``batch_no_problem``)."""
    problem = cebrules.batch_no_problem(batch)
    assert (part in problem) if part else problem == ""


def test_order_failing_the_xsd_gets_301008_with_the_xsd_error_in_chinese():
    data = build_ceb(order_message())
    root = etree.fromstring(data)
    node = root.find(f".//{{{NAMESPACE}}}orderType")
    node.text = "BB"  # orderType C1
    drop(etree.tostring(root, xml_declaration=True, encoding="UTF-8"), "CEB303_bad.xml")
    engine.run_until_idle()
    (row,) = rows(CEB304Message)
    assert row.return_status == "-301008" and row.order_no == ORDER_NO
    assert row.return_info.startswith("报文校验未通过：订单第1条 订单表头 订单类型(orderType)")
    assert not SimCebDocument.objects.exists()
    assert len(list(folders.folder(folders.SENT).iterdir())) == 1


# ------------------------------------------------------------------------------------- lists


def test_list_goes_to_release_and_closing_with_the_logistics_played():
    """CEB604: 2 申报中, 120 入库 (invtNo), 399 审结 (order and waybill in), 800 放行 once the
    运抵单 is in, 899 结关 once the 离境单 is; the simulator plays the waybill CEB505, the arrival
    CEB507 and the departure CEB509 and answers them (CEB506 120, CEB508 399, CEB510 399)."""
    play_order()
    drop(list_message(), "CEB603_1.xml")
    engine.run_until_idle()
    got = rows(CEB604Message)
    assert [r.return_status for r in got] == ["2", "120", "399", "800", "899"]
    assert got[0].pre_no.startswith("B") and len(got[0].pre_no) == 18 and not got[0].invt_no
    invt_no = got[1].invt_no
    assert len(invt_no) == 18 and invt_no.startswith(f"{f.CUSTOMS}20") and invt_no[8] == "E"
    assert {r.invt_no for r in got[1:]} == {invt_no} and {r.order_no for r in got} == {ORDER_NO}
    assert [r.return_status for r in rows(CEB506Message)] == ["120"]
    (arrival,) = rows(CEB508Message)
    (departure,) = rows(CEB510Message)
    assert (arrival.cop_no, arrival.return_status) == (f"ARR{invt_no}", "399")
    assert (departure.cop_no, departure.return_status) == (f"DEP{invt_no}", "399")
    # the played messages themselves are real, XSD-valid CEB505/507/509
    for kind in (CebKind.WAYBILL, CebKind.ARRIVAL, CebKind.DEPARTURE):
        doc = SimCebDocument.objects.get(kind=kind)
        assert doc.generated and validate_ceb(bytes(doc.message)) == []
    lst = SimCebDocument.objects.get(kind=CebKind.LIST)
    assert (lst.state, lst.number) == (CebState.CLOSED, invt_no)


def test_waybill_and_arrival_the_platform_sends_itself_are_used():
    """A waybill (CEB505) and an arrival (CEB507) sent by the platform are taken and answered
    (CEB506 2, 120; CEB508 2, 399) and the list uses them: nothing is played for them."""
    play_order()
    drop(f.ceb505(), "CEB505_1.xml")
    drop(f.ceb507(), "CEB507_1.xml")
    drop(list_message(), "CEB603_1.xml")
    engine.run_until_idle()
    assert statuses(CEB506Message) == ["2", "120"]
    assert statuses(CEB508Message) == ["2", "399"]
    assert [r.cop_no for r in rows(CEB508Message)] == ["ARR20240506001"] * 2
    assert not SimCebDocument.objects.filter(kind__in=(CebKind.WAYBILL, CebKind.ARRIVAL), generated=True).exists()
    assert SimCebDocument.objects.get(kind=CebKind.DEPARTURE).generated  # the departure is played
    assert statuses(CEB604Message) == ["2", "120", "399", "800", "899"]


def test_list_is_not_released_before_the_goods_arrive():
    play_order()
    drop(list_message(), "CEB603_1.xml")
    engine.run_once()  # 2, then 120 (and the played waybill 120)
    engine.run_once()  # 399, the played arrival is sent
    assert statuses(CEB604Message) == ["2", "120", "399"]
    SimCebDocument.objects.filter(kind=CebKind.ARRIVAL).update(next_event_at=None)  # the goods never come
    for _ in range(3):
        engine.run_once()
    assert statuses(CEB604Message) == ["2", "120", "399"]
    assert SimCebDocument.objects.get(kind=CebKind.LIST).state == CebState.AUDITED


def test_list_without_its_order_is_sent_back_with_100():
    """三单: a list whose order customs never received is 100 海关退单, the reason in returnInfo."""
    drop(list_message("YS-UNKNOWN-1"), "CEB603_1.xml")
    engine.run_until_idle()
    got = rows(CEB604Message)
    assert [r.return_status for r in got] == ["2", "120", "100"]
    assert "订单信息查询不存在" in got[-1].return_info and "YS-UNKNOWN-1" in got[-1].return_info
    assert SimCebDocument.objects.get(kind=CebKind.LIST).state == CebState.REJECTED


def test_list_of_the_wrong_trade_mode_for_its_order_is_sent_back():
    play_order()  # a B2B order (B)
    drop(list_message(trade_mode="9810"), "CEB603_1.xml")
    engine.run_until_idle()
    last = rows(CEB604Message)[-1]
    assert last.return_status == "100" and "贸易方式9810的清单应对应海外仓订仓单(orderType W)" in last.return_info


def test_list_with_an_hs_code_not_in_the_tariff_is_sent_back():
    play_order()
    message = list_message()
    message.inventory[0].inventory_list[1].g_code = "9999999999"
    drop(message, "CEB603_1.xml")
    engine.run_until_idle()
    last = rows(CEB604Message)[-1]
    assert last.return_status == "100"
    assert "清单表体第2项 商品编码9999999999在商品税则中不存在" in last.return_info


def test_simplified_list_may_give_the_first_four_digits():
    """Spec table 2-38 gcode: "对于符合简化申报的商品，前4位按税则归类申报（需要存在相应章节）"."""
    assert cebrules.hs_code_problem("9405") == ""
    assert cebrules.hs_code_problem("940520") == ""  # 4, 6, 8 or 10 digits (simulator/cebrules.py)
    assert cebrules.hs_code_problem("94052000") == ""
    assert cebrules.hs_code_problem("9405200090") == ""
    assert "没有相应章节" in cebrules.hs_code_problem("9999")
    assert "没有相应章节" in cebrules.hs_code_problem("999999")
    assert "格式有误" in cebrules.hs_code_problem("94052")
    assert "格式有误" in cebrules.hs_code_problem("940520009")


def test_an_empty_tariff_checks_no_hs_code(monkeypatch):
    """simulator/cebrules.py ``hs_code_problem`` / ``_tariff_prefixes`` ("A tariff not loaded checks
    nothing"; a tariff version loaded without any line is not loaded: ``None when none is loaded``):
    with the current tariff empty, no 商品编码 is refused — neither a 10-digit line nor a 4-digit
    chapter the real tariff lacks, nor a code of the wrong length."""
    from guanwu.params import index as params_index

    assert "在商品税则中不存在" in cebrules.hs_code_problem("9999999999")  # the real tariff checks
    monkeypatch.setattr(params_index, "tariff", lambda as_of=None: params_index.TariffIndex(version_id=-1, items=[]))
    for code in ("9405200090", "9999999999", "9999", "94052"):
        assert cebrules.hs_code_problem(code) == "", code


def test_list_with_a_bad_batch_no_is_refused_with_621001():
    play_order()
    drop(list_message(note="商品批次号：SD20240506YS"), "CEB603_1.xml")
    engine.run_until_idle()
    (row,) = rows(CEB604Message)
    assert row.return_status == "-621001" and "流水号有误" in row.return_info


def test_list_declared_twice_is_refused_with_621004():
    play_order()
    drop(list_message(), "CEB603_1.xml")
    engine.run_until_idle()
    drop(list_message(), "CEB603_2.xml")
    engine.run_until_idle()
    assert statuses(CEB604Message)[-1] == "-621004"


def test_list_failing_the_xsd_gets_621001():
    message = list_message()
    message.inventory[0].inventory_list[0].g_code = "94052090001"  # gcode C..10
    drop(message, "CEB603_1.xml")
    engine.run_until_idle()
    (row,) = rows(CEB604Message)
    assert row.return_status == "-621001" and "商品编码(gcode)" in row.return_info
    assert row.cop_no == f"INV{ORDER_NO}"


def test_inspection_comes_before_release(settings):
    settings.GUANWU_SIMULATOR_INSPECTION_RATE = 1
    play_order()
    drop(list_message(), "CEB603_1.xml")
    engine.run_until_idle()
    assert statuses(CEB604Message) == ["2", "120", "399", "500", "800", "899"]


# --------------------------------------------------------------------------------- summaries


def _released_lists(n: int = 2) -> list[str]:
    for i in range(1, n + 1):
        order_no = f"YS2024050600{i:02d}"
        drop(order_message(order_no), f"CEB303_{i}.xml")
        message = list_message(order_no)
        message.inventory[0].inventory_head.logistics_no = f"SD20240506000{i:05d}"
        drop(message, f"CEB603_{i}.xml")
    engine.run_until_idle()
    return list(SimCebDocument.objects.filter(kind=CebKind.LIST, state=CebState.CLOSED).order_by("number")
                .values_list("number", flat=True))


def test_summary_is_audited_and_answered_with_the_summary_result():
    """CEB701 -> CEB702 2, 120 (sumNo), 399; then CEB792 汇总结果单 with the lists' items."""
    invt_nos = _released_lists(2)
    assert len(invt_nos) == 2
    drop(f.ceb701(tuple(invt_nos)), "CEB701_1.xml")
    engine.run_until_idle()
    got = rows(CEB702Message)
    assert [r.return_status for r in got] == ["2", "120", "399"]
    sum_no = got[1].sum_no
    assert len(sum_no) == 18 and got[2].sum_no == sum_no and got[0].pre_no.startswith("S")
    (result,) = rows(CEB792Message)
    head = result.summary_result_head
    assert (head.sum_no, head.dec_state, len(head.decl_seq_no)) == (sum_no, "A", 18)
    assert [(r.invt_no, r.g_num) for r in result.summary_result_list] == [
        (invt_nos[0], 1), (invt_nos[0], 2), (invt_nos[0], 3), (invt_nos[1], 1), (invt_nos[1], 2), (invt_nos[1], 3)]
    assert [r.g_seq_no for r in result.summary_result_list] == [1, 2, 3, 4, 5, 6]
    assert set(SimCebDocument.objects.filter(kind=CebKind.LIST).values_list("summary_no", flat=True)) == {sum_no}


def test_summary_naming_unknown_or_unreleased_lists_is_sent_back():
    invt_nos = _released_lists(1)
    drop(f.ceb701((invt_nos[0], "90022024E999999999")), "CEB701_1.xml")
    engine.run_until_idle()
    last = rows(CEB702Message)[-1]
    assert last.return_status == "100" and "清单编号90022024E999999999不存在" in last.return_info
    assert not rows(CEB792Message)
    assert SimCebDocument.objects.get(kind=CebKind.LIST).summary_no == ""


def test_list_cannot_be_summarised_twice():
    invt_nos = _released_lists(1)
    drop(f.ceb701((invt_nos[0],)), "CEB701_1.xml")
    engine.run_until_idle()
    message = f.ceb701((invt_nos[0],))
    message.summary_apply[0].summary_apply_head.cop_no = "SUM20240508002"
    drop(message, "CEB701_2.xml")
    engine.run_until_idle()
    last = rows(CEB702Message)[-1]
    assert last.return_status == "100" and "已汇总" in last.return_info


def test_summary_failing_the_xsd_gets_a_negative_status():
    message = f.ceb701()
    message.summary_apply[0].summary_apply_head.summary_flag = "12"
    drop(message, "CEB701_1.xml")
    engine.run_until_idle()
    (row,) = rows(CEB702Message)
    assert row.return_status == "-1" and "收发货人汇总标志(summaryFlag)" in row.return_info


# --------------------------------------------------------------------------------- the round


def test_a_bad_ceb_file_never_stops_the_round():
    play_order()
    drop(b"<ceb:CEB603Message xmlns:ceb='http://www.chinaport.gov.cn/ceb'><broken", "CEB603_bad.xml")
    drop(list_message(), "CEB603_1.xml")
    engine.run_until_idle()
    assert SimCebDocument.objects.get(kind=CebKind.LIST).state == CebState.CLOSED
    assert not list(folders.folder(folders.OUTBOX).iterdir())


SAMPLES = Path(__file__).parents[1] / "messages" / "ceb" / "samples" / "export"
SENT_TYPES = ("CEB303", "CEB403", "CEB505", "CEB507", "CEB509", "CEB603", "CEB605", "CEB607", "CEB701", "CEB213",
              "CEB215")


@pytest.mark.parametrize("kind", SENT_TYPES)
def test_every_official_sample_of_a_sent_type_is_answered_with_valid_receipts(kind):
    """The official samples (several of which fail the official XSD: see
    tests/messages/ceb/test_samples.py) are answered in their own receipt type, every receipt
    valid against the XSD; nothing stays in the outbox."""
    drop((SAMPLES / f"{kind}Message.xml").read_bytes(), f"{kind}_sample.xml")
    engine.run_until_idle()
    got = receipts()
    assert got and {m.TYPE for m in got} == {RECEIPT_OF[kind]}
    assert not list(folders.folder(folders.OUTBOX).iterdir())


def test_simulator_status_counts_the_ceb_documents():
    from io import StringIO

    from django.core.management import call_command

    play_order()
    out = StringIO()
    call_command("simulator", "status", stdout=out)
    assert "跨境电商订单/订仓单(CEB303): 海关入库 1" in out.getvalue()


def test_summary_by_time_range_takes_the_released_lists_of_its_ebc():
    """Spec table 2-73 startTime/endTime: "如指定时间范围将忽略表体数据" — the 收发货人's released,
    not yet summarised lists with 出口日期 in the range."""
    invt_nos = _released_lists(2)
    message = f.ceb701(("90022024E999999999",))  # ignored: the range decides
    head = message.summary_apply[0].summary_apply_head
    head.start_time = dt.datetime(2024, 5, 7, 0, 0, tzinfo=f.CHINA)
    head.end_time = dt.datetime(2024, 5, 7, 23, 59, 59, tzinfo=f.CHINA)
    drop(message, "CEB701_1.xml")
    engine.run_until_idle()
    assert statuses(CEB702Message)[-1] == "399"
    (result,) = rows(CEB792Message)
    assert sorted({r.invt_no for r in result.summary_result_list}) == invt_nos
