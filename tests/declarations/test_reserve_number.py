"""What declarations.services offers a caller that declares for the enterprise (智能辅助申报):
the ClientSeqNo stored ahead, and whether a declaration may still be edited and sent.

DecSign/ClientSeqNo is the idempotency key of a sending (numbering.py): once stored it is what
申报 sends, so reserving it never changes what customs receives."""

from __future__ import annotations

import pytest

from guanwu.declarations import services
from guanwu.declarations.models import Declaration, DeclarationStatus
from guanwu.gateway.models import OutboxMessage
from tests.declarations.payloads import export_payload

pytestmark = pytest.mark.django_db


def test_reserved_number_is_stored_once_and_sent_by_declare(actor_a, actor_b):
    draft = services.create_draft(actor_a, export_payload())
    assert services.reserve_client_seq_no(actor_b, draft.pk) is None  # another enterprise's draft
    number = services.reserve_client_seq_no(actor_a, draft.pk)
    assert number == f"{actor_a.enterprise.customs_code}00000001"
    assert services.reserve_client_seq_no(actor_a, draft.pk) is None  # it has one
    assert Declaration.objects.get(pk=draft.pk).client_seq_no == number
    declared = services.declare(actor_a, draft.pk)
    assert declared.client_seq_no == number
    assert OutboxMessage.objects.filter(key=number).count() == 1


def test_is_editable_follows_the_status(actor_a):
    draft = services.create_draft(actor_a, export_payload())
    assert services.is_editable(draft)
    for status in DeclarationStatus:
        draft.status = status
        assert services.is_editable(draft) == (status in services.EDITABLE)
    assert {DeclarationStatus.DRAFT, DeclarationStatus.REJECTED, DeclarationStatus.FAILED} == services.EDITABLE
