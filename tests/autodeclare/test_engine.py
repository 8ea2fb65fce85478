"""The engine: each check of a profile, waits retried next batch, rules, the batches and counters."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from guanwu.autodeclare import services
from guanwu.autodeclare.models import AgencyAgreement, AutoDeclaration, AutoStatus, Batch, Run, RunStatus
from guanwu.autodeclare.services import engine
from guanwu.core.errors import ServiceError
from guanwu.declarations.models import Declaration, DeclarationStatus
from guanwu.gateway.models import OutboxMessage
from tests.autodeclare.conftest import arrive, make_draft, make_manifest, profile_data

pytestmark = pytest.mark.django_db


def start(actor, profile, capture, enterprise_type="agent") -> Run:
    with capture(execute=True):
        run = services.start_run(actor, [profile.pk], enterprise_type)
    return Run.objects.get(pk=run.pk)


def next_batch(run: Run, capture) -> Run:
    """What the scheduled wake-up does after 统计时配置 (immediate mode keeps it in the schedule)."""
    Run.objects.filter(pk=run.pk).update(next_batch_at=timezone.now())
    from guanwu.autodeclare.services.engine import run_batch

    with capture(execute=True):
        run_batch(run.pk, run.batch_count + 1)
    return Run.objects.get(pk=run.pk)


def auto(declaration) -> AutoDeclaration:
    return AutoDeclaration.objects.get(declaration=declaration)


def marked(actor, **head):
    draft = make_draft(actor, **head)
    services.mark(actor, [draft.pk])
    return draft


def test_a_run_declares_matching_drafts_and_counts(enabled, django_capture_on_commit_callbacks):
    profile = services.create_profile(enabled, profile_data(enabled))
    first, second = marked(enabled), marked(enabled)
    unmarked = make_draft(enabled)
    imported = marked(enabled, kind="import")  # an import: the export profile does not apply
    run = start(enabled, profile, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.WAITING and run.batch_count == 1
    assert (run.total_succeeded, run.total_failed) == (2, 0)
    batch = Batch.objects.get(run=run)
    assert batch.batch_no.startswith("P") and len(batch.batch_no) == 20 and batch.total == 2
    for d in (first, second):
        a = auto(d)
        assert (a.auto_status, a.batch_no, a.profile_id) == (AutoStatus.SUCCEEDED, batch.batch_no, profile.pk)
        assert Declaration.objects.get(pk=d.pk).status == DeclarationStatus.DECLARED
        assert a.records.last().message.startswith("申报成功(自动)")
    assert Declaration.objects.get(pk=unmarked.pk).status == DeclarationStatus.DRAFT
    assert auto(imported).auto_status == AutoStatus.WAITING and not auto(imported).batch_no
    assert OutboxMessage.objects.count() == 2
    out = services.run_out(run)
    assert (out["batch_succeeded"], out["batch_failed"], out["total_succeeded"], len(out["batches"])) == (2, 0, 2, 1)
    assert out["seconds_to_next"] is not None and 0 < out["seconds_to_next"] <= 60


def test_manifest_missing_fails(enabled, django_capture_on_commit_callbacks):
    profile = services.create_profile(enabled, profile_data(enabled, manifest_required=True))
    draft = marked(enabled)
    start(enabled, profile, django_capture_on_commit_callbacks)
    a = auto(draft)
    assert a.auto_status == AutoStatus.FAILED and a.reason_code == "manifest_missing"
    assert "未查询到提运单号 COSU6201234560 的舱单数据" in a.reason
    assert Declaration.objects.get(pk=draft.pk).status == DeclarationStatus.DRAFT


def test_not_arrived_waits_outside_any_batch_and_is_declared_after_arrival(enabled,
                                                                            django_capture_on_commit_callbacks):
    """运抵后申报: a declaration not arrived waits in the pool with its reason, written once; it makes
    no batch (issue 11, point 7: no "0/0, 1 待申报" batch every interval)."""
    make_manifest(arrived=False)
    profile = services.create_profile(enabled, profile_data(enabled, manifest_required=True, arrival_required=True))
    draft = marked(enabled)
    run = start(enabled, profile, django_capture_on_commit_callbacks)
    a = auto(draft)
    assert (a.auto_status, a.reason_code, a.marked) == (AutoStatus.WAITING, "not_arrived", True)
    assert "尚未运抵" in a.reason
    assert run.batch_count == 0 and not Batch.objects.exists() and run.status == RunStatus.WAITING
    out = services.run_out(run)
    assert (out["batch_count"], out["batches"], out["waiting"]) == (0, [], 1)
    for _ in range(3):  # still not arrived: no batch, and the reason is not written again
        run = next_batch(run, django_capture_on_commit_callbacks)
    assert run.batch_count == 0 and not Batch.objects.exists()
    waits = a.records.filter(level="wait")
    assert waits.count() == 1 and waits.get().batch is None and "尚未运抵" in waits.get().message
    arrive("COSU6201234560")
    run = next_batch(run, django_capture_on_commit_callbacks)
    a = auto(draft)
    assert a.auto_status == AutoStatus.SUCCEEDED and run.batch_count == 1
    batch = Batch.objects.get(run=run)
    assert a.batch_no == batch.batch_no and (batch.total, batch.succeeded, batch.waited) == (1, 1, 0)
    assert [r.level for r in a.records.filter(level__in=("wait", "success"))] == ["wait", "success"]


def test_only_what_can_be_sent_makes_a_batch(enabled, django_capture_on_commit_callbacks):
    """Waiting declarations are left out of the batch of the others (and listed once with their reason)."""
    make_manifest(arrived=False)
    make_manifest("COSU6209999990")
    profile = services.create_profile(enabled, profile_data(enabled, manifest_required=True, arrival_required=True))
    waiting, ready = marked(enabled), marked(enabled, bill_no="COSU6209999990")
    run = start(enabled, profile, django_capture_on_commit_callbacks)
    batch = Batch.objects.get(run=run)
    assert (batch.total, batch.succeeded, batch.waited) == (1, 1, 0)
    assert auto(ready).auto_status == AutoStatus.SUCCEEDED
    assert auto(waiting).auto_status == AutoStatus.WAITING and not auto(waiting).batch_no
    assert services.run_out(run)["waiting"] == 1


def test_compare_mismatch_fails_with_the_differences(enabled, django_capture_on_commit_callbacks):
    make_manifest(gross="2500", pack=300)
    profile = services.create_profile(enabled, profile_data(enabled, compare_required=True))
    draft = marked(enabled)
    start(enabled, profile, django_capture_on_commit_callbacks)
    a = auto(draft)
    assert a.auto_status == AutoStatus.FAILED and a.reason_code == "mismatch"
    assert "毛重 报关单 2890 千克, 舱单 2500 千克" in a.reason and "件数 报关单 340, 舱单 300" in a.reason


def test_compare_within_tolerance_passes(enabled, django_capture_on_commit_callbacks):
    make_manifest(gross="2850")  # 1.4 % below the declared 2890 kg
    profile = services.create_profile(enabled, profile_data(enabled, compare_required=True))
    draft = marked(enabled)
    start(enabled, profile, django_capture_on_commit_callbacks)
    assert auto(draft).auto_status == AutoStatus.SUCCEEDED


def test_compare_flags_the_direction(enabled, django_capture_on_commit_callbacks):
    make_manifest(ie_flag="I")
    profile = services.create_profile(enabled, profile_data(enabled, compare_required=True))
    draft = marked(enabled)
    start(enabled, profile, django_capture_on_commit_callbacks)
    assert "进出口标志 报关单为出口, 舱单为进口" in auto(draft).reason


def test_self_paid_taxes_wait_until_confirmed(enabled, django_capture_on_commit_callbacks):
    from tests.autodeclare.test_tax import demo_rates

    demo_rates()
    profile = services.create_profile(enabled, profile_data(enabled, ie_flag="I"))
    draft = make_draft(enabled, kind="import")
    Declaration.objects.filter(pk=draft.pk).update(self_tax=True)
    services.mark(enabled, [draft.pk])
    run = start(enabled, profile, django_capture_on_commit_callbacks)
    a = auto(draft)
    assert (a.auto_status, a.reason_code) == (AutoStatus.WAITING, "tax_unconfirmed")
    services.confirm_tax(enabled, draft.pk)
    run = next_batch(run, django_capture_on_commit_callbacks)
    assert auto(draft).auto_status == AutoStatus.SUCCEEDED
    assert any("自报自缴税费已确认" in r.message for r in auto(draft).records.all())


def test_rules_failing_fail_with_every_error(enabled, django_capture_on_commit_callbacks):
    profile = services.create_profile(enabled, profile_data(enabled))
    draft = marked(enabled)
    Declaration.objects.filter(pk=draft.pk).update(trade_country="", gross_wet=None)
    start(enabled, profile, django_capture_on_commit_callbacks)
    a = auto(draft)
    assert a.auto_status == AutoStatus.FAILED and a.reason_code == "rules"
    assert a.reason.startswith("申报校验未通过") and "毛重" in a.reason
    assert Declaration.objects.get(pk=draft.pk).status == DeclarationStatus.DRAFT


def test_warnings_need_auto_confirm(enabled, django_capture_on_commit_callbacks, monkeypatch):
    from guanwu.declarations import rules

    def warn(data, findings, enterprise):
        findings.warn("note_s", "温馨提示: 请核对唛头")

    monkeypatch.setattr(rules, "_EXTRA_CHECKS", [*rules._EXTRA_CHECKS, warn])
    manual = services.create_profile(enabled, profile_data(enabled, auto_confirm=False))
    draft = marked(enabled)
    run = start(enabled, manual, django_capture_on_commit_callbacks)
    a = auto(draft)
    assert (a.auto_status, a.reason_code) == (AutoStatus.FAILED, "warnings")
    assert "存在1条温馨提示需手动确认" in a.reason
    services.stop_run(enabled, run.pk)
    services.update_profile(enabled, manual.pk, {"auto_confirm": True})
    services.requeue(enabled, [draft.pk])
    start(enabled, manual, django_capture_on_commit_callbacks)
    a = auto(draft)
    assert a.auto_status == AutoStatus.SUCCEEDED
    assert any(r.message.startswith("辅助确认温馨提示1条") for r in a.records.all())


def test_agency_agreement_generated_when_the_agent_is_not_the_trader(enabled, django_capture_on_commit_callbacks):
    client_code, client_scc = "1101910001", "91110000100001234U"
    auto_profile = services.create_profile(enabled, profile_data(enabled, auto_agreement=True))
    draft = marked(enabled, trade_code=client_code, trade_co_scc=client_scc, trade_name="北京客户有限公司",
                   owner_code=client_code, owner_code_scc=client_scc, owner_name="北京客户有限公司")
    start(enabled, auto_profile, django_capture_on_commit_callbacks)
    agreement = AgencyAgreement.objects.get(declaration=draft)
    assert agreement.automatic and agreement.data["principal"]["name"] == "北京客户有限公司"
    assert agreement.data["agent"]["code"] == enabled.enterprise.customs_code
    assert auto(draft).auto_status == AutoStatus.SUCCEEDED


def test_without_auto_agreement_the_agent_declaration_fails(enabled, django_capture_on_commit_callbacks):
    profile = services.create_profile(enabled, profile_data(enabled, auto_agreement=False))
    draft = marked(enabled, trade_code="1101910001", trade_co_scc="91110000100001234U", trade_name="北京客户有限公司")
    start(enabled, profile, django_capture_on_commit_callbacks)
    assert auto(draft).reason_code == "agreement_missing"
    services.generate(enabled, draft.pk)  # 手动生成 from the records page
    assert AgencyAgreement.objects.filter(declaration=draft, automatic=False).exists()


def test_profile_by_user_applies_to_that_users_marks(enabled, operator_actor_a, django_capture_on_commit_callbacks):
    profile = services.create_profile(enabled, profile_data(enabled, scope="user", user_ids=[operator_actor_a.user.pk]))
    mine = make_draft(enabled)
    services.mark(operator_actor_a, [mine.pk])
    other = marked(enabled)  # marked by the admin
    start(enabled, profile, django_capture_on_commit_callbacks)
    assert auto(mine).auto_status == AutoStatus.SUCCEEDED
    assert auto(other).auto_status == AutoStatus.WAITING and not auto(other).batch_no


def test_trade_runs_take_declarations_where_the_enterprise_is_the_trader(enabled, django_capture_on_commit_callbacks):
    profile = services.create_profile(enabled, profile_data(enabled, agent_code="",
                                                            trade_code=enabled.enterprise.customs_code))
    draft = marked(enabled)
    with pytest.raises(ServiceError) as refused:  # the profile names no 申报单位
        services.start_run(enabled, [profile.pk], "agent")
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("profile_ids", "预配置未设置申报单位, 不适用于所选生效企业类型: 出口自动申报")]
    assert not Run.objects.exists()
    start(enabled, profile, django_capture_on_commit_callbacks, enterprise_type="trade")
    assert auto(draft).auto_status == AutoStatus.SUCCEEDED


def test_one_active_run_and_stopping(enabled, django_capture_on_commit_callbacks):
    profile = services.create_profile(enabled, profile_data(enabled))
    marked(enabled)
    run = start(enabled, profile, django_capture_on_commit_callbacks)
    with pytest.raises(ServiceError) as exc:
        services.start_run(enabled, [profile.pk], "agent")
    assert exc.value.status == 409 and "已有正在执行的智能辅助申报" in exc.value.message
    services.stop_run(enabled, run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.STOPPED and run.stopped_by == enabled.user
    from guanwu.autodeclare.services.engine import run_batch

    assert run_batch.call_local(run.pk, 2) is None  # a wake-up of a stopped run does nothing


def test_manual_declaration_of_a_marked_draft_still_works(enabled, django_capture_on_commit_callbacks):
    from guanwu.core.errors import ServiceError
    from guanwu.declarations import services as declarations

    profile = services.create_profile(enabled, profile_data(enabled))
    draft = marked(enabled)
    with django_capture_on_commit_callbacks(execute=True):
        declarations.declare(enabled, draft.pk)
    assert auto(draft).auto_status == AutoStatus.MANUAL  # out of the pool
    with pytest.raises(ServiceError) as exc:  # nothing left to do: said, not a "第 0 批次"
        services.start_run(enabled, [profile.pk], "agent")
    assert exc.value.message.startswith("没有符合条件的报关单")
    assert not Run.objects.exists() and OutboxMessage.objects.count() == 1


def test_decimal_tolerance_setting(settings, enabled, django_capture_on_commit_callbacks):
    settings.GUANWU_AUTODECLARE_WEIGHT_TOLERANCE = "0.001"
    make_manifest(gross="2880")
    profile = services.create_profile(enabled, profile_data(enabled, compare_required=True))
    draft = marked(enabled)
    start(enabled, profile, django_capture_on_commit_callbacks)
    assert auto(draft).reason_code == "mismatch"
    assert engine.checks.weight_tolerance() == Decimal("0.001")


def test_the_agreement_is_listed_among_the_attached_documents(enabled, django_capture_on_commit_callbacks):
    import io
    import zipfile

    profile = services.create_profile(enabled, profile_data(enabled, auto_agreement=True))
    draft = marked(enabled, trade_code="1101910001", trade_co_scc="91110000100001234U", trade_name="北京客户有限公司")
    start(enabled, profile, django_capture_on_commit_callbacks)
    agreement = AgencyAgreement.objects.get(declaration=draft)
    document = Declaration.objects.get(pk=draft.pk).documents.get(edoc_code="10000001")
    assert document.edoc_cop_id == f"{agreement.agreement_no}.docx" and document.file
    with document.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        text = archive.read("word/document.xml").decode()
    assert "代理报关委托协议" in text and "北京客户有限公司" in text
    assert auto(draft).auto_status == AutoStatus.SUCCEEDED  # and it went with the DecMessage


def test_a_run_stops_when_the_service_is_switched_off(enabled, django_capture_on_commit_callbacks):
    """停用 stops the run: the next wake-up does nothing, and the engine would stop a run whose
    enterprise lost the setting some other way (Django admin) before opening a batch."""
    profile = services.create_profile(enabled, profile_data(enabled))
    marked(enabled)
    run = start(enabled, profile, django_capture_on_commit_callbacks)
    services.disable(enabled)
    run.refresh_from_db()
    assert run.status == RunStatus.STOPPED and run.stop_reason == "停用智能辅助申报"
    from guanwu.tenancy.models import Enterprise

    services.enable(enabled, accept_notice=True, accept_promise=True)
    marked(enabled)
    run = start(enabled, profile, django_capture_on_commit_callbacks)
    later = marked(enabled)
    Enterprise.objects.filter(pk=enabled.enterprise.pk).update(settings={"autodeclare_enabled": False})
    run = next_batch(run, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.STOPPED and run.stop_reason == "智能辅助申报已停用"
    assert auto(later).auto_status == AutoStatus.WAITING and run.batch_count == 1
