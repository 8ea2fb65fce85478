"""The ClientSeqNo stored ahead of 申报 is the one sent (ARCHITECTURE.md §4, Idempotency).

The engine numbers a draft in a short transaction of its own before the checks (``number_first``);
when the draft is not sent then (a failed check, a crash), whoever declares it later, the engine
or a user by hand, must send it under that same number: a new one would make a re-send after a
crash a second declaration at the single window. (A declaration that only waits — not arrived,
taxes unconfirmed — stays out of the batches and is numbered when a batch takes it.)
"""

from __future__ import annotations

import pytest

from guanwu.autodeclare import services
from guanwu.declarations import services as declarations
from guanwu.declarations.models import ClientSeqCounter, Declaration, DeclarationStatus
from guanwu.gateway.models import OutboxMessage
from guanwu.simulator.models import Manifest
from tests.autodeclare.conftest import make_manifest, profile_data
from tests.autodeclare.test_engine import auto, marked, next_batch, start

pytestmark = pytest.mark.django_db


def waiting_numbered_draft(actor, capture):
    """A marked draft the engine numbered and did not send (it failed the comparison with a
    manifest that was wrong); the manifest is then corrected and the draft put back in the pool."""
    make_manifest(gross="2500")
    profile = services.create_profile(actor, profile_data(actor, compare_required=True))
    draft = marked(actor)
    run = start(actor, profile, capture)
    assert auto(draft).reason_code == "mismatch"
    draft = Declaration.objects.get(pk=draft.pk)
    assert draft.status == DeclarationStatus.DRAFT and draft.client_seq_no
    Manifest.objects.filter(bill_no=draft.bill_no).update(gross_wt=draft.gross_wet)
    services.requeue(actor, [draft.pk])
    return draft, run


def test_engine_declares_under_the_client_seq_no_it_stored_ahead(enabled, django_capture_on_commit_callbacks):
    draft, run = waiting_numbered_draft(enabled, django_capture_on_commit_callbacks)
    number = draft.client_seq_no
    next_batch(run, django_capture_on_commit_callbacks)
    declared = Declaration.objects.get(pk=draft.pk)
    assert (declared.status, declared.client_seq_no) == (DeclarationStatus.DECLARED, number)
    assert list(OutboxMessage.objects.values_list("key", flat=True)) == [number]
    assert f"<ClientSeqNo>{number}</ClientSeqNo>".encode() in bytes(OutboxMessage.objects.get().payload)
    assert ClientSeqCounter.objects.get(enterprise=enabled.enterprise).last == 1  # no number used up


def test_declaring_by_hand_reuses_the_client_seq_no_the_engine_stored(enabled, django_capture_on_commit_callbacks):
    draft, _run = waiting_numbered_draft(enabled, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        declared = declarations.declare(enabled, draft.pk)
    assert declared.client_seq_no == draft.client_seq_no
    assert list(OutboxMessage.objects.values_list("key", flat=True)) == [draft.client_seq_no]
