"""停止申报 while a batch is going on: the worker notices it between rows, the queue empties at once.

What a user expects from 停止申报 (智能辅助申报 seed: 停止后不再申报新的报关单): the declaration a
worker has in hand finishes, nothing else of the batch is sent, the rest is 待申报 again and free
for the next run, and the batch closes now rather than when the watchdog comes by.
"""

from __future__ import annotations

import pytest

from guanwu.autodeclare import services
from guanwu.autodeclare.models import AutoDeclaration, AutoStatus, Batch, Run, RunStatus
from guanwu.autodeclare.services import engine
from guanwu.declarations.models import Declaration, DeclarationStatus
from guanwu.gateway.models import OutboxMessage
from tests.autodeclare import sources
from tests.autodeclare.conftest import make_draft, make_manifest, profile_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def hooked_source(settings):
    settings.GUANWU_MANIFEST_SOURCE = sources.PATH
    yield sources.HookedSource
    sources.HookedSource.hook = None


def marked_drafts(actor, count: int) -> list[int]:
    ids = [make_draft(actor).pk for _ in range(count)]
    services.mark(actor, ids)
    return ids


def test_worker_checks_for_stop_between_rows_of_its_chunk(enabled, hooked_source, django_capture_on_commit_callbacks):
    """The user presses 停止申报 while the worker declares the first row of a chunk of five: that
    row is declared, the other four are given back (待申报, out of the batch) unsent."""
    make_manifest()
    profile = services.create_profile(enabled, profile_data(enabled, manifest_required=True))
    ids = marked_drafts(enabled, 5)
    asked: list[str] = []

    def press_stop(bill_no: str) -> None:
        asked.append(bill_no)
        if len(asked) == 1:
            services.stop_run(enabled, Run.objects.get().pk)

    hooked_source.hook = press_stop
    with django_capture_on_commit_callbacks(execute=True):
        services.start_run(enabled, [profile.pk], "agent")
    assert len(asked) == 1  # the worker asked for one manifest only: it went no further
    assert Declaration.objects.filter(pk__in=ids, status=DeclarationStatus.DECLARED).count() == 1
    assert OutboxMessage.objects.count() == 1
    rest = AutoDeclaration.objects.exclude(auto_status=AutoStatus.SUCCEEDED)
    assert rest.count() == 4
    assert {(a.auto_status, a.queued_batch_id, a.claimed_by, a.marked) for a in rest} == {
        (AutoStatus.WAITING, None, "", True)}
    batch = Batch.objects.get()
    assert batch.finished_at is not None and (batch.total, batch.succeeded) == (5, 1)
    assert Run.objects.get().status == RunStatus.STOPPED


def test_stopping_gives_unclaimed_rows_back_and_closes_the_batch_at_once(
        enabled, django_capture_on_commit_callbacks):
    """A batch is open with its rows queued and no worker has taken them yet (the wake-up is
    still in the queue): 停止申报 takes them out of the batch and closes it; the next run's batch
    takes them."""
    profile = services.create_profile(enabled, profile_data(enabled))
    ids = marked_drafts(enabled, 3)
    with django_capture_on_commit_callbacks(execute=False):  # the first wake-up has not run yet
        run = services.start_run(enabled, [profile.pk], "agent")
    batch = engine.start_batch(run.pk, 1)
    assert AutoDeclaration.objects.filter(queued_batch=batch).count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        services.stop_run(enabled, run.pk)
    assert not AutoDeclaration.objects.filter(queued_batch__isnull=False).exists()
    batch.refresh_from_db()
    assert batch.finished_at is not None and (batch.succeeded, batch.failed) == (0, 0)
    assert engine.work(batch.pk) == 0  # a worker woken late finds nothing to do
    assert not OutboxMessage.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        again = services.start_run(enabled, [profile.pk], "agent")
    assert Declaration.objects.filter(pk__in=ids, status=DeclarationStatus.DECLARED).count() == 3
    assert Batch.objects.get(run=again).total == 3
