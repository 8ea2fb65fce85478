"""The official 202205 samples (copied into samples/): every export one parses into its records,
every import one is recognised by its root and read generically."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from guanwu.messages import ceb
from guanwu.messages.ceb.fields import CHINA
from tests.conftest import shared_file

SAMPLES = Path(__file__).with_name("samples")
EXPORT = sorted((SAMPLES / "export").glob("*.xml"))
IMPORT = sorted((SAMPLES / "import").glob("*.xml"))

# Official samples that do not meet the official XSD, and why (the parser reads them anyway).
INVALID_SAMPLES = {
    # BaseTransfer written twice
    **{f"CEB{n}Message.xml": "基础报文传输实体(BaseTransfer)：不应出现在此处"
       for n in (303, 403, 505, 507, 509, 603, 605, 607)},
    "CEB214Message.xml": "根元素应为出口业务报文",  # root CEB214, and an appSenderId element
    "CEB792Message.xml": "清单商品项号(gnum)：不应出现在此处",  # gnum before gseqno
}


def test_all_official_samples_are_here():
    """23 export samples (one per export message type) and 16 import ones."""
    assert len(EXPORT) == 23
    assert len(IMPORT) == 16
    assert {p.stem for p in EXPORT} == set(ceb.EXPORT_ROOTS)


@pytest.mark.parametrize("direction", ["export", "import"])
def test_the_copies_are_the_official_samples(direction):
    """Every file of the raw data's samples/<direction> (the official 202205 attachments) is here,
    byte for byte, so the parse tests below cover every official sample."""
    raw = shared_file(f"data/raw/ceb_spec_gacc_202205/samples/{direction}")
    official = {p.name: p.read_bytes() for p in raw.glob("*.xml")}
    copies = {p.name: p.read_bytes() for p in (SAMPLES / direction).glob("*.xml")}
    assert official and copies == official


@pytest.mark.parametrize("path", EXPORT, ids=[p.stem for p in EXPORT])
def test_every_official_export_sample_parses(path):
    raw = path.read_bytes()
    message = ceb.parse_ceb(raw)
    assert isinstance(message, ceb.MESSAGE_CLASSES[path.stem])
    assert getattr(ceb, f"parse_{path.stem.removesuffix('Message').lower()}")(raw) == message
    assert message.version == "1.0"
    assert len(message.guid) == 36
    records = [getattr(message, s) for s in ("order", "receipts", "logistics", "arrival", "departure", "inventory",
                                             "invt_cancel", "way_bill", "summary_apply", "invt_refund",
                                             "invt_refund_detail") if hasattr(message, s)]
    if records:  # data messages: the records and the transmitting enterprise
        assert records[0]
        assert message.base_transfer.dxp_mode == "DXP"
        assert message.base_transfer.cop_code == "1105910159"


@pytest.mark.parametrize("path", EXPORT, ids=[p.stem for p in EXPORT])
def test_official_samples_meet_the_xsd_except_the_known_deviations(path):
    """What the official samples get wrong, recorded so that a change in the XSD or the
    validator shows up here."""
    errors = ceb.validate_ceb(path.read_bytes())
    if path.name in INVALID_SAMPLES:
        assert errors and INVALID_SAMPLES[path.name] in errors[0]
    else:
        assert errors == []


def test_ceb303_sample_values():
    message = ceb.parse_ceb303((SAMPLES / "export" / "CEB303Message.xml").read_bytes())
    assert len(message.order) == 10
    head = message.order[0].order_head
    assert (head.order_type, head.order_no, head.ebp_code, head.currency) == ("E", "order2018050711340001",
                                                                              "1105910159", "142")
    assert head.app_time == dt.datetime(2018, 5, 7, 15, 30, 1, tzinfo=CHINA)
    assert head.goods_value == Decimal("12345678912345.12345")
    assert head.freight == 0
    line = message.order[0].order_list[0]
    assert (line.g_num, line.item_no, line.item_name, line.qty, line.price, line.total_price) == (
        1, "AF001-001", "小米盒子", Decimal(100), Decimal(20), Decimal(2000))
    assert message.signature.startswith('<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">')
    assert "sm2-sm3" in message.signature


def test_ceb603_sample_values():
    message = ceb.parse_ceb603((SAMPLES / "export" / "CEB603Message.xml").read_bytes())
    head = message.inventory[0].inventory_head
    assert head.ie_date == dt.date(2018, 5, 8)
    assert (head.pod, head.f_currency, head.f_flag, head.pack_no) == ("002", "142", "3", 9)
    assert (head.gross_weight, head.net_weight) == (Decimal("80.25"), Decimal("70.25"))
    assert head.iac_code == "" and head.invt_no == ""
    line = message.inventory[0].inventory_list[0]
    assert (line.g_code, line.qty1, line.qty2, line.unit2) == ("8541401000", Decimal(200), Decimal(300), "007")


def test_receipt_samples_values():
    order_return = ceb.parse_ceb304((SAMPLES / "export" / "CEB304Message.xml").read_bytes()).order_return[0]
    assert (order_return.order_no, order_return.return_status) == ("order2018050711340001", "2")
    assert order_return.return_time == dt.datetime(2018, 5, 7, 15, 30, 1, 1000, tzinfo=CHINA)
    assert ceb.return_status_text(order_return.return_status) == "电子口岸申报中"
    summary = ceb.parse_ceb702((SAMPLES / "export" / "CEB702Message.xml").read_bytes()).summary_return[0]
    assert (summary.sum_no, summary.msg_seq_no) == ("S20180507000000001", 1)


def test_ceb792_sample_is_read_whatever_the_element_order():
    """The sample writes gnum before gseqno (the XSD wants gseqno first) and omits gseqno."""
    result = ceb.parse_ceb792((SAMPLES / "export" / "CEB792Message.xml").read_bytes()).summary_result[0]
    assert result.summary_result_head.decl_seq_no == "S20180508000000001"
    assert result.summary_result_head.dec_state == "A"
    assert [(r.g_num, r.g_seq_no, r.g_code) for r in result.summary_result_list] == [
        (1, None, "8541401000"), (2, None, "8541401001")]


def test_ceb214_sample_root_alias_is_read():
    """The official CEB214 sample's root is CEB214 (not CEB214Message) and carries appSenderId,
    which no XSD defines: read as CEB214Message, the unknown element ignored."""
    message = ceb.parse_ceb214((SAMPLES / "export" / "CEB214Message.xml").read_bytes())
    assert isinstance(message, ceb.CEB214Message)
    assert len(message.refund_return) == 10
    assert message.refund_return[0].co_el_no == "Cop20220407001"
    assert ceb.ROOT_ALIASES == {"CEB214": "CEB214Message"}
    assert "CEB214" not in ceb.ROOTS  # ROOTS lists the XSD's roots only


def test_duplicated_base_transfer_reads_the_first():
    message = ceb.parse_ceb303((SAMPLES / "export" / "CEB303Message.xml").read_bytes())
    assert message.base_transfer.dxp_id == "DXPLGS0000000001"


@pytest.mark.parametrize("path", IMPORT, ids=[p.stem for p in IMPORT])
def test_every_official_import_sample_is_recognised_and_read(path):
    raw = path.read_bytes()
    document = ceb.read_ceb(raw)
    assert document.root == path.stem
    assert ceb.ROOTS[document.root] == document.message_type == path.stem.removesuffix("Message")
    assert document.direction == "import"
    assert document.version == "1.0"
    assert document.records
    with pytest.raises(ceb.CebParseError, match=f"{path.stem}是进口业务报文"):
        ceb.parse_ceb(raw)


def test_import_order_sample_reads_its_batch_numbers():
    """CEB311 OrderHead/batchNumbers (商品批次号) is the only batch-number element of the whole CEB
    spec (the export messages carry none); read generically."""
    document = ceb.read_ceb((SAMPLES / "import" / "CEB311Message.xml").read_bytes())
    element, fields = document.records[0]
    assert element == "Order"
    assert fields["order_head"][0]["order_no"] == "order20160321116421002"
    assert fields["order_head"][0]["batch_numbers"] == "20160317"
    assert fields["order_list"][0]["g_num"] == "1"


def test_export_samples_read_generically_too():
    document = ceb.read_ceb((SAMPLES / "export" / "CEB603Message.xml").read_bytes())
    assert (document.message_type, document.direction) == ("CEB603", "export")
    assert [name for name, _ in document.records] == ["Inventory"] * 10
    assert document.records[0][1]["inventory_head"][0]["trade_mode"] == "0101"
