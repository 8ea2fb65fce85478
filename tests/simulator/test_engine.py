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
from guanwu.simulator.families import dec as dec_side
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


def export_manifest(bill_no: str = "COSU6201234560", arrived: bool = True) -> Manifest:
    """An export manifest matching the fixture message's 件数 and 毛重, with its 运抵报告."""
    manifest = Manifest.objects.create(bill_no=bill_no, traf_mode="2", traf_name="COSCO SHIPPING ARIES",
                                       voyage_no="042W", gross_wt="1520.5", pack_no=120, i_e_flag="E",
                                       customs_code="2248")
    if arrived:
        ArrivalReport.objects.create(bill_no=bill_no, customs_code="2248", location="洋山四期")
    return manifest


def test_export_entry_id_has_digit_0_and_seq_no_letter_e(db):
    export_manifest()
    drop(dec_message("610193000100000002", IEFlag="E", BillNo="COSU6201234560"))
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
    assert "[SIM-0069] 提运单号在舱单中不存在" in result.note
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
        ({"TradeMode": "9999"}, None, None, "[SIM-0010] 表头 监管方式(TradeMode) 代码 9999 不存在"),
        ({}, {1: {"OriginCountry": "XXX"}}, None, "[SIM-0010] 第1项 原产国(地区)(OriginCountry) 代码 XXX 不存在"),
        ({}, {1: {"CodeTS": "8471309999"}}, None, "[SIM-0101] 第1项 商品编号(CodeTS) 8471309999 在商品税则中不存在"),
        ({}, {1: {"GModel": "0|0|便携式"}}, None, "[SIM-0102] 第1项 规格型号(GModel) 申报要素应为9项"),
        ({}, {2: {"FirstUnit": "001"}}, None, "[SIM-0103] 第2项 法定第一计量单位(FirstUnit) 应为007，实际为001"),
        ({}, {2: {"SecondQty": "0"}}, None, "[SIM-0104] 第2项"),
        ({"NetWt": "2000"}, None, None, "[SIM-0201] 净重(NetWt) 2000 大于毛重(GrossWet) 1520.5"),
        # 0204100000 (羔羊肉): 监管条件 "7AB" -> 自动进口许可证 needed on import
        ({}, "lamb", [], "[SIM-0301] 第1项 监管条件 7(自动进口许可证) 需随附单证(LicenseDocu)代码 7，未申报"),
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


def test_export_licence_is_not_required_on_import(db):
    from guanwu.params import licence_conditions

    assert licence_conditions.direction("4") == "E" and licence_conditions.direction("7") == "I"
    assert licence_conditions.direction("L") == ""  # 药品进出口准许证: both directions
    codes = [n.code for n in licence_conditions.documents_needed("7AB4x", "I", "0110")]
    assert codes == ["7"]


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
    assert [r.channel for r in _results(receipts())] == ["L", "W", "P", "R"]
    inspection = _results(receipts())[1]
    assert inspection.implied_status == "accepted" and "查验" in inspection.note

    settings.GUANWU_SIMULATOR_REJECTION_RATE = 1
    drop(dec_message("610193000100000022"))
    engine.run_until_idle()
    last = _results(receipts())[-1]
    assert last.channel == "Z" and last.implied_status == "rejected"
    assert re.match(r"^\[SIM-\d{4}\] ", last.note)


def test_export_inspection_uses_c(db, settings):
    settings.GUANWU_SIMULATOR_INSPECTION_RATE = 1
    export_manifest()
    drop(dec_message("610193000100000023", IEFlag="E", BillNo="COSU6201234560"))
    engine.run_until_idle()
    assert [r.channel for r in _results(receipts())] == ["L", "C", "P", "R"]


def test_decisions_are_reproducible_from_the_seed(settings):
    settings.GUANWU_SIMULATOR_INSPECTION_RATE = 0.5
    settings.GUANWU_SIMULATOR_REJECTION_RATE = 0.3
    numbers = [f"6101930001{n:08d}" for n in range(1, 41)]
    first = [dec_side.plan_for(n) for n in numbers]
    assert first == [dec_side.plan_for(n) for n in numbers]
    assert any(p["inspect"] for p in first) and not all(p["inspect"] for p in first)
    assert any(p["reject"] for p in first) and not all(p["reject"] for p in first)
    settings.GUANWU_SIMULATOR_SEED = "another"
    assert [dec_side.plan_for(n) for n in numbers] != first


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
                 "--traf-name", "COSCO SHIPPING ARIES", "--voyage", "062E", "--gross-wt", "1520.5",
                 "--pack-no", "120", "--customs", "2248")
    m = Manifest.objects.get(bill_no="COSU6201234560")
    assert (m.traf_name, m.voyage_no, str(m.gross_wt.normalize()), m.pack_no) == (
        "COSCO SHIPPING ARIES", "062E", "1520.5", 120)
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
    from guanwu.simulator.demo import DEMO_ARRIVALS, DEMO_MANIFESTS, create_demo_manifests

    assert create_demo_manifests() == (len(DEMO_MANIFESTS), len(DEMO_ARRIVALS))
    assert create_demo_manifests() == (0, 0)
    assert set(Manifest.objects.values_list("bill_no", flat=True)) >= {
        "COSU6201234560", "MSKU7788990011", "999-12345675"}
    assert ArrivalReport.objects.count() == len(DEMO_ARRIVALS)


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


# ----------------------------------------------------------------- manifest, 运抵, trade mode


@pytest.mark.parametrize(("changes", "expected"), [
    ({"IEFlag": "E"}, "[SIM-0070] 提运单号MEDUXY123456为进口舱单, 与出口报关单不符"),
    ({"PackNo": "121"}, "[SIM-0071] 件数(PackNo) 121 与舱单件数 120 不符"),
    ({"GrossWet": "1700"}, "[SIM-0072] 毛重(GrossWet) 1700 与舱单毛重 1520.5 不符"),
])
def test_manifest_comparison_direction_packages_gross_weight(manifest, changes, expected):
    """舱单比对: customs matches a sea/air declaration with the manifest of its bill: the bill, the
    direction (进口舱单/出口舱单), 件数 exactly and 毛重 (the simulator's own 5 % tolerance)."""
    drop(dec_message(**changes))
    engine.run_until_idle()
    (result,) = _results(receipts())
    assert result.channel == "E" and expected in result.note, result.note


def test_manifest_weight_within_tolerance_and_house_bill_compares_direction_only(manifest):
    """A 毛重 within 5 % of the manifest's passes; a house bill (MASTER_HOUSE) found through its
    master bill is compared by direction only (the master's figures cover all its house bills)."""
    drop(dec_message("610193000100000041", GrossWet="1550"))
    drop(dec_message("610193000100000042", BillNo="MEDUXY123456_HB002", PackNo="3", GrossWet="40",
                     NetWt="35"))
    engine.run_until_idle()
    states = dict(SimDeclaration.objects.values_list("client_seq_no", "state"))
    assert set(states.values()) == {SimState.CLOSED}


def test_export_is_released_only_after_its_arrival_report(db):
    """An export's goods must have arrived at the supervised location (运抵报告) before customs
    releases them: without it the declaration is accepted and waits, sending nothing more."""
    export_manifest(arrived=False)
    drop(dec_message("610193000100000051", IEFlag="E", BillNo="COSU6201234560"))
    engine.run_until_idle()
    row = SimDeclaration.objects.get()
    assert row.state == SimState.ACCEPTED
    assert [r.channel for r in _results(receipts())] == ["L"]
    assert engine.run_until_idle() == 0  # waiting is no action
    ArrivalReport.objects.create(bill_no="COSU6201234560", customs_code="2248", location="洋山四期")
    engine.run_until_idle()
    assert [r.channel for r in _results(receipts())] == ["L", "P", "R"]
    assert [h["event"] for h in SimDeclaration.objects.get().history].count("awaiting_arrival") == 1


@pytest.mark.parametrize(("head", "expected"), [
    ({"TradeMode": "0615", "CutMode": "503"}, "[SIM-0401] 监管方式0615须填写备案号"),
    ({"ManualNo": "C22481234567"}, "[SIM-0401] 监管方式0110、征免性质101的报关单不应填写备案号"),
    ({"TradeMode": "0214", "CutMode": "101", "ManualNo": "B22481234567"}, "[SIM-0402] 监管方式0214的征免性质应为502"),
    ({"TradeMode": "0654", "CutMode": "503", "ManualNo": "C22481234567"}, "[SIM-0402] 监管方式0654为加工贸易结转"),
    ({"CutMode": ""}, "[SIM-0402] 监管方式0110须填写征免性质"),
])
def test_record_number_and_cut_mode_against_the_trade_mode(manifest, head, expected):
    """填制规范 备案号/征免性质: processing trade carries its 手册/账册 and 502/503, 结转 no
    征免性质, general trade 101 and no 备案号 (the shared tables of guanwu.params.trade_modes)."""
    drop(dec_message(**head))
    engine.run_until_idle()
    (result,) = _results(receipts())
    assert result.channel == "E" and expected in result.note, result.note


def test_export_licence_goes_in_licence_no(db):
    """填制规范 许可证号: 出口许可证 (4, x for processing trade) is declared in 许可证号, not as a
    随附单证: a frozen-chicken export (0207141100, 监管条件 7AB4x) without it is refused."""
    from guanwu.params import services as params

    export_manifest()
    tariff = params.tariff_item("0207141100")
    chicken = {"CodeTS": "0207141100", "FirstUnit": tariff.first_unit, "SecondUnit": "", "SecondQty": "",
               "GModel": "|".join(["0", "0"] + ["x"] * (len(tariff.elements) - 2)), "GUnit": tariff.first_unit}
    drop(dec_message("610193000100000061", IEFlag="E", BillNo="COSU6201234560", items={1: chicken}))
    drop(dec_message("610193000100000062", IEFlag="E", BillNo="COSU6201234560", LicenseNo="24-AA-123456",
                     items={1: chicken}))
    engine.run_until_idle()
    states = dict(SimDeclaration.objects.values_list("client_seq_no", "state"))
    assert states == {"610193000100000061": SimState.REJECTED, "610193000100000062": SimState.CLOSED}
    rejected = next(r for r in _results(receipts()) if r.channel == "E")
    assert "[SIM-0302] 第1项 监管条件 4(出口许可证) 需填报许可证号(LicenseNo)" in rejected.note


def test_every_rejection_code_is_labelled_as_the_simulators_own():
    """No public list of 报关单 退单 reason codes exists: every code the simulator writes is
    marked [SIM-nnnn] and described in checks.REASONS."""
    assert all(c.startswith("[SIM-") for c in checks.REASONS)
    assert all(reason.startswith("[SIM-") for reason in dec_side.RANDOM_REJECTIONS)
    source = Path(checks.__file__).read_text(encoding="utf-8") + Path(dec_side.__file__).read_text(encoding="utf-8")
    assert not re.search(r'"\[\d{4}\]', source)
