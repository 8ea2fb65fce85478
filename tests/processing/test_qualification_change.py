"""变更 of an approved 企业资质申请 (seed 001 四 6: 数据查询's 修改 opens it for change): as a book's
变更 — editable again, 申报 with 申报类型 2-变更, 变更次数 +1 (once per change, a re-declare after 退单
keeps it), the 档案库编号 kept, each declared state kept as a version; the simulator accepts it."""

from __future__ import annotations

import datetime as dt

import pytest

from guanwu.core.errors import ServiceError
from guanwu.gateway.services import flush_outbox, poll_inbox
from guanwu.messages import sas
from guanwu.processing import services
from guanwu.processing.models import QualificationApplication, QualificationVersion, Status
from guanwu.simulator import engine

from . import garment_book as gb

pytestmark = pytest.mark.django_db
ARCRP = "IE0102190002"
QUAL_HEAD = {"finish_valid_date": "2026-12-31", "prcs_prdc_ablt_amt": "100", "master_cuscd": "9001",
             "qua_typecd": "1"}
ROW = {"gds_mtno": "1", "gdecd": "4421100090", "gds_nm": "出差", "dcl_unitcd": "035", "dcl_uprc_amt": "4",
       "dcl_currcd": "CNY", "dcl_qty": "4"}


def approved(actor) -> QualificationApplication:
    app = services.create_application(actor, QUAL_HEAD)
    services.save_goods(actor, app.pk, "I", ROW)
    app = services.declare_application(actor, app.pk)
    seq = gb.seq_no()
    services.apply_sas_receipt(gb.common_response(app.etps_preent_no, seq))
    services.apply_sas_receipt(gb.ems_receipt("EMS201", seq, "1", ARCRP))
    return QualificationApplication.objects.get(pk=app.pk)


def test_change_counts_up_once_keeps_the_archive_number_and_versions(actor_a):
    app = approved(actor_a)
    assert app.status == Status.APPROVED and app.chg_tms_cnt == 0 and app.dcl_typecd == "1"
    with pytest.raises(ServiceError) as exc:
        services.update_application(actor_a, app.pk, {"rmk": "x"})
    assert exc.value.status == 409
    app = services.start_application_change(actor_a, app.pk)
    assert app.status == Status.DRAFT and app.change_pending
    services.update_application(actor_a, app.pk, {"prcs_prdc_ablt_amt": "200"})
    app = services.declare_application(actor_a, app.pk)
    assert (app.dcl_typecd, app.chg_tms_cnt, app.netwk_etps_arcrp_no) == ("2", 1, ARCRP)
    assert b"<ChgTmsCnt>1</ChgTmsCnt>" in services.application_message(actor_a, app.pk)
    # returned by customs, corrected and declared again: still the first 变更
    seq = gb.seq_no()
    services.apply_sas_receipt(gb.ems_receipt("EMS201", seq, "3", ARCRP, ("[3349] 退单",)))
    app.refresh_from_db()
    assert app.status == Status.REJECTED
    assert services.declare_application(actor_a, app.pk).chg_tms_cnt == 1
    services.apply_sas_receipt(gb.ems_receipt("EMS201", gb.seq_no(), "1", ARCRP))
    app.refresh_from_db()
    assert app.status == Status.APPROVED and not app.change_pending and app.chg_appr_time is not None
    versions = list(services.application_versions(actor_a, app.pk).values_list("chg_tms_cnt", "status"))
    assert versions == [(1, Status.APPROVED), (0, Status.APPROVED)]
    assert QualificationVersion.objects.get(application=app, chg_tms_cnt=1).snapshot["head"]["prcs_prdc_ablt_amt"] \
        == "200.00000"
    # the second 变更 counts on
    services.start_application_change(actor_a, app.pk)
    assert services.declare_application(actor_a, app.pk).chg_tms_cnt == 2


def test_only_an_approved_application_can_be_changed(actor_a, actor_b):
    app = services.create_application(actor_a, QUAL_HEAD)
    with pytest.raises(ServiceError) as exc:
        services.start_application_change(actor_a, app.pk)
    assert exc.value.status == 409 and "只有审批通过的申请可以变更" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        services.start_application_change(actor_b, approved(actor_a).pk)
    assert exc.value.status == 404


def test_change_through_the_simulator_is_approved(actor_a):
    """simulator/sas_checks.check_qualification: a 变更 (DclTypecd 2) of a known 档案库编号 with the next
    变更次数 passes (9113 only for an unknown number, 9112 for a wrong count)."""
    now = dt.datetime(2024, 11, 5, 2, 0, tzinfo=dt.UTC)

    def exchange() -> None:
        flush_outbox()
        engine.run_until_idle(now=now)
        poll_inbox()

    app = services.create_application(actor_a, QUAL_HEAD)
    services.save_goods(actor_a, app.pk, "I", ROW)
    services.declare_application(actor_a, app.pk)
    exchange()
    app.refresh_from_db()
    assert app.status == Status.APPROVED and app.netwk_etps_arcrp_no, list(app.receipts.values_list("check_infos"))
    number = app.netwk_etps_arcrp_no
    services.start_application_change(actor_a, app.pk)
    services.save_goods(actor_a, app.pk, "E", {**ROW, "gds_mtno": "2"})
    services.declare_application(actor_a, app.pk)
    exchange()
    app.refresh_from_db()
    assert app.status == Status.APPROVED, list(app.receipts.values_list("check_infos"))
    assert app.chg_tms_cnt == 1 and app.netwk_etps_arcrp_no == number


def test_change_button_and_page(client_a, actor_a):
    app = approved(actor_a)
    page = client_a.get(f"/processing/qualifications/{app.pk}/").content.decode()
    assert 'data-action="change"' in page
    assert 'data-action="change"' not in client_a.get(f"/processing/qualifications/{app.pk}/?view=1").content.decode()
    assert client_a.post(f"/processing/qualifications/{app.pk}/change/").status_code == 302
    app.refresh_from_db()
    assert app.status == Status.DRAFT and app.change_pending
    page = client_a.get(f"/processing/qualifications/{app.pk}/").content.decode()
    assert 'data-action="declare"' in page and 'data-action="change"' not in page


def _approval(seq: str, when: dt.datetime) -> bytes:
    """EMS201 1 审批通过 with 档案库编号 ARCRP, dated ``when`` (HdeApprResult manageDate)."""
    return sas.build_ems_receipt(sas.EmsReceipt(
        envelope=gb.receipt_envelope("EMS201", ARCRP),
        result=sas.HdeApprResult(etps_preent_no=seq, business_id=ARCRP, tms_cnt="0", typecd="1",
                                 manage_result="1", manage_date=when, rmk="")))


def test_approval_date_is_the_record_date_then_the_change_date_receipts_ems(actor_a):
    """services/receipts.py ``_ems`` (a 备案 sets 备案批准日期 PutrecApprTime, a 变更 (变更次数 > 0) sets
    变更批准日期 ChgApprTime, both 返填 from the receipt's manageDate: nems_fields.csv head
    PutrecApprTime/ChgApprTime, receipts.md §3 manageDate): the first approval fills the record
    date only; a change approval fills the change date and keeps the record date."""
    app = services.create_application(actor_a, QUAL_HEAD)
    services.save_goods(actor_a, app.pk, "I", ROW)
    app = services.declare_application(actor_a, app.pk)
    seq = gb.seq_no()
    services.apply_sas_receipt(gb.common_response(app.etps_preent_no, seq))
    recorded = dt.datetime(2024, 11, 5, 9, 30, tzinfo=dt.UTC)
    services.apply_sas_receipt(_approval(seq, recorded))
    app.refresh_from_db()
    assert (app.putrec_appr_time, app.chg_appr_time) == (recorded, None)
    services.start_application_change(actor_a, app.pk)
    services.declare_application(actor_a, app.pk)
    changed = dt.datetime(2024, 12, 2, 15, 0, tzinfo=dt.UTC)
    services.apply_sas_receipt(_approval(seq, changed))
    app.refresh_from_db()
    assert app.chg_tms_cnt == 1 and (app.putrec_appr_time, app.chg_appr_time) == (recorded, changed)


def test_receipt_approves_the_version_of_its_change_only_receipts_ems(actor_a):
    """services/receipts.py ``_ems`` (the QualificationVersion of the application's 变更次数 becomes
    审核通过 with the approval time; the module doc: each declared state kept as a version): the
    approval of 变更 1 approves version 1 and leaves version 0 as its own approval left it."""
    app = approved(actor_a)
    first = QualificationVersion.objects.get(application=app, chg_tms_cnt=0)
    assert first.status == Status.APPROVED and first.approved_at == app.approved_at
    services.start_application_change(actor_a, app.pk)
    services.update_application(actor_a, app.pk, {"prcs_prdc_ablt_amt": "200"})
    services.declare_application(actor_a, app.pk)
    assert QualificationVersion.objects.get(application=app, chg_tms_cnt=1).status == Status.DECLARED
    services.apply_sas_receipt(gb.ems_receipt("EMS201", gb.seq_no(), "1", ARCRP))
    app.refresh_from_db()
    change = QualificationVersion.objects.get(application=app, chg_tms_cnt=1)
    assert change.status == Status.APPROVED and change.approved_at == app.approved_at
    assert QualificationVersion.objects.get(pk=first.pk).approved_at == first.approved_at
