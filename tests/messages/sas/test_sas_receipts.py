"""Processing-trade receipts: the samples of receipts.md parse, every receipt builds and parses
back, codes read in Chinese with the status they imply, and bad files are refused readably."""

from __future__ import annotations

import contextlib
import dataclasses as dc
import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guanwu.messages.sas import (
    STATES,
    BondInvtBsc,
    BondInvtDtl,
    BwsDt,
    CheckInfo,
    CommonResponse,
    EmsReceipt,
    HdeApprResult,
    Inv201Receipt,
    Inv202Receipt,
    Inv211Receipt,
    InvApprResult,
    PocketInfo,
    ReceiptEnvelope,
    ReceiptError,
    build_common_response,
    build_ems_receipt,
    build_inv201,
    build_inv202,
    build_sas_receipt,
    check_line,
    code_state,
    code_text,
    identify,
    is_bond_invt_no,
    manage_result_for,
    parse_check_line,
    parse_common_response,
    parse_ems_receipt,
    parse_inv201,
    parse_inv202,
    parse_inv211,
    parse_sas_receipt,
)
from guanwu.messages.sas.codes import table
from guanwu.messages.sas.receipts import CHINA, MAX_RECEIPT_BYTES, camel

SAMPLES = Path(__file__).with_name("samples")
SNAPSHOTS = Path(__file__).with_name("snapshots")


def sample(name: str) -> bytes:
    matches = sorted(SAMPLES.glob(name))
    assert len(matches) == 1, name
    return matches[0].read_bytes()


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CHINA)


# ------------------------------------------------------------------------------- samples

def test_client_success_response():
    """CommonResponeMessage DealFlag 0: imported, the 预录入统一编号 assigned (receipts.md §1)."""
    r = parse_common_response(sample("Successed_*.xml"))
    assert r == CommonResponse(seq_no="202400000100000031", etps_preent_no="GW-I-2024-0001",
                               check_info="保税核注清单申报服务调用成功", deal_flag="0")
    assert r.ok and r.implied_status == "declared" and r.text == "保税核注清单申报服务调用成功"


def test_client_failure_response():
    """DealFlag -1: not imported, no SeqNo, the reason in CheckInfo (receipts.md §1)."""
    r = parse_sas_receipt(sample("Failed_INV101_*.xml"))
    assert isinstance(r, CommonResponse)
    assert not r.ok and r.implied_status == "failed" and r.seq_no == ""
    assert "与系统已有记录【202400000100000031】的对应字段重复" in r.check_info
    assert code_text("deal_flag", "-1") == "导入失败"


def test_inv201_pass_head_only():
    """manageResult 1 通过(已核扣), HdeApprResult only (receipts.md §3)."""
    r = parse_inv201(sample("INV201_pass.xml"))
    assert r.result == HdeApprResult(
        etps_preent_no="202400000100000031", business_id="QD900124I000000031", tms_cnt="0", typecd="1",
        manage_result="1", manage_date=at(2024, 11, 4, 10, 31, 4), rmk="")
    assert r.head is None and r.items == () and r.check_infos == ()
    assert r.bond_invt_no == "QD900124I000000031" and is_bond_invt_no(r.bond_invt_no)
    assert r.seq_no == "202400000100000031"
    assert r.manage_result_text == "通过(已核扣)" and r.implied_status == "verified"
    assert r.envelope.send_time == at(2024, 11, 4, 10, 31, 5) and r.envelope.sender_id == "CUS0000"
    assert r.pocket == PocketInfo(pocket_id="QD900124I000000031-0d6f3a2b9c8e4f10a7b5c3d1e2f40617",
                                  total_pocket_qty=1, cur_pocket_no=1, is_unstructured="")


def test_inv201_gbk_encoded():
    r = parse_inv201(sample("INV201_pass_gbk.xml"))
    assert r.result.rmk == "审核通过，已核扣" and r.implied_status == "verified"


def test_inv201_pre_verified_with_head():
    """manageResult 4 预核扣 with BondInvtBsc: vrfdedMarkcd 1, invtStucd 0 (receipts.md §3)."""
    r = parse_inv201(sample("INV201_prevd.xml"))
    assert r.implied_status == "pre_verified" and r.manage_result_text == "预核扣"
    assert r.head.bond_invt_no == "QD900124E000000032" and r.head.putrec_no == "E90012400001"
    assert r.head.vrfded_markcd == "1" and code_text("vrfded_markcd", r.head.vrfded_markcd) == "预核扣"
    assert r.head.invt_stucd == "0" and code_text("invt_stucd", "0") == "审核通过"
    assert r.head.passport_used_typecd == "1" and r.head.du_code == "E4"
    assert r.head.prevd_time == "2024-11-05 14:21:59"  # receipt head values stay text


def test_inv201_rejected_with_check_info():
    r = parse_inv201(sample("INV201_reject.xml"))
    assert r.implied_status == "rejected" and r.result.rmk == "料件余量不足"
    assert r.check_infos == (CheckInfo(note="表体第1项 备案序号1 料件余量不足"),)
    assert r.bond_invt_no == ""  # no 清单编号 for a refused list


def test_inv202_declaration_generated():
    """INV202 reports the generated 报关单 (not a 核扣): manageResult 1 生成成功 (receipts.md §4)."""
    r = parse_inv202(sample("INV202.xml"))
    assert r.result == InvApprResult(inv_preent_no="202400000100000031", business_id="QD900124I000000031",
                                     entry_seq_no="I20240000100000077", manage_result="1",
                                     create_date=at(2024, 11, 4, 10, 45), reason="")
    assert r.ok and r.implied_status == "entry_generated" and r.manage_result_text == "生成成功"
    assert r.envelope.business_id == "QD900124I000000031"


def test_inv211_ledger_lines():
    """INV211 记账回执: the head (vrfdedMarkcd 2 已核扣) and BwsDt ledger lines (receipts.md §5)."""
    r = parse_inv211(sample("INV211.xml"))
    assert r.implied_status == "verified"
    assert r.head.formal_vrfded_time == "2024-11-06 09:15:03" and r.head.rvsngd_etps_sccd == ""
    (row,) = r.bws_rows
    assert (row.gds_seqno, row.gds_mtno, row.in_qty, row.invt_no, row.invt_g_no) == (
        "1", "FAB-CT-001", "12000", "QD900124I000000031", "1")
    assert code_text("cusm_exe_markcd", row.cusm_exe_markcd) == "正常执行"


def test_own_qualification_return_with_the_seeds_check_lines():
    """The seed's 回执 box: 业务编号 IE0102190002, 数据状态 海关退单, 回执明细 [3349] ... 退单, [3402] ... 转岗.
    EMS201 is guanwu's own format (no public one exists)."""
    r = parse_ems_receipt(sample("EMS201_return.xml"))
    assert r.kind == "EMS201" and r.result.business_id == "IE0102190002"
    assert r.implied_status == "rejected" and r.manage_result_text == "海关退单"
    assert [(c.code, c.effect) for c in r.check_lines] == [("3349", "rejected"), ("3402", "manual_review")]
    assert r.check_lines[0].text == "加工账册资质: 商务部前置审批开关开启, 企业必须申报表体"
    assert r.result.manage_date is None


def test_own_book_approval_gives_the_book_number():
    r = parse_sas_receipt(sample("EMS211_approved.xml"))
    assert isinstance(r, EmsReceipt) and r.kind == "EMS211"
    assert r.implied_status == "approved" and r.result.business_id == "E90012400001"
    assert r.check_lines[0].code == "9000" and r.check_lines[0].effect == "approved"


@pytest.mark.parametrize("path", sorted(p.name for p in SAMPLES.glob("*.xml")))
def test_every_sample_is_identified(path):
    data = (SAMPLES / path).read_bytes()
    kind = identify(data)
    assert kind == parse_sas_receipt(data).kind


# ------------------------------------------------------------------------- build -> parse

ENVELOPE = ReceiptEnvelope(version="1.0", business_id="", message_id="CUS0000E010000202411041031050001",
                           file_name="CUS0000E010000202411041031050001.INV", message_type="INV201",
                           sender_id="CUS0000", receiver_id="E010000", send_time=at(2024, 11, 4, 10, 31, 5))


def test_every_receipt_builds_and_parses_back():
    pocket = PocketInfo(pocket_id="P-1", total_pocket_qty=1, cur_pocket_no=1, is_unstructured="")
    result = HdeApprResult(etps_preent_no="202400000100000031", business_id="QD900124I000000031", tms_cnt="0",
                           typecd="1", manage_result="1", manage_date=at(2024, 11, 4, 10, 31, 4), rmk="")
    head = BondInvtBsc(bond_invt_no="QD900124I000000031", invt_preent_no="202400000100000031", vrfded_markcd="2",
                       invt_stucd="0", impexp_markcd="I")
    receipts = [
        CommonResponse(seq_no="202400000100000031", etps_preent_no="GW-I-2024-0001", check_info="处理成功",
                       deal_flag="0"),
        CommonResponse(etps_preent_no="GW-I-2024-0001", check_info="企业内部编号重复", deal_flag="-1"),
        Inv201Receipt(envelope=ENVELOPE, result=result, check_infos=(CheckInfo(note="审核通过"),), head=head,
                      items=(BondInvtDtl(gds_seqno="1", putrec_seqno="1", dcl_qty="12000"),), pocket=pocket),
        Inv202Receipt(envelope=dc.replace(ENVELOPE, message_type="INV202"),
                      result=InvApprResult(inv_preent_no="202400000100000031", business_id="QD900124I000000031",
                                           entry_seq_no="I20240000100000077", manage_result="1",
                                           create_date=at(2024, 11, 4, 10, 45))),
        Inv211Receipt(envelope=dc.replace(ENVELOPE, message_type="INV211"), head=head,
                      bws_rows=(BwsDt(bws_no="E90012400001", gds_seqno="1", in_qty="12000"),), pocket=pocket),
        EmsReceipt(envelope=dc.replace(ENVELOPE, message_type="EMS211"), result=dc.replace(result, business_id="E1"),
                   check_infos=(CheckInfo(note=check_line("9000")),)),
    ]
    for receipt in receipts:
        assert parse_sas_receipt(build_sas_receipt(receipt)) == receipt, receipt


def test_built_receipts_have_the_documented_shape():
    xml = build_inv202(Inv202Receipt(envelope=dc.replace(ENVELOPE, message_type=""),
                                     result=InvApprResult(manage_result="2", reason="报关单生成失败")))
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://www.w3.org/2000/09/xmldsig#">')
    assert b"<message_type>INV202</message_type>" in xml and b"<PocketInfo>" not in xml
    failed = build_common_response(CommonResponse(etps_preent_no="X", check_info="失败", deal_flag="-1"))
    assert b"<SeqNo" not in failed and b"xmlns" not in failed
    with pytest.raises(ValueError):
        build_inv201(Inv201Receipt(envelope=dc.replace(ENVELOPE, message_type="INV202"), result=HdeApprResult()))
    with pytest.raises(ValueError):
        build_ems_receipt(EmsReceipt(envelope=ENVELOPE, result=HdeApprResult(manage_result="1")))


def test_receipt_snapshot():
    """The simulator's EMS211 return, as the platform will read it."""
    receipt = EmsReceipt(
        envelope=dc.replace(ENVELOPE, message_type="EMS211", file_name="CUS0000E010000202411041031050001.EMS"),
        result=HdeApprResult(etps_preent_no="202400000100000030", business_id="", tms_cnt="0", typecd="1",
                             manage_result=manage_result_for(["rejected", "manual_review"]),
                             manage_date=at(2024, 11, 4, 10, 31, 4), rmk="账册备案退单"),
        check_infos=(CheckInfo(etps_preent_no="202400000100000030", note=check_line("9101", "单损耗第1项 成品序号9")),
                     CheckInfo(etps_preent_no="202400000100000030", note=check_line("3402"))),
    )
    xml = build_ems_receipt(receipt)
    path = SNAPSHOTS / "ems211_return.xml"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1" or not path.exists():
        path.write_bytes(xml)
    assert xml.decode() == path.read_text(encoding="utf-8")


texts = st.text(st.characters(exclude_categories=("Cs", "Cc", "Cn", "Co")), max_size=30).map(str.strip)
times = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31)).map(
    lambda v: v.replace(microsecond=0, tzinfo=CHINA))


@settings(max_examples=60)
@given(
    result=st.builds(HdeApprResult, etps_preent_no=texts, business_id=texts, tms_cnt=texts, typecd=texts,
                     manage_result=st.sampled_from(list(table("inv201_manage_result"))),
                     manage_date=st.none() | times, rmk=texts),
    notes=st.lists(texts, max_size=3),
    head=st.none() | st.builds(BondInvtBsc, bond_invt_no=texts, rmk=texts, prevd_time=texts),
)
def test_inv201_round_trip(result, notes, head):
    receipt = Inv201Receipt(envelope=ENVELOPE, result=result, check_infos=tuple(CheckInfo(note=n) for n in notes),
                            head=head)
    assert parse_inv201(build_inv201(receipt)) == receipt


# ------------------------------------------------------------------------- codes and states

@pytest.mark.parametrize(
    ("code", "text", "state"),
    [("1", "通过(已核扣)", "verified"), ("2", "转人工", "manual_review"), ("3", "退单", "rejected"),
     ("4", "预核扣", "pre_verified"), ("5", "通过(未核扣)", "approved"), ("Y", "入库成功", "accepted"),
     ("Z", "入库失败", "failed")],
)
def test_inv201_manage_results(code, text, state):
    """INV201 manageResult codes (receipts.md §3, from data-interface's INV201_<code> options)."""
    assert code_text("inv201_manage_result", code) == text
    assert code_state("inv201_manage_result", code) == state
    assert state in STATES


def test_unknown_codes_read_as_unknown_and_imply_nothing():
    r = parse_inv201(sample("INV201_pass.xml").replace(b"<manageResult>1<", b"<manageResult>9<"))
    assert r.manage_result_text == "未知代码(9)" and r.implied_status is None


def test_check_lines():
    """The seed's form: ``[code] text, 退单|转岗``; own codes (9xxx) say so in codes.csv."""
    assert check_line("3349") == "[3349] 加工账册资质: 商务部前置审批开关开启, 企业必须申报表体, 退单"
    assert check_line("3402") == "[3402] 联网电子审核通过, 转岗"
    assert check_line("9103", "单损耗第2项") == "[9103] 损耗率应不小于0且小于100（单损耗第2项）, 退单"
    assert all("guanwu" in c.source for c in table("check_info").values() if c.code.startswith("9"))
    assert all("seed 001" in c.source for c in table("check_info").values() if c.code.startswith("3"))
    with pytest.raises(KeyError):
        check_line("0000")
    assert parse_check_line("[3402] 联网电子审核通过, 转岗").effect == "manual_review"
    assert parse_check_line("[1234] 其他检查，退单").effect == "rejected"
    assert parse_check_line("[9101] 单损耗的成品序号在成品表中不存在").effect == "rejected"  # by the table
    assert parse_check_line("随便写的备注").code == ""
    assert manage_result_for([]) == "1"
    assert manage_result_for(["approved", "manual_review"]) == "2"
    assert manage_result_for(["manual_review", "rejected", None]) == "3"


def test_receipt_field_names_are_the_customs_names():
    assert [camel(f.name) for f in dc.fields(BondInvtBsc)][:4] == ["bondInvtNo", "chgTmsCnt", "invtPreentNo",
                                                                    "putrecNo"]
    assert camel("invt_g_no") == "invtGNo" and camel("passport_used_typecd") == "passportUsedTypecd"


# ------------------------------------------------------------------------------ bad files

@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "回执为空"),
        (b"not xml", "回执不是格式正确的XML"),
        ("text", "回执内容应为字节串"),
        (b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><CommonResponeMessage>&e;</CommonResponeMessage>',
         "DTD"),
        (b"<DecImportResponse/>", "不认识的回执：根元素为DecImportResponse"),
        (b"<CommonResponeMessage><SeqNo>1</SeqNo></CommonResponeMessage>", "缺少处理标志(DealFlag)"),
        (b"<Package><EnvelopInfo/></Package>", "回执缺少报文头(EnvelopInfo)或业务数据"),
        (b"<Package><EnvelopInfo/><DataInfo><BussinessData><SAS221/></BussinessData></DataInfo></Package>",
         "不认识的回执类型：业务数据为SAS221"),
        (b"<Package><EnvelopInfo><message_type>INV202</message_type></EnvelopInfo><DataInfo><BussinessData>"
         b"<INV201/></BussinessData></DataInfo></Package>", "回执报文类型不一致"),
        (b"<Package><EnvelopInfo/><DataInfo><BussinessData><INV201><HdeApprResult/></INV201></BussinessData>"
         b"</DataInfo></Package>", "缺少处理结果(manageResult)"),
        (b"<Package><EnvelopInfo/><DataInfo><BussinessData><INV211/></BussinessData></DataInfo></Package>",
         "缺少清单表头(BondInvtBsc)"),
        (b"<Package><EnvelopInfo><send_time>yesterday</send_time></EnvelopInfo><DataInfo><BussinessData><INV202>"
         b"<InvApprResult><manageResult>1</manageResult></InvApprResult></INV202></BussinessData></DataInfo>"
         b"</Package>", "回执时间格式不正确：yesterday"),
        (b'<?xml version="1.0" encoding="GB2312"?><CommonResponeMessage>\xff\xff</CommonResponeMessage>',
         "GB编码"),
    ],
)
def test_bad_receipts_are_refused_in_chinese(raw, message):
    with pytest.raises(ReceiptError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_sas_receipt(raw)


def test_a_receipt_of_another_kind_is_not_taken_for_this_one():
    with pytest.raises(ReceiptError, match="不是INV202回执：实为INV201"):
        parse_inv202(sample("INV201_pass.xml"))
    with pytest.raises(ReceiptError, match="不是EMS201/EMS211回执"):
        parse_ems_receipt(sample("INV202.xml"))


def test_oversized_receipts_are_refused():
    big = b"<CommonResponeMessage><CheckInfo>" + b"x" * MAX_RECEIPT_BYTES + b"</CheckInfo></CommonResponeMessage>"
    with pytest.raises(ReceiptError, match="回执过大"):
        parse_sas_receipt(big)


@settings(max_examples=80)
@given(st.binary(max_size=300))
def test_random_bytes_never_raise_anything_but_receipt_error(raw):
    with contextlib.suppress(ReceiptError):
        parse_sas_receipt(raw)
