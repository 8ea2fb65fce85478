"""The customs side per message family (issue 14, point 2): the simulator routes each outbox file
by the message registry (a CEB order to the CEB side, issue 16); a file of a family without a
customs side yet, of no family at all, or not XML, gets a failure receipt in its family's
import-response form and the simulator goes on with the next DecMessage."""

from __future__ import annotations

from pathlib import Path

from guanwu.gateway import folders
from guanwu.messages.ceb import CEB304Message, parse_ceb
from guanwu.messages.dec import DecResult, ImportResponse, parse_receipt
from guanwu.messages.registry import identify
from guanwu.messages.sas import CommonResponse, build_inv101, parse_sas_receipt
from guanwu.simulator import engine
from guanwu.simulator.models import SimDeclaration, SimState
from tests.messages.sas.garment import inv101_import
from tests.simulator.conftest import dec_message, drop

CEB303 = Path(__file__).parents[1] / "messages" / "ceb" / "snapshots" / "ceb303_9710_order.xml"


def _inbox() -> dict[str, list]:
    """The receipts in inbox/ by family."""
    out: dict[str, list] = {"dec": [], "ceb": [], "sas": []}
    for path in folders.ready_files(folders.INBOX):
        data = path.read_bytes()
        family = identify(data).family_name
        out[family].append({"dec": parse_receipt, "ceb": parse_ceb, "sas": parse_sas_receipt}[family](data))
    return out


def test_other_families_and_strangers_get_a_failure_and_the_declaration_goes_on(manifest):
    drop(CEB303.read_bytes(), name="CEB303_YS202405060001.xml")
    drop(b"<Order><orderNo>1</orderNo></Order>", name="stranger.xml")
    drop(build_inv101(inv101_import()), name="INV101_1.xml")
    drop(b"\x00garbage<<", name="garbage.xml")
    drop(dec_message())  # the next DecMessage
    engine.run_until_idle()

    got = _inbox()
    # the CEB side (issue 16) takes the order: 2 电子口岸申报中, then 120 海关入库
    assert all(isinstance(r, CEB304Message) for r in got["ceb"])
    assert [(r.order_return[0].order_no, r.order_return[0].return_status) for r in got["ceb"]] == [
        ("YS202405060001", "2"), ("YS202405060001", "120")]
    # the INV101 is imported, then refused: its account book was never approved ([9200], simulator's own code)
    sas_response, inv201 = got["sas"]
    assert isinstance(sas_response, CommonResponse) and sas_response.ok
    assert inv201.result.manage_result == "3" and inv201.check_infos[0].note.startswith("[9200] ")

    responses = [r for r in got["dec"] if isinstance(r, ImportResponse)]
    failed = [r for r in responses if not r.ok]
    assert len(failed) == 2  # the stranger (unknown family) and the garbage
    assert any("不认识此报文：根元素为Order" in r.error_message for r in failed)
    assert [r.ok for r in responses].count(True) == 1
    results = [r for r in got["dec"] if isinstance(r, DecResult)]
    assert results[-1].implied_status == "closed"
    assert SimDeclaration.objects.get(client_seq_no="610193000100000001").state == SimState.CLOSED
    assert not list(folders.folder(folders.OUTBOX).iterdir())
    assert len(list(folders.folder(folders.SENT).iterdir())) == 5


def test_a_family_side_that_raises_is_refused_in_its_own_form(manifest, monkeypatch):
    from guanwu.simulator.families import ceb

    def boom(path, data, now):
        raise RuntimeError("意外")

    monkeypatch.setattr(ceb, "take", boom)
    drop(CEB303.read_bytes(), name="CEB303_YS202405060001.xml")
    drop(dec_message())
    engine.run_until_idle()
    got = _inbox()
    (receipt,) = got["ceb"]
    assert "模拟海关处理报文出错（RuntimeError）：意外" in receipt.order_return[0].return_info
    assert SimDeclaration.objects.get().state == SimState.CLOSED
