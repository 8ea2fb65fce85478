"""The customs side of the 加工贸易 family (issue 15): real EMS101/EMS111/INV101 files in a tmp
exchange dir, answered through ``engine.run_once`` and parsed back with ``parse_sas_receipt``.

Receipts a client sees (simulator/families/sas.py): CommonResponeMessage (DealFlag 0 + 预录入统一
编号, or -1), then for 资质/账册 EMS201/EMS211 ``[3402] 联网电子审核通过, 转岗`` (2) and
``[9001] 人工审核通过`` (1, with the number) or a 退单 (3) with coded lines; for 核注清单 INV201
(1 通过(已核扣) with the 清单编号, 5 通过(未核扣) for a 物流/区域账册, 3 退单), INV202 when a
declaration follows, INV211 for a 物流/区域账册. Check codes: 3349/3402 the seed's (001 回执明细),
9xxx the simulator's own (messages/sas/data/codes.csv).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal as D

import pytest

from guanwu.gateway import folders
from guanwu.messages.registry import identify
from guanwu.messages.sas import (
    CommonResponse,
    EmsReceipt,
    Inv201Receipt,
    Inv202Receipt,
    Inv211Receipt,
    build_inv101,
    build_nems,
    build_qualification,
    is_bond_invt_no,
    is_ems_no,
    is_seq_no,
    parse_check_line,
    parse_sas_receipt,
)
from guanwu.simulator import engine
from guanwu.simulator import sas_checks as checks
from guanwu.simulator.models import SimSasBook, SimSasMessage, SimSasState
from tests.messages.sas import garment
from tests.simulator.conftest import drop

NOW = dt.datetime(2024, 11, 5, 2, 0, tzinfo=dt.UTC)  # 2024-11-05 10:00 China time
pytestmark = pytest.mark.django_db


def run() -> None:
    engine.run_until_idle(now=NOW)


def sas_receipts() -> list:
    """Every 加工贸易 receipt in inbox/, parsed, in file (time) order."""
    out = []
    for path in folders.ready_files(folders.INBOX):
        data = path.read_bytes()
        if identify(data).family_name == "sas":
            out.append(parse_sas_receipt(data))
    return out


def clear_inbox() -> None:
    for path in folders.ready_files(folders.INBOX):
        path.unlink()


def kinds(receipts: list) -> list[str]:
    return [r.kind for r in receipts]


def codes(receipt) -> list[str]:
    return [parse_check_line(c.note).code for c in receipt.check_infos]


def replace_rows(rows, n: int, **changes):
    rows = list(rows)
    rows[n] = dataclasses.replace(rows[n], **changes)
    return tuple(rows)


def send_nems(nems=None, name: str = "EMS111_1.xml") -> list:
    clear_inbox()
    drop(build_nems(nems or garment.nems()), name=name)
    run()
    return sas_receipts()


def approved_book() -> str:
    """The garment book approved; its number (E90012400001 in a fresh database)."""
    *_, approval = send_nems()
    assert approval.result.manage_result == "1"
    return approval.result.business_id


def send_inv(inv, name: str = "INV101_1.xml") -> list:
    clear_inbox()
    drop(build_inv101(inv), name=name)
    run()
    return sas_receipts()


# ------------------------------------------------------------------------------ 账册 EMS111


def test_book_approved_after_manual_review_with_its_number():
    response, review, approval = send_nems()
    assert isinstance(response, CommonResponse) and response.ok and is_seq_no(response.seq_no)
    assert response.etps_preent_no == "GW-NEMS-2024-001"
    assert isinstance(review, EmsReceipt) and review.kind == "EMS211"
    assert review.result.manage_result == "2" and review.implied_status == "manual_review"
    assert [c.note for c in review.check_infos] == ["[3402] 联网电子审核通过, 转岗"]  # seed 001 回执明细
    assert approval.result.manage_result == "1" and approval.implied_status == "approved"
    assert approval.result.business_id == "E90012400001" and is_ems_no(approval.result.business_id)
    assert approval.result.etps_preent_no == response.seq_no
    assert codes(approval) == ["9001"]
    book = SimSasBook.objects.get(number="E90012400001")
    assert set(book.imgs) == {"1", "2", "3", "4", "5"} and set(book.exgs) == {"1", "2"} and len(book.cms) == 7
    # 单耗 = 净耗 / (1 - 损耗率): 1.65 / (1 - 3.5 %) (the BOM of shirt x cotton fabric)
    cm = next(c for c in book.cms if (c["endprd_seqno"], c["mtpck_seqno"]) == ("1", "1"))
    assert D(cm["ucns_qty"]) == D("1.709844560")
    assert SimSasMessage.objects.get(seq_no=response.seq_no).state == SimSasState.APPROVED


def test_numbers_are_unique_and_run_on_per_database():
    first = approved_book()
    second = send_nems(garment.nems(etps_preent_no="GW-NEMS-2024-002"), name="EMS111_2.xml")
    assert first == "E90012400001" and second[-1].result.business_id == "E90012400002"
    assert second[0].seq_no != SimSasMessage.objects.get(business_no=first).seq_no


@pytest.mark.parametrize(("change", "code", "detail"), [
    (lambda n: dataclasses.replace(n, cms=replace_rows(n.cms, 0, endprd_seqno=9)), "9101", "单损耗第1项 成品序号 9"),
    (lambda n: dataclasses.replace(n, cms=replace_rows(n.cms, 1, mtpck_seqno=8)), "9102", "单损耗第2项 料件序号 8"),
    (lambda n: dataclasses.replace(n, cms=replace_rows(n.cms, 2, tgbl_loss_rate=D("100"))), "9103", "有形损耗率 100"),
    (lambda n: dataclasses.replace(n, cms=replace_rows(n.cms, 2, tgbl_loss_rate=D("60"), intgb_loss_rate=D("40"))),
     "9103", "之和 100"),
    (lambda n: dataclasses.replace(n, imgs=replace_rows(n.imgs, 0, gdecd="5208420098")), "9104", "料件第1项 商品编码"),
    (lambda n: dataclasses.replace(n, imgs=replace_rows(n.imgs, 2, dcl_unitcd="999")), "9105", "申报计量单位 999"),
    (lambda n: dataclasses.replace(n, exgs=replace_rows(n.exgs, 0, lawf_unitcd="035")), "9106", "法定计量单位应为011"),
    (lambda n: dataclasses.replace(n, imgs=replace_rows(n.imgs, 0, dcl_currcd="999")), "9107", "币制 999"),
    (lambda n: dataclasses.replace(n, head=dataclasses.replace(n.head, master_cuscd="9999")), "9109", "主管海关 9999"),
    (lambda n: dataclasses.replace(n, imgs=replace_rows(n.imgs, 1, gds_seqno=1)), "9110", "料件第2项 序号 1"),
])
def test_book_returned_with_a_coded_line_per_check(change, code, detail):
    response, returned = send_nems(change(garment.nems()))
    assert response.ok
    assert returned.kind == "EMS211" and returned.result.manage_result == "3" and returned.implied_status == "rejected"
    line = next(c.note for c in returned.check_infos if parse_check_line(c.note).code == code)
    assert detail in line and line.endswith(", 退单"), line
    assert not SimSasBook.objects.exists()


def test_duplicate_bom_seqno_is_refused_once_9110():
    """[9110] 序号 unique per table, the 单损耗 table too (simulator/sas_checks.py module doc and
    ``check_nems``; nems_fields.csv 单损耗 GSeqno): two 单损耗 rows with 序号 1 give one line, on the
    second row; a row being deleted (修改标志 2) is not counted."""
    nems = garment.nems()
    lines = checks.check_nems(dataclasses.replace(nems, cms=replace_rows(nems.cms, 1, g_seqno=1)))
    assert [parse_check_line(line).code for line in lines] == ["9110"]
    assert "单损耗第2项 序号 1" in lines[0]
    deleting = replace_rows(nems.cms, 1, g_seqno=1, modf_markcd="2")
    assert checks.check_nems(dataclasses.replace(nems, cms=deleting)) == []


def test_change_of_a_book_customs_never_approved_is_refused_9111():
    head = dict(dcl_typecd="2", ems_no="E90012499999", chg_tms_cnt=1)
    *_, returned = send_nems(garment.nems(**head))
    assert codes(returned) == ["9111"] and "E90012499999" in returned.check_infos[0].note


def test_change_keeps_the_number_counts_up_and_changes_the_book():
    number = approved_book()
    nems = garment.nems(dcl_typecd="2", ems_no=number, chg_tms_cnt=2)
    *_, returned = send_nems(nems, name="EMS111_c.xml")
    assert codes(returned) == ["9112"] and "变更次数应为1" in returned.check_infos[0].note

    # 变更 1: material 5 (labels) deleted with its BOM lines, a BOM line for a deleted material refused first
    imgs = tuple(dataclasses.replace(i, modf_markcd="2" if i.gds_seqno == 5 else "0") for i in garment.nems_imgs())
    bad = dataclasses.replace(garment.nems(dcl_typecd="2", ems_no=number, chg_tms_cnt=1), imgs=imgs, exgs=(), cms=())
    bad = dataclasses.replace(bad, cms=(dataclasses.replace(garment.nems_cms()[2], modf_markcd="1"),))
    *_, returned = send_nems(bad, name="EMS111_d.xml")
    assert codes(returned) == ["9102"]

    cms = tuple(dataclasses.replace(c, modf_markcd="2") for c in garment.nems_cms() if c.mtpck_seqno == 5)
    change = dataclasses.replace(bad, cms=cms)
    *_, approval = send_nems(change, name="EMS111_e.xml")
    assert approval.result.manage_result == "1" and approval.result.business_id == number
    assert approval.result.tms_cnt == "1"
    book = SimSasBook.objects.get(number=number)
    assert book.chg_tms_cnt == 1 and "5" not in book.imgs and len(book.cms) == 5


# ------------------------------------------------------------------------------ 资质 EMS101


def test_qualification_approved_with_its_archive_number():
    clear_inbox()
    drop(build_qualification(garment.qualification()), name="EMS101_1.xml")
    run()
    response, review, approval = sas_receipts()
    assert response.ok and review.kind == "EMS201" and review.result.manage_result == "2"
    assert approval.result.manage_result == "1" and approval.result.business_id == "IE9001240001"
    assert SimSasBook.objects.get(number="IE9001240001").kind == "EMS101"


def test_qualification_without_body_is_returned_as_the_seed_shows_3349():
    """Seed 001 回执: 数据状态 海关退单, 回执明细 1 [3349] ... 退单, 2 [3402] 联网电子审核通过, 转岗."""
    qualification = dataclasses.replace(garment.qualification(), imgs=(), exgs=())
    clear_inbox()
    drop(build_qualification(qualification), name="EMS101_1.xml")
    run()
    _response, review, returned = sas_receipts()
    assert review.result.manage_result == "2"
    assert returned.result.manage_result == "3" and returned.manage_result_text == "海关退单"
    assert [c.note for c in returned.check_infos] == [
        "[3349] 加工账册资质: 商务部前置审批开关开启, 企业必须申报表体, 退单",
        "[3402] 联网电子审核通过, 转岗",
    ]


@pytest.mark.parametrize(("qua_typecd", "needs"), [("1", True), ("", True), ("2", False)])
def test_qualification_of_a_processing_book_without_body_needs_body_3349(qua_typecd, needs):
    """[3349] 加工账册资质 must declare its 表体 (seed 001 回执; simulator/sas_checks.py ``needs_body``):
    资质类型 1 加工账册, or left empty (the default type), without any 料件 or 成品 row."""
    q = garment.qualification()
    empty = dataclasses.replace(q, head=dataclasses.replace(q.head, qua_typecd=qua_typecd), imgs=(), exgs=())
    assert checks.needs_body(empty) is needs
    assert not checks.needs_body(dataclasses.replace(q, head=dataclasses.replace(q.head, qua_typecd=qua_typecd),
                                                     exgs=()))  # 料件 rows only: it has a body
    assert not checks.needs_body(dataclasses.replace(q, head=dataclasses.replace(q.head, qua_typecd=qua_typecd),
                                                     imgs=()))  # 成品 rows only


def test_qualification_checks_country_codes_and_unknown_archive_change():
    q = garment.qualification()
    bad = dataclasses.replace(q, imgs=replace_rows(q.imgs, 0, natcd="999"),
                              head=dataclasses.replace(q.head, dcl_typecd="2", netwk_etps_arcrp_no="IE9001249999",
                                                       chg_tms_cnt=1))
    clear_inbox()
    drop(build_qualification(bad), name="EMS101_1.xml")
    run()
    _response, returned = sas_receipts()
    assert sorted(codes(returned)) == ["9108", "9113"]


# ------------------------------------------------------------------------------ 清单 INV101


def test_import_list_passes_deducted_with_its_number_then_the_declaration():
    approved_book()
    response, inv201, inv202 = send_inv(garment.inv101_import())
    assert response.ok and response.etps_preent_no == "GW-I-2024-0001" and is_seq_no(response.seq_no)
    assert response.check_info == "保税核注清单申报服务调用成功"
    assert isinstance(inv201, Inv201Receipt) and inv201.result.manage_result == "1"
    assert inv201.implied_status == "verified" and inv201.manage_result_text == "通过(已核扣)"
    assert inv201.bond_invt_no == "QD900124I000000001" and is_bond_invt_no(inv201.bond_invt_no)
    assert inv201.seq_no == response.seq_no
    assert inv201.head.vrfded_markcd == "2" and inv201.head.invt_stucd == "0"
    assert inv201.head.putrec_no == "E90012400001"
    assert [i.putrec_seqno for i in inv201.items] == ["1", "2", "3", "4", "5"]
    assert isinstance(inv202, Inv202Receipt) and inv202.ok and inv202.result.business_id == inv201.bond_invt_no
    assert inv202.result.entry_seq_no.startswith("I2024") and len(inv202.result.entry_seq_no) == 18
    assert inv202.result.inv_preent_no == response.seq_no
    assert SimSasBook.objects.get().balances["1"] == "12000"


def test_export_list_consumes_through_the_bom_and_an_overdraw_is_refused_9202():
    approved_book()
    *_, refused = send_inv(garment.inv101_export(), name="INV101_e0.xml")  # nothing imported yet
    assert refused.result.manage_result == "3" and refused.implied_status == "rejected"
    assert set(codes(refused)) == {"9202"} and refused.head.invt_stucd == "2" and not refused.items
    assert "料件序号 1 余量 0，本清单需" in refused.check_infos[0].note

    send_inv(garment.inv101_import())
    *_, inv201, inv202 = send_inv(garment.inv101_export(), name="INV101_e1.xml")
    assert inv201.result.manage_result == "1" and inv201.bond_invt_no == "QD900124E000000001"
    assert inv202.result.entry_seq_no.startswith("E2024")
    balances = {k: D(v) for k, v in SimSasBook.objects.get().balances.items()}
    # fabric: 12000 - 5000 shirts x 1.65 / (1 - 3.5 %)
    assert balances["1"] == D("12000") - D("5000") * D("1.709844560")


def test_list_taking_exactly_the_balance_passes_one_more_is_refused_9202():
    """[9202] overdraw (simulator/sas_checks.py ``check_inv101``: a 料件 balance may reach 0, not go
    below): a 料件退运 (出口 料件, 0664) of exactly what was imported passes and leaves 0; one more
    unit is refused."""
    approved_book()
    send_inv(garment.inv101_import())
    imported = garment.inv101_import()
    back = dataclasses.replace(
        garment.inv101_export(), items=imported.items,
        head=dataclasses.replace(garment.inv101_export().head, mtpck_endprd_markcd="I", supv_modecd="0664"))
    passed = [r for r in send_inv(back, name="INV101_r1.xml") if r.kind == "INV201"][-1]
    assert passed.result.manage_result == "1", codes(passed)
    assert {D(v) for v in SimSasBook.objects.get().balances.values()} == {D(0)}
    one_more = dataclasses.replace(back, items=(dataclasses.replace(back.items[0], dcl_qty=D(1)),))
    refused = [r for r in send_inv(one_more, name="INV101_r2.xml") if r.kind == "INV201"][-1]
    assert refused.result.manage_result == "3" and codes(refused) == ["9202"]


def test_list_checks_against_the_approved_book():
    approved_book()
    items = garment.import_items()
    items = replace_rows(items, 0, putrec_seqno=9)
    items = replace_rows(items, 1, gdecd="5208420090")  # the book says 5407520000
    items = replace_rows(items, 2, dcl_unitcd="035")  # the book says 007
    inv = dataclasses.replace(garment.inv101_import(), items=items)
    *_, refused = send_inv(inv)
    assert codes(refused) == ["9201", "9204", "9205"]
    assert "表体第1项 料件备案序号 9" in refused.check_infos[0].note


def test_unknown_seqno_turns_the_balance_check_off_9201_not_9202():
    """[9201] / [9202] (simulator/sas_checks.py ``check_inv101``: a line whose 备案序号 is not in the
    book is refused with 9201 and the overdraw check is not run for the list, ``known``): a 料件退运
    (出口 料件, 0664) of what was imported, its first line naming 备案序号 9 (no balance at all), is
    refused with 9201 only — no 9202 for 料件序号 9."""
    approved_book()
    send_inv(garment.inv101_import())
    export = garment.inv101_export()
    back = dataclasses.replace(export, items=replace_rows(garment.import_items(), 0, putrec_seqno=9),
                               head=dataclasses.replace(export.head, mtpck_endprd_markcd="I", supv_modecd="0664"))
    lines = checks.check_inv101(back)
    assert [parse_check_line(line).code for line in lines] == ["9201"], lines
    assert "表体第1项 料件备案序号 9" in lines[0]


def test_list_of_an_unknown_book_is_refused_9200():
    inv = garment.inv101_import()
    *_, refused = send_inv(dataclasses.replace(inv, head=dataclasses.replace(inv.head, putrec_no="E90012477777")))
    assert codes(refused) == ["9200"] and refused.result.manage_result == "3"


def test_export_of_a_product_without_bom_is_refused_9203():
    cms = tuple(c for c in garment.nems_cms() if c.endprd_seqno == 1)
    send_nems(dataclasses.replace(garment.nems(), cms=cms))
    *_, refused = send_inv(garment.inv101_export())
    assert "9203" in codes(refused) and "成品备案序号 2" in refused.check_infos[0].note


def test_import_of_a_product_without_bom_is_not_refused_9203():
    """9203 (成品在账册中无单损耗) is an export rule: a 成品 coming back in (成品退换, 进口 with 料件成品标志
    E) consumes no 料件, so it needs no 单损耗 (the simulator's own rule, ``sas_checks``)."""
    cms = tuple(c for c in garment.nems_cms() if c.endprd_seqno == 1)
    send_nems(dataclasses.replace(garment.nems(), cms=cms))
    exported = garment.inv101_export()
    receipts = send_inv(dataclasses.replace(exported, head=dataclasses.replace(exported.head, impexp_markcd="I")))
    assert "9203" not in [code for r in receipts if hasattr(r, "check_infos") for code in codes(r)]
    *_, refused = send_inv(exported)  # the same lines exported: refused
    assert "9203" in codes(refused)


def test_list_codes_and_tariff_are_checked():
    approved_book()
    inv = garment.inv101_import()
    inv = dataclasses.replace(inv, head=dataclasses.replace(inv.head, supv_modecd="9999"),
                              items=replace_rows(inv.items, 0, natcd="999", lawf_unitcd="035"))
    *_, refused = send_inv(inv)
    assert sorted(set(codes(refused))) == ["9100", "9106", "9108"]


def test_no_declaration_follows_a_list_without_customs_declaration():
    approved_book()
    inv = garment.inv101_import()
    _response, inv201 = send_inv(dataclasses.replace(inv, head=dataclasses.replace(inv.head, dclcus_flag="2",
                                                                                      dclcus_typecd="")))
    assert inv201.result.manage_result == "1"


def test_list_of_a_logistics_book_is_passed_undeducted_then_booked_inv211():
    inv = garment.inv101_import()
    inv = dataclasses.replace(inv, head=dataclasses.replace(inv.head, putrec_no="T90012400001"))
    _response, inv201, inv202, inv211 = send_inv(inv)
    assert inv201.result.manage_result == "5" and inv201.implied_status == "approved"
    assert inv202.ok
    assert isinstance(inv211, Inv211Receipt) and inv211.implied_status == "verified"
    assert inv211.head.bond_invt_no == inv201.bond_invt_no and len(inv211.bws_rows) == 5
    assert inv211.bws_rows[0].actl_inc_qty == "12000" and inv211.bws_rows[0].bws_no == "T90012400001"


# ------------------------------------------------------------------------------ the client


def test_stored_message_gets_only_the_import_answer_and_is_declared_later_with_its_seq_no():
    approved_book()
    stored = dataclasses.replace(garment.inv101_import(), delcare_flag="0")
    (response,) = send_inv(stored)
    assert response.ok and response.check_info == "暂存成功"
    inv = garment.inv101_import()
    declared = dataclasses.replace(inv, head=dataclasses.replace(inv.head, seq_no=response.seq_no))
    again, inv201, _inv202 = send_inv(declared, name="INV101_2.xml")
    assert again.seq_no == response.seq_no and inv201.seq_no == response.seq_no


def test_a_message_still_under_audit_cannot_be_imported_again():
    clear_inbox()
    drop(build_nems(garment.nems()), name="EMS111_1.xml")
    engine.run_once(now=NOW - dt.timedelta(seconds=1))
    seq_no = SimSasMessage.objects.get().seq_no
    SimSasMessage.objects.update(next_event_at=NOW + dt.timedelta(days=1))
    drop(build_nems(garment.nems(seq_no=seq_no)), name="EMS111_2.xml")
    engine.run_once(now=NOW)
    first, second = [r for r in sas_receipts() if isinstance(r, CommonResponse)]
    assert first.ok and not second.ok and "正在海关审核中" in second.check_info


def test_unreadable_processing_trade_file_gets_a_failed_import():
    data = build_inv101(garment.inv101_import()).replace(b"<ImpexpMarkcd>I</ImpexpMarkcd>",
                                                         b"<ImpexpMarkcd>X</ImpexpMarkcd>")
    clear_inbox()
    drop(data, name="INV101_bad.xml")
    run()
    (response,) = sas_receipts()
    assert not response.ok and response.implied_status == "failed"
    assert "INV101" in response.check_info and "进出口标记" in response.check_info
    assert response.etps_preent_no == "GW-I-2024-0001"
    assert not SimSasMessage.objects.exists()
    assert not list(folders.folder(folders.OUTBOX).iterdir())


def test_a_failing_step_does_not_stop_the_round(monkeypatch):
    from guanwu.simulator.families import sas

    def boom(row, now):
        raise RuntimeError("意外")

    monkeypatch.setattr(sas, "_step_ems", boom)
    send_nems()
    row = SimSasMessage.objects.get()
    assert row.stage == "" and row.history[-1]["event"] == "error"
    assert send_inv(garment.inv101_import(), name="INV101_x.xml")[-1].result.manage_result == "3"


def test_a_passed_book_or_list_is_not_declared_again_only_changed():
    number = approved_book()
    seq_no = SimSasMessage.objects.get(business_no=number).seq_no
    (refused,) = send_nems(garment.nems(seq_no=seq_no), name="EMS111_again.xml")
    assert not refused.ok and "已审核通过，只能申报变更" in refused.check_info
    assert SimSasBook.objects.count() == 1


def test_list_change_replaces_its_movements_and_needs_a_passed_list_9206():
    approved_book()
    *_, inv201, _inv202 = send_inv(garment.inv101_import())
    bond_invt_no = inv201.bond_invt_no
    inv = garment.inv101_import()
    unknown = dataclasses.replace(inv, head=dataclasses.replace(inv.head, dcl_typecd="2", chg_tms_cnt=1,
                                                                bond_invt_no="QD900124I000009999"))
    *_, refused = send_inv(unknown, name="INV101_u.xml")
    assert codes(refused) == ["9206"]

    # 变更: fabric 12000 -> 10000 (a new file, the same 清单编号): the balance is 10000, not 22000
    items = replace_rows(inv.items, 0, dcl_qty=D("10000"))
    change = dataclasses.replace(inv, items=items, head=dataclasses.replace(
        inv.head, dcl_typecd="2", chg_tms_cnt=1, bond_invt_no=bond_invt_no, etps_inner_invt_no="GW-I-2024-0001-1"))
    *_, passed, _inv202 = send_inv(change, name="INV101_c.xml")
    assert passed.result.manage_result == "1" and passed.bond_invt_no == bond_invt_no
    assert SimSasBook.objects.get().balances["1"] == "10000"


def test_receipts_come_one_delay_apart(settings):
    settings.GUANWU_SIMULATOR_DELAY_SECONDS = 3
    drop(build_nems(garment.nems()), name="EMS111_1.xml")
    steps = []
    for seconds in (0, 2, 3, 5, 6):
        engine.run_once(now=NOW + dt.timedelta(seconds=seconds))
        steps.append(kinds(sas_receipts()))
    assert steps == [
        ["CommonResponeMessage"], ["CommonResponeMessage"], ["CommonResponeMessage", "EMS211"],
        ["CommonResponeMessage", "EMS211"], ["CommonResponeMessage", "EMS211", "EMS211"],
    ]


def test_garbage_and_strangers_beside_processing_trade_files_change_nothing():
    drop(b"\x00garbage<<", name="garbage.xml")
    drop(b"<Order><orderNo>1</orderNo></Order>", name="stranger.xml")
    drop(build_nems(garment.nems()), name="EMS111_1.xml")
    run()
    assert kinds(sas_receipts()) == ["CommonResponeMessage", "EMS211", "EMS211"]
    assert sas_receipts()[-1].result.business_id == "E90012400001"
    assert len(list(folders.folder(folders.INBOX).iterdir())) == 5  # + two failed DecImportResponses
    assert not list(folders.folder(folders.OUTBOX).iterdir())


def test_an_unknown_but_well_formed_seq_no_is_kept_and_later_numbers_skip_it():
    (response, *_) = send_nems(garment.nems(seq_no="202400000000000002"))
    assert response.seq_no == "202400000000000002"
    first, *_ = send_nems(garment.nems(etps_preent_no="GW-NEMS-2024-002"), name="EMS111_2.xml")
    second, *_ = send_nems(garment.nems(etps_preent_no="GW-NEMS-2024-003"), name="EMS111_3.xml")
    assert (first.seq_no, second.seq_no) == ("202400000000000001", "202400000000000003")


def test_every_check_code_the_simulator_writes_is_in_the_code_table():
    import inspect
    import re

    from guanwu.messages.sas.codes import table
    from guanwu.simulator import sas_checks
    from guanwu.simulator.families import sas

    used = set()
    for module in (sas_checks, sas):
        used |= set(re.findall(r'(?:add|check_line)\("(\d{4})"', inspect.getsource(module)))
    assert used >= {"3349", "3402", "9001", "9101", "9202", "9206"}
    assert used <= set(table("check_info"))


def test_receipt_lists_at_most_50_check_lines_and_counts_the_rest_in_rmk():
    """simulator/sas_checks.py ``limit`` (MAX_LINES 50): up to 50 lines all listed, no 备注; more
    are cut to 50 with the count in 备注."""
    lines = [f"[9104] 第{n}项" for n in range(1, 52)]
    assert checks.limit(lines[:50]) == (lines[:50], "")
    assert checks.limit(lines) == (lines[:50], "共51条检查信息，仅列出前50条")


def test_line_without_ucns_verno_uses_the_highest_version_of_the_product():
    """simulator/sas_checks.py ``bom_of`` / ``movements``: an export line naming no 单耗版本号
    consumes through the highest version of its 成品 (the version in force); a named one through
    that version."""
    book = SimSasBook(kind=checks.EMS_BOOK, number="E90012400001", cms=[
        {"endprd_seqno": 1, "mtpck_seqno": 1, "ucns_verno": "1", "ucns_qty": "2"},
        {"endprd_seqno": 1, "mtpck_seqno": 1, "ucns_verno": "2", "ucns_qty": "3"},
        {"endprd_seqno": 2, "mtpck_seqno": 1, "ucns_verno": "1", "ucns_qty": "5"},
    ])
    assert [cm["ucns_qty"] for cm in checks.bom_of(book, "1")] == ["3"]
    assert [cm["ucns_qty"] for cm in checks.bom_of(book, "1", "1")] == ["2"]
    assert checks.bom_of(book, "3") == []


def test_empty_master_customs_is_refused_9109():
    """[9109] 主管海关 (simulator/sas_checks.py ``check_nems`` / ``check_qualification``): a 账册 or an
    企业资质 with no 主管海关 gets the check line ``表头 主管海关 为空``."""
    nems = garment.nems()
    lines = checks.check_nems(dataclasses.replace(nems, head=dataclasses.replace(nems.head, master_cuscd="")))
    assert any(line.startswith("[9109]") and "主管海关 为空" in line for line in lines)
    q = garment.qualification()
    lines = checks.check_qualification(dataclasses.replace(q, head=dataclasses.replace(q.head, master_cuscd="")))
    assert any(line.startswith("[9109]") and "主管海关 为空" in line for line in lines)
