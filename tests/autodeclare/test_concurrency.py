"""Two workers on one batch (PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED): every declaration is
taken by exactly one of them and sent once.

Runs when the tests use PostgreSQL (``DATABASE_URL=postgres://...``): in CI, the PostgreSQL pass
of ``.ci/run``, which sets ``GUANWU_TEST_REQUIRE=...,postgres`` so that this test failing to run
there (skipped for any reason) fails the pass. SQLite serialises writers, so there the question
does not arise and the test skips (the ``postgres`` marker, see tests/conftest.py)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from guanwu.autodeclare import engine, services
from guanwu.autodeclare.models import AutoDeclaration, AutoStatus, Batch, Run, RunStatus
from guanwu.declarations.models import Declaration, DeclarationStatus
from guanwu.gateway.models import OutboxMessage
from tests.autodeclare.conftest import make_draft, profile_data

COUNT = 24


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_take_the_same_declaration(enabled, monkeypatch):
    assert connection.vendor == "postgresql"
    from guanwu.autodeclare import tasks

    monkeypatch.setattr(tasks, "run_batch", lambda *a, **k: None)  # the test plays the workers itself
    monkeypatch.setattr(engine, "CHUNK", 3)
    profile = services.create_profile(enabled, profile_data(enabled))
    ids = [make_draft(enabled).pk for _ in range(COUNT)]
    services.mark(enabled, ids)
    run = services.start_run(enabled, [profile.pk], "agent")
    batch = engine.start_batch(run.pk, 1)
    assert batch.total == COUNT
    monkeypatch.setattr(engine, "finish_if_done", lambda batch_id: False)  # closed below, once
    handled: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            barrier.wait()
            handled.append(engine.work(batch.pk))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert sum(handled) == COUNT and all(h > 0 for h in handled), handled
    assert set(AutoDeclaration.objects.values_list("auto_status", flat=True)) == {AutoStatus.SUCCEEDED}
    assert Declaration.objects.filter(pk__in=ids, status=DeclarationStatus.DECLARED).count() == COUNT
    numbers = set(Declaration.objects.filter(pk__in=ids).values_list("client_seq_no", flat=True))
    assert len(numbers) == COUNT == OutboxMessage.objects.count()
    monkeypatch.undo()
    assert engine.finish_if_done(batch.pk)
    batch = Batch.objects.get(pk=batch.pk)
    assert (batch.succeeded, batch.failed) == (COUNT, 0)
    assert Run.objects.get(pk=run.pk).status == RunStatus.WAITING
