"""企业内部编号: the enterprise's own number for a declaration, unique within the enterprise.

Not a DecMessage element (nothing of it is sent); it is what makes the same declaration keyed in
or imported twice recognisable (see test_import.py for the Excel side)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from guanwu.audit.models import OperationLog
from guanwu.core.errors import ServiceError
from guanwu.declarations import services
from guanwu.declarations.decmessage import build_message
from guanwu.declarations.models import Declaration
from tests.declarations.payloads import export_payload

pytestmark = pytest.mark.django_db


def test_a_second_declaration_with_the_same_internal_no_is_refused_and_nothing_is_written(actor_a):
    first = services.create_draft(actor_a, export_payload(internal_no=" ERP-42 "))
    assert first.internal_no == "ERP-42"
    logs = OperationLog.objects.count()
    with pytest.raises(ServiceError) as refused:
        services.create_draft(actor_a, export_payload(internal_no="ERP-42"))
    message = f"企业内部编号ERP-42已用于{first}(暂存), 不能重复: 同一票货物请勿重复导入或录入"
    assert refused.value.message == message
    assert [(e.field, e.message) for e in refused.value.errors] == [("internal_no", message)]
    assert Declaration.objects.count() == 1 and OperationLog.objects.count() == logs


def test_editing_keeps_its_own_number_but_cannot_take_another(actor_a):
    first = services.create_draft(actor_a, export_payload(internal_no="ERP-1"))
    second = services.create_draft(actor_a, export_payload(internal_no="ERP-2"))
    services.update_draft(actor_a, first.pk, {"internal_no": "ERP-1", "contr_no": "C-1"})  # its own: fine
    with pytest.raises(ServiceError) as refused:
        services.update_draft(actor_a, second.pk, {"internal_no": "ERP-1"})
    assert refused.value.errors[0].field == "internal_no"
    assert Declaration.objects.get(pk=second.pk).internal_no == "ERP-2"


def test_empty_numbers_never_clash_and_a_copy_gets_none(actor_a):
    services.create_draft(actor_a, export_payload())
    services.create_draft(actor_a, export_payload(internal_no=""))
    numbered = services.create_draft(actor_a, export_payload(internal_no="ERP-9"))
    copy = services.copy_declaration(actor_a, numbered.pk)
    assert copy.internal_no == "" and Declaration.objects.filter(internal_no="").count() == 3


def test_the_database_holds_the_rule_too(actor_a, actor_b):
    """Two saves racing past the service's check meet the unique constraint (per enterprise)."""
    Declaration.objects.create(enterprise=actor_a.enterprise, internal_no="ERP-7")
    Declaration.objects.create(enterprise=actor_b.enterprise, internal_no="ERP-7")
    with pytest.raises(IntegrityError), transaction.atomic():
        Declaration.objects.create(enterprise=actor_a.enterprise, internal_no="ERP-7")


def test_api_answers_422_on_the_field_and_the_number_is_searchable(client_a, actor_a):
    created = client_a.post("/api/v1/declarations", export_payload(internal_no="PO-2024-001"),
                            content_type="application/json")
    assert created.status_code == 201 and created.json()["internal_no"] == "PO-2024-001"
    again = client_a.post("/api/v1/declarations", export_payload(internal_no="PO-2024-001"),
                          content_type="application/json")
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "internal_no" and "不能重复" in again.json()["detail"]
    found = client_a.get("/api/v1/declarations", {"q": "PO-2024-001"}).json()
    assert [r["id"] for r in found["results"]] == [created.json()["id"]]


def test_the_number_is_not_sent_to_customs(actor_a):
    draft = services.create_draft(actor_a, export_payload(internal_no="ERP-SECRET-1"))
    assert b"ERP-SECRET-1" not in build_message(draft)
