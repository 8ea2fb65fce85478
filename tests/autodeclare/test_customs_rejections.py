"""退单 by customs of what a batch sent: the customs status beside the auto status on 执行, 查询 and
the desk and in the API, counted on the desk and the run, and offered in 继续智能辅助申报 after
correction (issue 11, point 4)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from guanwu.autodeclare import services
from guanwu.autodeclare.models import AutoDeclaration, AutoStatus, Batch, Run
from guanwu.core.errors import ServiceError
from guanwu.declarations import services as declarations
from guanwu.declarations.models import Declaration, DeclarationStatus
from guanwu.gateway.models import OutboxMessage
from guanwu.gateway.services import poll_once
from guanwu.simulator.engine import run_until_idle
from tests.autodeclare.conftest import make_draft, make_manifest, profile_data
from tests.autodeclare.test_stop_counts import next_batch
from tests.conftest import token_client

pytestmark = pytest.mark.django_db


def customs_answers(capture) -> None:
    with capture(execute=True):
        run_until_idle()
        poll_once()


@pytest.fixture
def rejected_batch(enabled, django_capture_on_commit_callbacks):
    """Three declarations sent by one batch (the profile checks no manifest); customs sends two
    back with "[0069] 提运单号在舱单中不存在" (退单) and releases the third."""
    make_manifest()  # COSU6201234560
    profile = services.create_profile(enabled, profile_data(enabled))
    wrong = [make_draft(enabled, bill_no="COSU6209999999") for _ in range(2)]
    good = make_draft(enabled)
    services.mark(enabled, [d.pk for d in (*wrong, good)])
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(enabled, [profile.pk], "agent")
    customs_answers(django_capture_on_commit_callbacks)
    assert [Declaration.objects.get(pk=d.pk).status for d in wrong] == [DeclarationStatus.REJECTED] * 2
    assert Declaration.objects.get(pk=good.pk).status in (DeclarationStatus.RELEASED, DeclarationStatus.CLOSED)
    return {"run": Run.objects.get(pk=run.pk), "wrong": wrong, "good": good, "batch": Batch.objects.get(run=run)}


def badge(html: str, pk: int) -> tuple[str, str]:
    """(智能申报状态, 海关状态) of a declaration's row."""
    row = re.search(rf'<tr data-pk="{pk}".*?</tr>', html, re.S)
    assert row, pk
    auto = re.search(r'data-auto-status="\w+">([^<]+)<', row.group(0)).group(1)
    customs = re.search(r'data-customs-status="\w+">([^<]+)<', row.group(0))
    return auto, customs.group(1) if customs else "-"


def test_the_customs_status_is_shown_beside_the_auto_status(rejected_batch, client_a):
    """The issue: 11 of 200 declarations 退单 still showed a green "申报成功(自动)" and nothing else."""
    wrong, good = rejected_batch["wrong"], rejected_batch["good"]
    run_page = client_a.get(reverse("autodeclare:run")).content.decode()
    autos = {a.declaration_id: a.pk for a in AutoDeclaration.objects.all()}
    query = client_a.get(reverse("autodeclare:query")).content.decode()
    for d in wrong:  # both lists show AutoDeclaration rows
        assert badge(run_page, autos[d.pk]) == ("申报成功(自动)", "退单")
        assert badge(query, autos[d.pk]) == ("申报成功(自动)", "退单")
    assert badge(run_page, autos[good.pk])[1] in ("放行", "结关")
    assert "海关状态" in run_page and "海关状态" in query
    detail = client_a.get(reverse("autodeclare:desk-batch", args=[rejected_batch["batch"].pk])).content.decode()
    assert detail.count('data-customs-status="rejected"') == 2 and "提运单号在舱单中不存在" in detail
    api = token_client("a_admin")
    data = api.get(f"/api/v1/autodeclare/declarations/{wrong[0].pk}").json()
    assert (data["auto_status"], data["customs_status"], data["customs_status_label"], data["customs_rejected"]) == (
        "succeeded", "rejected", "退单", True)
    assert "0069" in data["reject_reason"]
    assert api.get(f"/api/v1/autodeclare/declarations/{good.pk}").json()["customs_rejected"] is False


def test_rejections_are_counted_on_the_desk_and_the_run(rejected_batch, client_a):
    run, batch = rejected_batch["run"], rejected_batch["batch"]
    out = services.run_out(run)
    assert (out["total_succeeded"], out["total_rejected"]) == (3, 2)
    assert (out["batches"][0]["succeeded"], out["batches"][0]["rejected"]) == (3, 2)
    assert "退单" in AutoDeclaration.objects.get(declaration=rejected_batch["wrong"][0]).records.get(
        level="rejected").message
    run_page = client_a.get(reverse("autodeclare:run")).content.decode()
    assert 'id="total-rejected">2<' in run_page
    desk = client_a.get(reverse("autodeclare:desk")).content.decode()
    assert 'data-count="rejected">2<' in desk
    row = re.search(rf'<tr data-pk="{batch.pk}".*?</tr>', desk, re.S).group(0)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[4:7] == ["3", "3", "2"]  # 报关单数, 成功, 其中退单
    detail = client_a.get(reverse("autodeclare:desk-batch", args=[batch.pk])).content.decode()
    assert 'id="desk-rejected">2<' in detail
    api = token_client("a_admin")
    assert api.get(f"/api/v1/autodeclare/batches/{batch.pk}").json()["rejected"] == 2
    assert api.get("/api/v1/autodeclare/batches").json()["results"][0]["rejected"] == 2


def test_corrected_rejections_go_back_through_continue(rejected_batch, client_a, django_capture_on_commit_callbacks):
    """继续智能辅助申报 offers them; after correction they are sent again, with new ClientSeqNos."""
    wrong, run = rejected_batch["wrong"], rejected_batch["run"]
    first_numbers = {Declaration.objects.get(pk=d.pk).client_seq_no for d in wrong}
    detail = client_a.get(reverse("autodeclare:desk-batch", args=[rejected_batch["batch"].pk])).content.decode()
    assert "继续智能辅助申报 (2)" in detail
    records = client_a.get(reverse("autodeclare:records", args=[wrong[0].pk])).content.decode()
    assert "继续智能辅助申报</button>" in records
    with pytest.raises(ServiceError):  # released: not offered
        services.requeue(run_actor(rejected_batch), [rejected_batch["good"].pk])
    for d in wrong:  # the correction: the bill no. customs found in its manifests
        declarations.update_draft(run_actor(rejected_batch), d.pk, {"bill_no": "COSU6201234560"})
    autos = [AutoDeclaration.objects.get(declaration=d).pk for d in wrong]
    response = client_a.post(reverse("autodeclare:query"), {"action": "requeue", "ids": autos}, follow=True)
    assert "已重新加入智能辅助申报池 2 条" in response.content.decode()
    assert {a.auto_status for a in AutoDeclaration.objects.filter(pk__in=autos)} == {AutoStatus.WAITING}
    run = next_batch(run, django_capture_on_commit_callbacks)
    assert {a.auto_status for a in AutoDeclaration.objects.filter(pk__in=autos)} == {AutoStatus.SUCCEEDED}
    customs_answers(django_capture_on_commit_callbacks)
    again = [Declaration.objects.get(pk=d.pk) for d in wrong]
    assert all(d.status in (DeclarationStatus.RELEASED, DeclarationStatus.CLOSED) for d in again)
    assert not first_numbers & {d.client_seq_no for d in again}
    assert OutboxMessage.objects.count() == 5  # 3 first, 2 again: nothing twice
    out = services.run_out(run)
    assert (out["batches"][0]["rejected"], out["batches"][1]["rejected"], out["total_rejected"]) == (2, 0, 2)


def run_actor(scene):
    from guanwu.autodeclare.services.engine import run_actor as actor_of

    return actor_of(scene["run"])
