"""A run survives a worker that dies in the middle of a batch: nothing lost, nothing sent twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from guanwu.autodeclare import services
from guanwu.autodeclare.models import AutoDeclaration, AutoStatus, Batch, Run, RunStatus
from guanwu.autodeclare.services import engine
from guanwu.declarations.models import Declaration, DeclarationStatus
from guanwu.gateway.models import OutboxMessage
from tests.autodeclare.conftest import make_draft, profile_data

pytestmark = pytest.mark.django_db
DEAD_PID = 4_000_000  # above the kernel's pid_max: no such process


def half_done_batch(actor, capture, count=5) -> tuple[Run, Batch, list[int]]:
    """A run whose worker claimed a chunk, declared two of it and died."""
    profile = services.create_profile(actor, profile_data(actor))
    drafts = [make_draft(actor) for _ in range(count)]
    services.mark(actor, [d.pk for d in drafts])
    with capture(execute=False):  # the first wake-up is lost with the worker
        run = services.start_run(actor, [profile.pk], "agent")
    batch = engine.start_batch(run.pk, 1)
    dead = f"{engine.HOST}:{DEAD_PID}:deadbeef"
    claimed = engine._claim(batch, dead, size=4)
    context = engine.RunContext.load(Run.objects.get(pk=run.pk))
    actor_for_run = engine.run_actor(context.run)
    with capture(execute=True):
        for auto_id in claimed[:2]:
            engine.handle(auto_id, batch, context, actor_for_run, dead, engine.get_source())
    return Run.objects.get(pk=run.pk), batch, [d.pk for d in drafts]


def assert_each_sent_once(ids: list[int]) -> None:
    assert Declaration.objects.filter(pk__in=ids, status=DeclarationStatus.DECLARED).count() == len(ids)
    numbers = list(Declaration.objects.filter(pk__in=ids).values_list("client_seq_no", flat=True))
    assert len(set(numbers)) == len(ids)
    assert OutboxMessage.objects.filter(key__in=numbers).count() == len(ids) == OutboxMessage.objects.count()


def test_worker_restart_resumes_the_batch(enabled, django_capture_on_commit_callbacks):
    run, batch, ids = half_done_batch(enabled, django_capture_on_commit_callbacks)
    states = sorted(AutoDeclaration.objects.values_list("auto_status", flat=True))
    assert states == ["declaring", "declaring", "succeeded", "succeeded", "waiting"]
    with django_capture_on_commit_callbacks(execute=True):
        woken = engine.resume(startup=True)  # the consumer starts again on this host
    assert woken == [run.pk]
    assert set(AutoDeclaration.objects.values_list("auto_status", flat=True)) == {AutoStatus.SUCCEEDED}
    assert_each_sent_once(ids)
    batch.refresh_from_db()
    assert batch.finished_at and (batch.total, batch.succeeded, batch.failed) == (5, 5, 0)
    run.refresh_from_db()
    assert run.status == RunStatus.WAITING and run.total_succeeded == 5 and run.batch_count == 1
    assert AutoDeclaration.objects.filter(records__level="success").count() == 5  # one outcome each


def test_another_host_takes_over_after_the_lease(enabled, django_capture_on_commit_callbacks):
    _run, _batch, ids = half_done_batch(enabled, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        engine.resume()  # within the lease: the claims may still be alive elsewhere
    assert AutoDeclaration.objects.filter(auto_status=AutoStatus.DECLARING).count() == 2
    later = timezone.now() + dt.timedelta(seconds=engine.lease().total_seconds() + 1)
    with django_capture_on_commit_callbacks(execute=True):
        engine.resume(now=later)
    assert set(AutoDeclaration.objects.values_list("auto_status", flat=True)) == {AutoStatus.SUCCEEDED}
    assert_each_sent_once(ids)


def test_a_late_worker_does_not_touch_rows_taken_back(enabled, django_capture_on_commit_callbacks):
    run, batch, ids = half_done_batch(enabled, django_capture_on_commit_callbacks)
    stale = list(AutoDeclaration.objects.filter(auto_status=AutoStatus.DECLARING).values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        engine.resume(startup=True)
    # the "dead" worker wakes up after all and goes on with its chunk: its claim is gone
    context = engine.RunContext.load(Run.objects.get(pk=run.pk))
    with django_capture_on_commit_callbacks(execute=True):
        for auto_id in stale:
            engine.handle(auto_id, batch, context, engine.run_actor(context.run), f"{engine.HOST}:{DEAD_PID}:deadbeef",
                          engine.get_source())
    assert_each_sent_once(ids)


def test_declared_meanwhile_is_not_sent_again(enabled, django_capture_on_commit_callbacks):
    """A row left 申报中 whose declaration went out another way is recognised, not re-sent."""
    from guanwu.declarations import services as declarations

    _run, _batch, ids = half_done_batch(enabled, django_capture_on_commit_callbacks)
    in_hand = AutoDeclaration.objects.filter(auto_status=AutoStatus.DECLARING).first()
    with django_capture_on_commit_callbacks(execute=True):
        declarations.declare(enabled, in_hand.declaration_id)
        engine.resume(startup=True)
    assert_each_sent_once(ids)
    in_hand.refresh_from_db()
    assert not in_hand.marked and in_hand.auto_status == AutoStatus.MANUAL
    assert "已通过其他方式申报" in in_hand.records.last().message


def test_a_lost_wake_up_between_batches_is_recreated(enabled, django_capture_on_commit_callbacks):
    profile = services.create_profile(enabled, profile_data(enabled))
    services.mark(enabled, [make_draft(enabled).pk])
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(enabled, [profile.pk], "agent")
    run.refresh_from_db()
    assert run.status == RunStatus.WAITING and run.batch_count == 1
    draft = make_draft(enabled)
    services.mark(enabled, [draft.pk])
    Run.objects.filter(pk=run.pk).update(next_batch_at=timezone.now() - dt.timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert engine.resume() == [run.pk]
    assert AutoDeclaration.objects.get(declaration=draft).auto_status == AutoStatus.SUCCEEDED


def test_stop_in_the_middle_leaves_the_rest_waiting(enabled, django_capture_on_commit_callbacks):
    run, batch, _ids = half_done_batch(enabled, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.stop_run(enabled, run.pk)
        engine.resume(startup=True)  # releases the dead claims; a stopped run takes nothing
    states = sorted(AutoDeclaration.objects.values_list("auto_status", flat=True))
    assert states == ["succeeded", "succeeded", "waiting", "waiting", "waiting"]
    assert not AutoDeclaration.objects.filter(queued_batch__isnull=False).exists()  # all back in the pool
    batch.refresh_from_db()
    assert batch.finished_at and (batch.succeeded, batch.failed) == (2, 0)
    assert OutboxMessage.objects.count() == 2
