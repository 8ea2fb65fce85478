"""A marked declaration declared by hand (page or API) leaves the pool with a 申报记录 line, also
while a live batch has it queued or a worker holds it; it is never sent twice (issue 11, point 2)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from guanwu.autodeclare import services
from guanwu.autodeclare.models import AutoDeclaration, AutoStatus, Batch, Run
from guanwu.autodeclare.services import engine
from guanwu.core.errors import ServiceError
from guanwu.declarations import services as declarations
from guanwu.declarations.models import Declaration, DeclarationStatus
from guanwu.gateway.models import OutboxMessage
from guanwu.gateway.services import poll_once
from guanwu.simulator.engine import run_until_idle
from tests.autodeclare.conftest import make_draft, make_manifest, profile_data
from tests.conftest import token_client

pytestmark = pytest.mark.django_db


def auto(declaration) -> AutoDeclaration:
    return AutoDeclaration.objects.get(declaration_id=declaration.pk)


def sent_once(*drafts) -> None:
    numbers = [Declaration.objects.get(pk=d.pk).client_seq_no for d in drafts]
    assert len(set(numbers)) == len(drafts)
    assert OutboxMessage.objects.filter(key__in=numbers).count() == len(drafts) == OutboxMessage.objects.count()


def test_declared_through_the_api_leaves_the_pool(enabled, client_a, django_capture_on_commit_callbacks):
    """The issue's steps: ``POST /declarations/<id>/declare`` of a marked draft, customs closes it;
    the run page, the home widget and the API said 待申报 for ever, 取消标记 was refused and a new
    run showed "第 0 批次"."""
    make_manifest()
    profile = services.create_profile(enabled, profile_data(enabled))
    draft = make_draft(enabled)
    services.mark(enabled, [draft.pk])
    api = token_client("a_admin")
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(f"/api/v1/declarations/{draft.pk}/declare").status_code == 202
    with django_capture_on_commit_callbacks(execute=True):
        run_until_idle()
        poll_once()
    assert Declaration.objects.get(pk=draft.pk).status in (DeclarationStatus.RELEASED, DeclarationStatus.CLOSED)
    a = auto(draft)
    assert (a.auto_status, a.marked, a.reason_code) == (AutoStatus.MANUAL, False, "manual")
    line = a.records.get(reason_code="manual")
    assert "手动申报" in line.message and "退出智能辅助申报池" in line.message and line.user_name
    data = api.get(f"/api/v1/autodeclare/declarations/{draft.pk}").json()
    assert (data["auto_status"], data["auto_status_label"], data["marked"]) == ("manual", "已手动申报", False)
    assert api.get("/api/v1/autodeclare/declarations?status=waiting").json()["count"] == 0
    home = client_a.get("/").content.decode()
    widget = re.search(r'data-widget="autodeclare".*?gw-stat">(.*?)</div>', home, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", widget).strip() == "0"
    run_page = client_a.get(reverse("autodeclare:run")).content.decode()
    assert 'id="pool-waiting">0<' in run_page and "已手动申报" in run_page
    with pytest.raises(ServiceError) as exc:  # a new run: nothing to do, and it says so
        services.start_run(enabled, [profile.pk], "agent")
    assert exc.value.message.startswith("没有符合条件的报关单")
    sent_once(draft)


def test_declared_in_the_list_page_leaves_the_pool(enabled, client_a, django_capture_on_commit_callbacks):
    draft = make_draft(enabled)
    services.mark(enabled, [draft.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client_a.post(reverse("declarations:list"), {"action": "declare", "ids": [draft.pk]})
    assert Declaration.objects.get(pk=draft.pk).status == DeclarationStatus.DECLARED
    assert auto(draft).auto_status == AutoStatus.MANUAL
    records = client_a.get(reverse("autodeclare:records", args=[draft.pk])).content.decode()
    assert "已手动申报" in records and "退出智能辅助申报池" in records


def test_declared_by_hand_while_a_live_batch_has_it_queued(enabled, django_capture_on_commit_callbacks):
    """Queued in the batch, declared by hand before a worker took it: the batch counts it as
    已手动申报, the worker skips it, and it is sent once."""
    profile = services.create_profile(enabled, profile_data(enabled))
    drafts = [make_draft(enabled) for _ in range(3)]
    services.mark(enabled, [d.pk for d in drafts])
    with django_capture_on_commit_callbacks(execute=False):  # the worker has not started yet
        run = services.start_run(enabled, [profile.pk], "agent")
    batch = engine.start_batch(run.pk, 1)
    assert AutoDeclaration.objects.filter(queued_batch=batch).count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        declarations.declare(enabled, drafts[1].pk)
    a = auto(drafts[1])
    assert (a.auto_status, a.queued_batch_id, a.batch_id) == (AutoStatus.MANUAL, None, batch.pk)
    with django_capture_on_commit_callbacks(execute=True):
        engine.work(batch.pk)
    batch.refresh_from_db()
    assert batch.finished_at and (batch.total, batch.succeeded, batch.manual, batch.returned) == (3, 2, 1, 0)
    assert [auto(d).auto_status for d in drafts] == [AutoStatus.SUCCEEDED, AutoStatus.MANUAL, AutoStatus.SUCCEEDED]
    out = services.run_out(Run.objects.get(pk=run.pk))
    assert (out["batches"][0]["manual"], out["batches"][0]["done"], out["total_succeeded"]) == (1, 3, 2)
    sent_once(*drafts)


def test_declared_by_hand_while_a_worker_holds_it(enabled, django_capture_on_commit_callbacks):
    """Claimed by a worker (申报中) and declared by hand at that moment: the worker finds it
    declared, records it as 已手动申报 and sends nothing."""
    profile = services.create_profile(enabled, profile_data(enabled))
    draft = make_draft(enabled)
    services.mark(enabled, [draft.pk])
    with django_capture_on_commit_callbacks(execute=False):
        run = services.start_run(enabled, [profile.pk], "agent")
    batch = engine.start_batch(run.pk, 1)
    token = f"{engine.worker_id()}:test"
    assert engine._claim(batch, token) == [auto(draft).pk]
    with django_capture_on_commit_callbacks(execute=True):
        declarations.declare(enabled, draft.pk)
    assert auto(draft).auto_status == AutoStatus.DECLARING  # left to the worker that holds it
    context = engine.RunContext.load(Run.objects.get(pk=run.pk))
    with django_capture_on_commit_callbacks(execute=True):
        engine.handle(auto(draft).pk, batch, context, engine.run_actor(context.run), token, engine.get_source())
        engine.finish_if_done(batch.pk)
    a = auto(draft)
    assert (a.auto_status, a.marked) == (AutoStatus.MANUAL, False)
    assert "已通过其他方式申报" in a.records.get(level="manual").message
    assert Batch.objects.get(pk=batch.pk).manual == 1
    sent_once(draft)


def test_a_failed_marked_draft_declared_by_hand_leaves_the_pool(enabled, django_capture_on_commit_callbacks):
    profile = services.create_profile(enabled, profile_data(enabled, manifest_required=True))
    draft = make_draft(enabled, bill_no="NOSUCHBILL01")
    services.mark(enabled, [draft.pk])
    with django_capture_on_commit_callbacks(execute=True):
        services.start_run(enabled, [profile.pk], "agent")
    assert auto(draft).auto_status == AutoStatus.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        declarations.declare(enabled, draft.pk)
    assert (auto(draft).auto_status, auto(draft).marked) == (AutoStatus.MANUAL, False)
    with pytest.raises(ServiceError):
        services.requeue(enabled, [draft.pk])  # declared: nothing to put back


def test_a_row_the_engine_held_while_declared_by_hand_is_swept_out_of_the_pool(enabled,
                                                                              django_capture_on_commit_callbacks):
    """申报 by hand does not wait for a row the engine holds (no deadlock): when it skipped one, the
    engine's next look (the watchdog, the next batch) takes it out of the pool, so it never stays
    待申报."""
    profile = services.create_profile(enabled, profile_data(enabled))
    skipped, other, ready = make_draft(enabled), make_draft(enabled), make_draft(enabled)
    services.mark(enabled, [skipped.pk, other.pk, ready.pk])
    Declaration.objects.filter(pk=skipped.pk).update(status=DeclarationStatus.DECLARED)  # as if skipped
    engine.resume()  # the watchdog
    a = auto(skipped)
    assert (a.auto_status, a.marked) == (AutoStatus.MANUAL, False)
    assert "已通过其他方式申报 (当前状态: 已申报)" in a.records.get(reason_code="manual").message
    Declaration.objects.filter(pk=other.pk).update(status=DeclarationStatus.DECLARED)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(enabled, [profile.pk], "agent")  # its first batch looks again
    assert auto(other).auto_status == AutoStatus.MANUAL and auto(ready).auto_status == AutoStatus.SUCCEEDED
    assert Batch.objects.get(run=run).total == 1
