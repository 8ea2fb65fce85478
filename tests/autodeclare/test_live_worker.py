"""A live worker and a user acting at the same moment (PostgreSQL: real row locks between threads).

The worker is a thread with its own database connection, as a Huey worker thread is; it is held
inside one declaration (the manifest check, through the documented ``GUANWU_MANIFEST_SOURCE``
plug-in) while the test, as the user, presses 停止申报, declares through the API or saves an edit.
SQLite serialises writers, so there these moments cannot overlap; in CI these tests run in the
PostgreSQL pass, which requires them to run (``GUANWU_TEST_REQUIRE=...,postgres``).
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client

from guanwu.autodeclare import services
from guanwu.autodeclare.models import AutoDeclaration, AutoStatus, Batch, Run, RunStatus
from guanwu.autodeclare.services import engine
from guanwu.declarations.models import Declaration, DeclarationStatus
from guanwu.gateway.models import OutboxMessage
from tests.autodeclare import sources
from tests.autodeclare.conftest import make_draft, make_manifest, profile_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WAIT = 60  # seconds: a bound for a loaded machine, never reached when things work


class Gate:
    """Holds the worker in its first manifest check until ``open()``."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.go = threading.Event()

    def __call__(self, bill_no: str) -> None:
        if not self.reached.is_set():
            self.reached.set()
            assert self.go.wait(WAIT), "the test never opened the gate"

    def open(self) -> None:
        self.go.set()


class InThread(threading.Thread):
    """``target()`` in a thread with its own connections; ``result``/``error`` afterwards."""

    def __init__(self, target) -> None:
        super().__init__(daemon=True)
        self.target_call = target
        self.result = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.target_call()
        except BaseException as exc:  # reported by the test
            self.error = exc
        finally:
            connections.close_all()

    def finish(self):
        self.join(WAIT)
        assert not self.is_alive(), "the thread did not finish"
        if self.error is not None:
            raise self.error
        return self.result


def waiting_for_a_lock() -> bool:
    """Whether another backend of this database is blocked on a row lock."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0] > 0


def until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.05)


class NoWakeUps:
    """Stands in for the Huey task that wakes a run (now or scheduled): no second worker here."""

    def __call__(self, *args, **kwargs) -> None:
        return None

    def schedule(self, *args, **kwargs) -> None:
        return None


@pytest.fixture
def gate(settings, monkeypatch):
    settings.GUANWU_MANIFEST_SOURCE = sources.PATH
    monkeypatch.setattr(engine, "run_batch", NoWakeUps())  # the test runs the worker itself
    gate = Gate()
    sources.HookedSource.hook = gate
    yield gate
    gate.open()
    sources.HookedSource.hook = None


def batch_of(actor, count: int) -> tuple[Run, Batch, list[int]]:
    assert connection.vendor == "postgresql"
    make_manifest()
    profile = services.create_profile(actor, profile_data(actor, manifest_required=True))
    ids = [make_draft(actor).pk for _ in range(count)]
    services.mark(actor, ids)
    run = services.start_run(actor, [profile.pk], "agent")
    batch = engine.start_batch(run.pk, 1)
    assert batch.total == count
    return run, batch, ids


def live_worker(batch: Batch, gate: Gate) -> InThread:
    worker = InThread(lambda: engine.work(batch.pk))
    worker.start()
    assert gate.reached.wait(WAIT), "the worker never reached the first declaration"
    return worker


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_stop_pressed_while_a_live_worker_is_in_a_row_is_noticed_before_the_next(enabled, gate):
    run, batch, ids = batch_of(enabled, 5)
    worker = live_worker(batch, gate)
    services.stop_run(enabled, run.pk)  # commits while the worker holds the first row
    gate.open()
    assert worker.finish() == 1
    assert Declaration.objects.filter(pk__in=ids, status=DeclarationStatus.DECLARED).count() == 1
    assert OutboxMessage.objects.count() == 1
    rest = AutoDeclaration.objects.exclude(auto_status=AutoStatus.SUCCEEDED)
    assert {(a.auto_status, a.queued_batch_id, a.claimed_by) for a in rest} == {(AutoStatus.WAITING, None, "")}
    assert rest.count() == 4
    batch.refresh_from_db()
    assert batch.finished_at is not None and batch.succeeded == 1
    assert Run.objects.get(pk=run.pk).status == RunStatus.STOPPED


def test_api_declare_of_the_row_a_live_worker_holds_waits_and_sends_nothing_more(enabled, gate):
    _run, batch, ids = batch_of(enabled, 2)
    worker = live_worker(batch, gate)
    held = ids[0]  # the worker takes the queue in id order
    client = client_for(enabled.user)
    api = InThread(lambda: client.post(f"/api/v1/declarations/{held}/declare"))
    api.start()
    until(waiting_for_a_lock, "the API request waits for the worker's lock on the declaration")
    gate.open()
    worker.finish()
    response = api.finish()
    assert response.status_code == 202, response.content
    body = response.json()
    declared = Declaration.objects.get(pk=held)
    assert (body["status"], body["client_seq_no"]) == (DeclarationStatus.DECLARED, declared.client_seq_no)
    assert OutboxMessage.objects.filter(key=declared.client_seq_no).count() == 1
    assert OutboxMessage.objects.count() == 2
    assert AutoDeclaration.objects.get(declaration_id=held).auto_status == AutoStatus.SUCCEEDED


def test_api_declare_of_a_row_still_queued_goes_first_and_the_worker_leaves_it(enabled, gate):
    _run, batch, ids = batch_of(enabled, 2)
    worker = live_worker(batch, gate)
    queued = ids[1]  # claimed in the worker's chunk, not reached yet
    response = client_for(enabled.user).post(f"/api/v1/declarations/{queued}/declare")
    assert response.status_code == 202, response.content
    number = response.json()["client_seq_no"]
    gate.open()
    assert worker.finish() == 2
    assert OutboxMessage.objects.filter(key=number).count() == 1 and OutboxMessage.objects.count() == 2
    left = AutoDeclaration.objects.get(declaration_id=queued)
    assert (left.marked, left.reason_code) == (False, "manual")
    assert Declaration.objects.get(pk=queued).client_seq_no == number


def test_an_edit_saved_while_a_live_worker_sends_the_draft_waits_and_is_refused(enabled, gate):
    _run, batch, ids = batch_of(enabled, 2)
    worker = live_worker(batch, gate)
    held = ids[0]
    before = Declaration.objects.get(pk=held)
    client = client_for(enabled.user)
    edit = InThread(lambda: client.put(f"/api/v1/declarations/{held}", {"bill_no": "COSU0000000000"},
                                       content_type="application/json"))
    edit.start()
    until(waiting_for_a_lock, "the edit waits for the worker's lock on the declaration")
    gate.open()
    worker.finish()
    response = edit.finish()
    assert response.status_code == 409, response.content
    assert "已申报" in response.json()["detail"]
    sent = Declaration.objects.get(pk=held)
    assert sent.status == DeclarationStatus.DECLARED and sent.bill_no == before.bill_no
    message = bytes(OutboxMessage.objects.get(key=sent.client_seq_no).payload).decode()
    assert f"<BillNo>{before.bill_no}</BillNo>" in message and "COSU0000000000" not in message


def test_an_edit_of_a_queued_row_saved_before_the_worker_reaches_it_is_what_is_sent(enabled, gate):
    _run, batch, ids = batch_of(enabled, 2)
    worker = live_worker(batch, gate)
    queued = ids[1]
    response = client_for(enabled.user).put(f"/api/v1/declarations/{queued}", {"contr_no": "SZ-DE-EDITED"},
                                            content_type="application/json")
    assert response.status_code == 200, response.content
    gate.open()
    assert worker.finish() == 2
    sent = Declaration.objects.get(pk=queued)
    assert sent.status == DeclarationStatus.DECLARED
    message = bytes(OutboxMessage.objects.get(key=sent.client_seq_no).payload).decode()
    assert "<ContrNo>SZ-DE-EDITED</ContrNo>" in message
