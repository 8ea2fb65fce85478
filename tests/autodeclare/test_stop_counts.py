"""停止申报 in the middle of a batch: the batch counts what it did and what went back to the pool,
and every page, the API, the notification and the e-mail show the same totals (issue 11, point 3);
停用 stops a live run at once (point 6)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from guanwu.autodeclare import services
from guanwu.autodeclare.models import AutoDeclaration, AutoStatus, Batch, Notification, Run, RunStatus
from guanwu.autodeclare.services import engine, notifications
from guanwu.gateway.models import OutboxMessage
from tests.autodeclare.conftest import make_draft, profile_data
from tests.conftest import token_client

pytestmark = pytest.mark.django_db
FIRST, SECOND, STOP_AFTER = 3, 8, 3


def mark_drafts(actor, count: int) -> list[int]:
    ids = [make_draft(actor).pk for _ in range(count)]
    services.mark(actor, ids)
    return ids


def next_batch(run: Run, capture) -> Run:
    Run.objects.filter(pk=run.pk).update(next_batch_at=timezone.now())
    from guanwu.autodeclare.services.engine import run_batch

    with capture(execute=True):
        run_batch(run.pk, run.batch_count + 1)
    return Run.objects.get(pk=run.pk)


def act_after(monkeypatch, count: int, action) -> None:
    """A user acts (停止申报, 停用) while the worker is in the middle of the batch: right after it
    handled ``count`` declarations."""
    original, done = engine.handle, []

    def handle(*args, **kwargs):
        original(*args, **kwargs)
        done.append(1)
        if len(done) == count:
            action()

    monkeypatch.setattr(engine, "handle", handle)


@pytest.fixture
def stopped_mid_batch(enabled, monkeypatch, django_capture_on_commit_callbacks):
    """Batch 1 declares 3; batch 2 has 8 and is stopped after 3: 5 go back to the pool."""
    notifications.update_settings(enabled, {"email_enabled": True, "email_to": "ops@example.com"})
    profile = services.create_profile(enabled, profile_data(enabled))
    mark_drafts(enabled, FIRST)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(enabled, [profile.pk], "agent")
    mark_drafts(enabled, SECOND)
    act_after(monkeypatch, STOP_AFTER, lambda: services.stop_run(enabled, run.pk))
    run = next_batch(Run.objects.get(pk=run.pk), django_capture_on_commit_callbacks)
    return run


def text_of(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html)
    assert found, element_id
    return found.group(1).strip()


def test_the_batch_counts_what_it_did_and_what_went_back(stopped_mid_batch):
    run = stopped_mid_batch
    assert run.status == RunStatus.STOPPED and run.batch_count == 2
    batch = Batch.objects.get(run=run, seq=2)
    assert batch.finished_at is not None
    assert (batch.total, batch.succeeded, batch.failed, batch.waited, batch.manual, batch.returned) == (
        SECOND, STOP_AFTER, 0, 0, 0, SECOND - STOP_AFTER)
    assert (run.total_succeeded, run.total_failed) == (FIRST + STOP_AFTER, 0)
    waiting = AutoDeclaration.objects.filter(auto_status=AutoStatus.WAITING, marked=True, queued_batch=None)
    assert waiting.count() == SECOND - STOP_AFTER
    assert OutboxMessage.objects.count() == FIRST + STOP_AFTER
    out = services.run_out(run)
    assert (out["batch_total"], out["batch_done"], out["batch_succeeded"], out["batch_returned"]) == (
        SECOND, STOP_AFTER, STOP_AFTER, SECOND - STOP_AFTER)
    assert out["progress"] == int(100 * STOP_AFTER / SECOND)  # not 100 %: 5 were never handled
    assert out["batches"][1] | {"started_at": None, "finished_at": None} == {
        "id": batch.pk, "batch_no": batch.batch_no, "seq": 2, "total": SECOND, "succeeded": STOP_AFTER,
        "failed": 0, "waiting": 0, "manual": 0, "returned": SECOND - STOP_AFTER, "done": STOP_AFTER, "rejected": 0,
        "started_at": None, "finished_at": None}


def test_the_notification_and_the_email_say_the_same_totals(stopped_mid_batch):
    """Sent once the last batch closed: "共 2 批次 — 成功 6 票", not the 3 of the batches before."""
    expected = (f"智能辅助申报已结束: 共 2 批次 — 成功 {FIRST + STOP_AFTER} 票, 失败 0 票, "
                f"停止时退回申报池 {SECOND - STOP_AFTER} 票")
    note = Notification.objects.get(event="run_finished")
    assert note.title == expected
    emails = [m for m in mail.outbox if "智能辅助申报已结束" in m.subject]
    assert len(emails) == 1 and emails[0].subject == f"[关务] {expected}"


def test_pages_and_api_show_the_same_totals(stopped_mid_batch, client_a):
    """执行, 查询, 智能申报台 (list and batch) and the API after a stop in the middle of a batch."""
    run = stopped_mid_batch
    batch = Batch.objects.get(run=run, seq=2)
    succeeded, returned = FIRST + STOP_AFTER, SECOND - STOP_AFTER
    api = token_client("a_admin")
    data = api.get(f"/api/v1/autodeclare/runs/{run.pk}").json()
    assert (data["total_succeeded"], data["total_failed"], data["batch_count"]) == (succeeded, 0, 2)
    assert (data["batch_succeeded"], data["batch_returned"], data["waiting"]) == (STOP_AFTER, returned, returned)
    assert api.get("/api/v1/autodeclare/declarations?status=waiting").json()["count"] == returned
    assert api.get("/api/v1/autodeclare/declarations?status=succeeded").json()["count"] == succeeded
    api_batch = api.get(f"/api/v1/autodeclare/batches/{batch.pk}").json()
    assert (api_batch["total"], api_batch["succeeded"], api_batch["returned"]) == (SECOND, STOP_AFTER, returned)

    run_page = client_a.get(reverse("autodeclare:run")).content.decode()
    assert text_of(run_page, "total-succeeded") == str(succeeded) and text_of(run_page, "total-failed") == "0"
    assert text_of(run_page, "total-batches") == "2" and text_of(run_page, "batch-total") == str(SECOND)
    assert text_of(run_page, "batch-succeeded") == str(STOP_AFTER)
    assert text_of(run_page, "batch-returned") == str(returned)
    assert text_of(run_page, "pool-waiting") == str(returned)
    assert f"成功 {succeeded} 票" in text_of(run_page, "last-run")

    query = client_a.get(reverse("autodeclare:query")).content.decode()
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', query))
    assert (counts["waiting"], counts["succeeded"], counts["failed"]) == (str(returned), str(succeeded), "0")
    waiting_rows = client_a.get(reverse("autodeclare:query") + "?status=waiting").content.decode()
    assert f"总共 {returned} 条记录" in waiting_rows

    desk = client_a.get(reverse("autodeclare:desk")).content.decode()
    row = re.search(rf'<tr data-pk="{batch.pk}".*?</tr>', desk, re.S).group(0)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    # 批次号, 执行, 开始, 结束, 报关单数, 成功, 其中退单, 失败, 待申报, 已手动申报, 退回申报池
    assert cells[4:] == [str(SECOND), str(STOP_AFTER), "0", "0", "0", "0", str(returned)]
    detail = client_a.get(reverse("autodeclare:desk-batch", args=[batch.pk])).content.decode()
    assert (text_of(detail, "desk-total"), text_of(detail, "desk-succeeded"), text_of(detail, "desk-returned")) == (
        str(SECOND), str(STOP_AFTER), str(returned))


def test_switching_the_service_off_stops_a_live_run_at_once(enabled, monkeypatch,
                                                             django_capture_on_commit_callbacks):
    """停用 in the middle of a batch: the worker takes no further declaration (not at the next
    tick), what it had not handled goes back to the pool, and the run is stopped."""
    profile = services.create_profile(enabled, profile_data(enabled))
    mark_drafts(enabled, 6)
    act_after(monkeypatch, 2, lambda: services.disable(enabled))
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(enabled, [profile.pk], "agent")
    run = Run.objects.get(pk=run.pk)
    assert (run.status, run.stop_reason, run.total_succeeded) == (RunStatus.STOPPED, "停用智能辅助申报", 2)
    assert OutboxMessage.objects.count() == 2
    batch = Batch.objects.get(run=run)
    assert (batch.total, batch.succeeded, batch.returned) == (6, 2, 4)
    assert AutoDeclaration.objects.filter(auto_status=AutoStatus.WAITING, queued_batch=None).count() == 4
