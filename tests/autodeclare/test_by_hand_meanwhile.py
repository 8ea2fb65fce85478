"""A user acting by hand on a declaration a batch owns: declaring it through the API, editing it.

Marking never blocks manual work (services/marks.py): a queued declaration can still be declared
or edited by hand. What must hold: it is sent once, under one ClientSeqNo; the engine then
leaves it alone and says why; an edit made before the engine sends is what goes to customs,
and an edit arriving after it sent is refused with a clear message, changing nothing.
"""

from __future__ import annotations

import pytest

from guanwu.autodeclare import services
from guanwu.autodeclare.models import AutoDeclaration, AutoStatus, Batch
from guanwu.autodeclare.services import engine
from guanwu.declarations.models import Declaration, DeclarationStatus
from guanwu.gateway.models import OutboxMessage
from tests.autodeclare.conftest import make_draft, make_manifest, profile_data
from tests.autodeclare.test_engine import auto, next_batch, start

pytestmark = pytest.mark.django_db


def queued_batch(actor, capture, count: int = 2) -> tuple[Batch, list[int]]:
    """A batch opened with ``count`` marked drafts queued, no worker on it yet."""
    profile = services.create_profile(actor, profile_data(actor))
    ids = [make_draft(actor).pk for _ in range(count)]
    services.mark(actor, ids)
    with capture(execute=False):  # the wake-up of the first batch has not run yet
        run = services.start_run(actor, [profile.pk], "agent")
    batch = engine.start_batch(run.pk, 1)
    assert AutoDeclaration.objects.filter(queued_batch=batch).count() == count
    return batch, ids


def test_declaring_through_the_api_a_declaration_a_batch_has_queued_sends_it_once(
        client_a, enabled, django_capture_on_commit_callbacks):
    batch, (by_hand, left) = queued_batch(enabled, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(f"/api/v1/declarations/{by_hand}/declare")
    assert response.status_code == 202, response.content
    number = response.json()["client_seq_no"]
    assert response.json()["status"] == DeclarationStatus.DECLARED and number

    hand = auto(Declaration.objects.get(pk=by_hand))  # out of the pool at once, with a line saying so
    assert (hand.auto_status, hand.marked, hand.reason_code, hand.queued_batch_id) == (
        AutoStatus.MANUAL, False, "manual", None)
    assert "手动申报" in hand.reason
    with django_capture_on_commit_callbacks(execute=True):
        assert engine.work(batch.pk) == 1  # the engine leaves it alone
    assert Declaration.objects.get(pk=by_hand).client_seq_no == number
    assert OutboxMessage.objects.filter(key=number).count() == 1
    assert OutboxMessage.objects.count() == 2  # and the other one, by the engine
    assert auto(Declaration.objects.get(pk=left)).auto_status == AutoStatus.SUCCEEDED
    batch.refresh_from_db()
    assert batch.finished_at is not None and (batch.succeeded, batch.failed, batch.manual) == (1, 0, 1)


def test_an_edit_before_the_engine_sends_is_what_goes_to_customs(enabled, django_capture_on_commit_callbacks):
    """The engine numbered the draft and it failed the comparison with the manifest; the user
    corrects the goods name meanwhile (and the manifest is corrected, the draft put back); the
    next batch sends the corrected declaration under the number stored."""
    from guanwu.simulator.models import Manifest

    make_manifest(gross="2500")
    profile = services.create_profile(enabled, profile_data(enabled, compare_required=True))
    draft = make_draft(enabled)
    services.mark(enabled, [draft.pk])
    run = start(enabled, profile, django_capture_on_commit_callbacks)
    numbered = Declaration.objects.get(pk=draft.pk)
    assert numbered.status == DeclarationStatus.DRAFT and numbered.client_seq_no
    Manifest.objects.filter(bill_no=numbered.bill_no).update(gross_wt=numbered.gross_wet)
    from guanwu.declarations import services as declarations

    items = [dict(i) for i in numbered.items.order_by("g_no").values(
        "code_ts", "g_name", "g_model", "g_qty", "g_unit", "first_qty", "second_qty", "decl_price", "decl_total",
        "trade_curr", "origin_country", "destination_country", "district_code", "duty_mode")]
    items[0]["g_name"] = "棉制针织T恤衫(改)"
    declarations.update_draft(enabled, draft.pk, {"items": items, "version": numbered.version})
    services.requeue(enabled, [draft.pk])
    next_batch(run, django_capture_on_commit_callbacks)
    sent = OutboxMessage.objects.get()
    assert sent.key == numbered.client_seq_no
    assert "棉制针织T恤衫(改)" in bytes(sent.payload).decode()


def test_an_edit_arriving_after_the_engine_sent_is_refused_and_changes_nothing(
        client_a, enabled, django_capture_on_commit_callbacks):
    """The user opened the draft (version v) before the engine declared it; saving afterwards is
    refused (409, the declaration is 已申报), and what was sent stays what is stored."""
    batch, (first, _second) = queued_batch(enabled, django_capture_on_commit_callbacks)
    version = Declaration.objects.get(pk=first).version
    with django_capture_on_commit_callbacks(execute=True):
        engine.work(batch.pk)
    sent = Declaration.objects.get(pk=first)
    assert sent.status == DeclarationStatus.DECLARED
    response = client_a.put(f"/api/v1/declarations/{first}", {"bill_no": "COSU0000000000", "version": version},
                            content_type="application/json")
    assert response.status_code == 409, response.content
    assert "已申报" in response.json()["detail"]
    stored = Declaration.objects.get(pk=first)
    assert (stored.bill_no, stored.version) == (sent.bill_no, sent.version)
