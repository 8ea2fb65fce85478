"""The customs simulator: intake, checks, receipts over time, reproducibility, commands."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from guanwu.gateway import folders
from guanwu.messages.dec import DecResult, ImportResponse, validate_dec_message
from guanwu.simulator import checks, engine
from guanwu.simulator.models import ArrivalReport, Manifest, SimDeclaration, SimState

from .conftest import dec_message, drop, receipt_files, receipts

pytestmark = pytest.mark.django_db

ENTRY_ID = re.compile(r"^\d{4}\d{4}[01]\d{9}$")


def _results(items) -> list[DecResult]:
    return [r for r in items if isinstance(r, DecResult)]


def test_fixture_message_is_valid_and_passes_the_checks(manifest):
    data = dec_message()
    assert validate_dec_message(data) == []
    from guanwu.messages.dec import parse_dec_message

    assert checks.check_declaration(parse_dec_message(data)) == []


def test_declared_to_accepted_released_closed(manifest):
    path = drop(dec_message())
    assert engine.run_until_idle() > 0
    assert not path.exists()
    assert (folders.folder(folders.SENT) / path.name).exists()

    got = receipts()
    response = got[0]
    assert isinstance(response, ImportResponse)
    assert response.ok and response.client_seq_no == "610193000100000001"
    assert len(response.seq_no) == 18 and response.seq_no.startswith("I")

    results = _results(got)
    assert [r.channel for r in results] == ["L", "P", "R"]
    assert [r.implied_status for r in results] == ["accepted", "released", "closed"]
    assert {r.seq_no for r in results} == {response.seq_no}
    entry_id = results[0].entry_id
    year = timezone.localtime().year
    assert ENTRY_ID.match(entry_id) and entry_id.startswith(f"2248{year}1")
    assert all(r.entry_id == entry_id for r in results)
    assert results[0].bill_no == "MEDUXY123456" and results[0].voyage_no == "FE446W"

    row = SimDeclaration.objects.get()
    assert row.state == SimState.CLOSED and row.next_event_at is None
    assert [h["event"] for h in row.history] == ["imported", "accepted", "released", "closed"]
    # Receipt files sort in the order they were written.
    names = [p.name for p in receipt_files()]
    assert names == sorted(names)


def test_export_entry_id_has_digit_0_and_seq_no_letter_e(manifest):
    drop(dec_message("610193000100000002", IEFlag="E"))
    engine.run_until_idle()
    response = receipts()[0]
    assert response.seq_no.startswith("E")
    accepted = _results(receipts())[0]
    assert accepted.entry_id[8] == "0"


def test_bad_xsd_gets_a_failed_import_response(manifest):
    data = dec_message(GrossWet="heavy")
    drop(data)
    engine.run_until_idle()
    got = receipts()
    assert len(got) == 1
    response = got[0]
    assert isinstance(response, ImportResponse) and not response.ok
    assert response.response_code == "1"
    assert "毛重" in response.error_message and response.error_message.startswith("报文校验未通过")
    assert SimDeclaration.objects.get().state == SimState.FAILED


def test_unreadable_file_is_answered_by_its_file_name():
    drop(b"this is not xml", name="DecMessage_610193000100000009.xml")
    engine.run_until_idle()
    (response,) = receipts()
    assert response.client_seq_no == "610193000100000009" and not response.ok
    assert not list(folders.folder(folders.OUTBOX).iterdir())


def test_failed_import_may_be_sent_again_corrected(manifest):
    drop(dec_message(GrossWet="heavy"))
    engine.run_until_idle()
    drop(dec_message(), name="DecMessage_610193000100000001.again.xml")
    engine.run_until_idle()
    responses = [r for r in receipts() if isinstance(r, ImportResponse)]
    assert [r.ok for r in responses] == [False, True]
    assert SimDeclaration.objects.get().state == SimState.CLOSED


def test_missing_manifest_for_sea_transport_is_rejected_with_0069():
    drop(dec_message(BillNo="NOSUCHBILL001"))
    engine.run_until_idle()
    got = receipts()
    assert isinstance(got[0], ImportResponse) and got[0].ok
    (result,) = _results(got)
    assert result.channel == "E" and result.implied_status == "rejected"
    assert "[0069] 提运单号在舱单中不存在" in result.note
    assert result.entry_id == ""
    assert SimDeclaration.objects.get().state == SimState.REJECTED


def test_air_transport_checks_manifest_and_road_does_not(db):
    Manifest.objects.create(bill_no="999-12345675", traf_mode="5", traf_name="CA1043")
    drop(dec_message("610193000100000011", TrafMode="5", BillNo="999-12345675"))
    drop(dec_message("610193000100000012", TrafMode="5", BillNo="999-00000000"))
    drop(dec_message("610193000100000013", TrafMode="4", BillNo=""))
    engine.run_until_idle()
    states = dict(SimDeclaration.objects.values_list("client_seq_no", "state"))
    assert states == {
        "610193000100000011": SimState.CLOSED, "610193000100000012": SimState.REJECTED,
        "610193000100000013": SimState.CLOSED,
    }


def test_house_bill_matches_its_master_bill(manifest):
    drop(dec_message(BillNo="MEDUXY123456_HB001"))
    engine.run_until_idle()
    assert SimDeclaration.objects.get().state == SimState.CLOSED


@pytest.mark.parametrize(
    ("head", "items", "licences", "expected"),
    [
        ({"TradeMode": "9999"}, None, None, "[0010] 表头 监管方式(TradeMode) 代码 9999 不存在"),
        ({}, {1: {"OriginCountry": "XXX"}}, None, "[0010] 第1项 原产国(地区)(OriginCountry) 代码 XXX 不存在"),
        ({}, {1: {"CodeTS": "8471309999"}}, None, "[0101] 第1项 商品编号(CodeTS) 8471309999 在商品税则中不存在"),
        ({}, {1: {"GModel": "0|0|便携式"}}, None, "[0102] 第1项 规格型号(GModel) 申报要素应为9项"),
        ({}, {2: {"FirstUnit": "001"}}, None, "[0103] 第2项 法定第一计量单位(FirstUnit) 应为007，实际为001"),
        ({}, {2: {"SecondQty": "0"}}, None, "[0104] 第2项"),
        ({"NetWt": "2000"}, None, None, "[0201] 净重(NetWt) 2000 大于毛重(GrossWet) 1520.5"),
        # 0204100000 (羔羊肉): 监管条件 "7AB" -> 自动进口许可证 needed on import
        ({}, "lamb", [], "[0301] 第1项 监管条件 7(自动进口许可证) 需随附单证(LicenseDocu)代码 7，未申报"),
    ],
)
def test_business_check_failures_are_rejected_with_coded_notes(manifest, head, items, licences, expected):
    if items == "lamb":
        items = {1: _lamb_item()}
    drop(dec_message(items=items, licences=licences, **head))
    engine.run_until_idle()
    (result,) = _results(receipts())
    assert result.channel == "E", result.note
    assert expected in result.note


def _lamb_item() -> dict[str, str]:
    from guanwu.params import services as params

    tariff = params.tariff_item("0204100000")
    assert tariff is not None and tariff.licence_codes == "7AB" and not tariff.second_unit
    return {
        "CodeTS": "0204100000", "FirstUnit": tariff.first_unit, "SecondUnit": "", "SecondQty": "0",
        "GModel": "|".join(["0", "0"] + ["x"] * (len(tariff.elements) - 2)), "GUnit": tariff.first_unit,
    }


def test_licence_condition_is_met_by_its_document_and_a_b_need_none(manifest):
    drop(dec_message(items={1: _lamb_item()}, licences=[("7", "AIL2024000123")]))
    engine.run_until_idle()
    assert [r.channel for r in _results(receipts())] == ["L", "P", "R"]


def test_export_licence_is_not_required_on_import():
    assert checks._licence_applies("4", "I") is False
    assert checks._licence_applies("4", "E") is True
    assert checks._licence_applies("7", "E") is False
    assert checks._licence_applies("L", "I") is True  # 药品进出口准许证: both directions
    assert checks._satisfied("4", {"x"}) and not checks._satisfied("4", {"7"})


def test_duplicate_client_seq_no_is_answered_with_the_same_seq_no_and_not_processed_twice(manifest):
    data = dec_message()
    drop(data)
    engine.run_until_idle()
    drop(data)  # the platform (or a confused operator) sends it again
    engine.run_until_idle()
    responses = [r for r in receipts() if isinstance(r, ImportResponse)]
    assert len(responses) == 2 and responses[0].seq_no == responses[1].seq_no
    assert [r.channel for r in _results(receipts())] == ["L", "P", "R"]
    row = SimDeclaration.objects.get()
    assert row.duplicates == 1
    assert len(list(folders.folder(folders.SENT).iterdir())) == 2


def test_inspection_and_rejection_rates(manifest, settings):
    settings.GUANWU_SIMULATOR_INSPECTION_RATE = 1
    drop(dec_message("610193000100000021"))
    engine.run_until_idle()
    assert [r.channel for r in _results(receipts())] == ["L", "I", "P", "R"]
    inspection = _results(receipts())[1]
    assert inspection.implied_status == "accepted" and "查验" in inspection.note

    settings.GUANWU_SIMULATOR_REJECTION_RATE = 1
    drop(dec_message("610193000100000022"))
    engine.run_until_idle()
    last = _results(receipts())[-1]
    assert last.channel == "v" and last.implied_status == "rejected"
    assert re.match(r"^\[\d{4}\] ", last.note)


def test_export_inspection_uses_c(manifest, settings):
    settings.GUANWU_SIMULATOR_INSPECTION_RATE = 1
    drop(dec_message("610193000100000023", IEFlag="E"))
    engine.run_until_idle()
    assert [r.channel for r in _results(receipts())] == ["L", "C", "P", "R"]


def test_decisions_are_reproducible_from_the_seed(settings):
    settings.GUANWU_SIMULATOR_INSPECTION_RATE = 0.5
    settings.GUANWU_SIMULATOR_REJECTION_RATE = 0.3
    numbers = [f"6101930001{n:08d}" for n in range(1, 41)]
    first = [engine.plan_for(n) for n in numbers]
    assert first == [engine.plan_for(n) for n in numbers]
    assert any(p["inspect"] for p in first) and not all(p["inspect"] for p in first)
    assert any(p["reject"] for p in first) and not all(p["reject"] for p in first)
    settings.GUANWU_SIMULATOR_SEED = "another"
    assert [engine.plan_for(n) for n in numbers] != first


def test_same_seed_same_outcomes_end_to_end(manifest, settings, tmp_path):
    settings.GUANWU_SIMULATOR_INSPECTION_RATE = 0.5
    settings.GUANWU_SIMULATOR_REJECTION_RATE = 0.3

    def run(directory: Path) -> dict[str, list[str]]:
        settings.GATEWAY_DIR = directory
        SimDeclaration.objects.all().delete()
        for n in range(1, 9):
            drop(dec_message(f"6101930001{n:08d}"))
        engine.run_until_idle()
        return {
            row.client_seq_no: [h.get("channel", "") for h in row.history]
            for row in SimDeclaration.objects.all()
        }

    assert run(tmp_path / "one") == run(tmp_path / "two")


def test_delays_are_respected(manifest, settings):
    settings.GUANWU_SIMULATOR_DELAY_SECONDS = 3
    start = timezone.now()
    drop(dec_message())
    engine.run_once(now=start)
    assert len(receipts()) == 1  # the import response only
    assert engine.run_once(now=start + dt.timedelta(seconds=2)) == 0
    assert engine.run_once(now=start + dt.timedelta(seconds=3)) == 1
    assert _results(receipts())[-1].channel == "L"
    assert engine.run_once(now=start + dt.timedelta(seconds=6)) == 1
    assert _results(receipts())[-1].channel == "P"


def test_temp_files_in_outbox_are_left_alone(manifest):
    outbox = folders.folder(folders.OUTBOX)
    (outbox / ".DecMessage_1.xml.abcd.tmp").write_bytes(b"partial")
    (outbox / "DecMessage_2.xml.tmp").write_bytes(b"partial")
    assert engine.run_once() == 0
    assert len(list(outbox.iterdir())) == 2


def test_simulator_imports_no_tenant_app():
    forbidden = ("guanwu.tenancy", "guanwu.declarations", "guanwu.datacenter", "guanwu.autodeclare",
                 "guanwu.processing", "guanwu.standards", "guanwu.crossborder", "guanwu.audit", "guanwu.jobs",
                 "guanwu.imports", "guanwu.accounts", "guanwu.gateway.models", "guanwu.gateway.services")
    root = Path(engine.__file__).parent
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                assert not name.startswith(forbidden), f"{path.name} imports {name}"


# ------------------------------------------------------------------------------------ commands


def test_commands_manifest_arrival_once_status(manifest):
    call_command("simulator", "manifest", "add", "--bill-no", "COSU6201234560", "--traf-mode", "2",
                 "--traf-name", "COSCO SHIPPING ARIES", "--voyage", "062E", "--gross-wt", "12500.5",
                 "--pack-no", "320", "--customs", "2248")
    m = Manifest.objects.get(bill_no="COSU6201234560")
    assert (m.traf_name, m.voyage_no, str(m.gross_wt.normalize()), m.pack_no) == (
        "COSCO SHIPPING ARIES", "062E", "12500.5", 320)
    call_command("simulator", "manifest", "add", "--bill-no", "COSU6201234560", "--voyage", "063E")
    assert Manifest.objects.get(bill_no="COSU6201234560").voyage_no == "063E"

    from io import StringIO

    out = StringIO()
    call_command("simulator", "manifest", "list", stdout=out)
    assert "COSU6201234560" in out.getvalue() and "水路运输" in out.getvalue()

    call_command("simulator", "arrival", "add", "--bill-no", "COSU6201234560", "--location", "洋山四期",
                 stdout=StringIO())
    report = ArrivalReport.objects.get()
    assert report.customs_code == "2248" and report.location == "洋山四期"
    out = StringIO()
    call_command("simulator", "arrival", "list", stdout=out)
    assert "COSU6201234560" in out.getvalue()

    drop(dec_message(BillNo="COSU6201234560"))
    out = StringIO()
    call_command("simulator", "once", stdout=out)
    assert "处理 2 项" in out.getvalue()  # import response + accepted
    out = StringIO()
    call_command("simulator", "status", stdout=out)
    assert "海关已接收 1" in out.getvalue()


def test_manifest_add_validates(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="运输方式代码"):
        call_command("simulator", "manifest", "add", "--bill-no", "X1", "--traf-mode", "Q")
    with pytest.raises(CommandError, match="毛重"):
        call_command("simulator", "manifest", "add", "--bill-no", "X1", "--gross-wt", "heavy")
    assert not Manifest.objects.exists()


def test_run_command_stops_on_keyboard_interrupt(manifest, monkeypatch):
    from io import StringIO

    calls = []

    def fake_run_once(now=None):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return 0

    monkeypatch.setattr(engine, "run_once", fake_run_once)
    out = StringIO()
    call_command("simulator", "run", "--interval", "0.01", stdout=out)
    assert len(calls) == 2 and "已停止" in out.getvalue()


def test_serve_runs_the_simulator():
    from guanwu.core.processes import SERVE_PROCESSES

    assert SERVE_PROCESSES["simulator"] == ["simulator", "run"]


def test_demo_manifests_are_idempotent(db):
    from guanwu.simulator.demo import DEMO_MANIFESTS, create_demo_manifests

    assert create_demo_manifests() == (len(DEMO_MANIFESTS), 3)
    assert create_demo_manifests() == (0, 0)
    assert set(Manifest.objects.values_list("bill_no", flat=True)) >= {
        "COSU6201234560", "MSKU7788990011", "999-12345675"}
    assert ArrivalReport.objects.count() == 3


def test_end_to_end_through_the_gateway(manifest, monkeypatch, django_capture_on_commit_callbacks):
    """Platform side played by a recording handler: enqueue -> simulator -> poll_inbox."""
    from django.db import transaction

    from guanwu.gateway import registry, services
    from guanwu.messages.dec import parse_receipt

    applied = []

    def handler(content: bytes, file_name: str) -> None:
        applied.append(parse_receipt(content))

    monkeypatch.setitem(registry._HANDLERS, "DecImportResponse", handler)
    monkeypatch.setitem(registry._HANDLERS, "DEC_RESULT", handler)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.enqueue("DecMessage", "610193000100000031", dec_message("610193000100000031"))
    for _ in range(10):
        engine.run_once()
        services.poll_once()
    assert [r.implied_status for r in applied] == ["declared", "accepted", "released", "closed"]
    assert sorted(p.name for p in folders.folder(folders.SENT).iterdir()) == ["DecMessage_610193000100000031.xml"]
    assert len(list(folders.folder(folders.DONE).iterdir())) == 4
    assert not list(folders.folder(folders.FAILED).iterdir())
