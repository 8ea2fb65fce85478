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

from guanwu.autodeclare import services
from guanwu.autodeclare.models import AutoDeclaration, AutoStatus, Batch, Run, RunStatus
from guanwu.autodeclare.services import engine
from guanwu.declarations.models import Declaration, DeclarationStatus
from guanwu.gateway.models import OutboxMessage
from tests.autodeclare.conftest import make_draft, profile_data

COUNT = 24


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_take_the_same_declaration(enabled, monkeypatch):
    assert connection.vendor == "postgresql"


    monkeypatch.setattr(engine, "run_batch", lambda *a, **k: None)  # the test plays the workers itself
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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_declaring_by_hand_while_a_worker_works_the_batch(enabled, monkeypatch):
    """A user declares by hand, one after the other, declarations a live batch has queued while a
    worker goes through the same batch (issue 11, point 2): no deadlock, no error, each sent once,
    and the batch accounts for every one (申报成功(自动) or 已手动申报)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")

    from guanwu.declarations import services as declarations

    monkeypatch.setattr(engine, "run_batch", lambda *a, **k: None)
    monkeypatch.setattr(engine, "CHUNK", 2)
    profile = services.create_profile(enabled, profile_data(enabled))
    ids = [make_draft(enabled).pk for _ in range(COUNT)]
    services.mark(enabled, ids)
    run = services.start_run(enabled, [profile.pk], "agent")
    batch = engine.start_batch(run.pk, 1)
    monkeypatch.setattr(engine, "finish_if_done", lambda batch_id: False)  # closed below, once
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            barrier.wait()
            engine.work(batch.pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    def user() -> None:
        try:
            barrier.wait()
            for pk in reversed(ids):  # from the other end of the queue: they meet in the middle
                declarations.declare(enabled, pk)  # one the worker declared first: nothing happens
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker), threading.Thread(target=user)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert not errors, errors
    assert not AutoDeclaration.objects.filter(records__reason_code="error").exists()  # no deadlock, no error
    monkeypatch.undo()
    assert engine.finish_if_done(batch.pk)
    assert Declaration.objects.filter(pk__in=ids, status=DeclarationStatus.DECLARED).count() == COUNT
    numbers = set(Declaration.objects.filter(pk__in=ids).values_list("client_seq_no", flat=True))
    assert len(numbers) == COUNT == OutboxMessage.objects.count()
    states = list(AutoDeclaration.objects.values_list("auto_status", flat=True))
    assert set(states) <= {AutoStatus.SUCCEEDED, AutoStatus.MANUAL} and AutoStatus.MANUAL in states
    batch = Batch.objects.get(pk=batch.pk)
    assert batch.finished_at and batch.succeeded + batch.manual == COUNT and batch.returned == 0
