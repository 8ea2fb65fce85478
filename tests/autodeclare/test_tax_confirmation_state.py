"""A tax confirmation holds until a taxable field of the editable declaration changes (issue 11,
point 1): a read (the 税费确认 page, the list, the API) never writes, never invalidates."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanwu.audit.models import OperationLog
from guanwu.autodeclare import services
from guanwu.autodeclare.models import AutoDeclaration, TaxAssessment, TaxStatus
from guanwu.declarations import services as declarations
from guanwu.declarations.models import Declaration, DeclarationStatus
from guanwu.gateway.services import poll_once
from guanwu.simulator.engine import run_until_idle
from tests.autodeclare.conftest import make_manifest, profile_data
from tests.autodeclare.test_tax import demo_rates, self_paid_import
from tests.conftest import token_client
from tests.declarations.payloads import import_payload

pytestmark = pytest.mark.django_db
WRITES = ("INSERT", "UPDATE", "DELETE")


def writes(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


def released_after_auto_declaring(actor, capture) -> Declaration:
    """Confirmed in 税费确认, auto-declared, then released and closed by customs."""
    demo_rates()
    draft = self_paid_import(actor)
    make_manifest(draft.bill_no, ie_flag="I", gross=str(draft.gross_wet), pack=draft.pack_no)  # customs checks it
    services.confirm_tax(actor, draft.pk)
    profile = services.create_profile(actor, profile_data(actor, ie_flag="I"))
    services.mark(actor, [draft.pk])
    with capture(execute=True):
        services.start_run(actor, [profile.pk], "agent")
    with capture(execute=True):
        run_until_idle()
        poll_once()
    declaration = Declaration.objects.get(pk=draft.pk)
    assert declaration.status in (DeclarationStatus.RELEASED, DeclarationStatus.CLOSED)
    return declaration


def test_opening_the_tax_page_of_a_released_declaration_changes_nothing(enabled, client_a, admin_a,
                                                                         django_capture_on_commit_callbacks):
    """The issue's steps: 结关 after 税费确认 and 智能申报; opening ``/autodeclare/tax/<id>/`` wrote
    "税费确认失效 已确认→未确认" and the list and the API then said 未确认."""
    declaration = released_after_auto_declaring(enabled, django_capture_on_commit_callbacks)
    before = TaxAssessment.objects.get(declaration=declaration)
    api = token_client("a_admin")  # (issuing the token is logged: before counting)
    logs = OperationLog.objects.count()
    with CaptureQueriesContext(connection) as captured:
        page = client_a.get(reverse("autodeclare:tax-detail", args=[declaration.pk]))
        listing = client_a.get(reverse("autodeclare:tax-list"))
    assert page.status_code == 200 and 'id="tax-status">已确认<' in page.content.decode()
    row = re.search(rf'<tr data-pk="{declaration.pk}".*?</tr>', listing.content.decode(), re.S).group(0)
    assert "已确认" in row and "未确认" not in row
    data = api.get(f"/api/v1/declarations/{declaration.pk}/tax-confirmation").json()
    assert (data["status"], data["status_label"]) == ("confirmed", "已确认")
    auto = api.get(f"/api/v1/autodeclare/declarations/{declaration.pk}").json()
    assert auto["tax_status"] == "已确认"
    assert writes(captured) == []
    assert OperationLog.objects.count() == logs
    assert not OperationLog.objects.filter(action="税费确认失效").exists()
    after = TaxAssessment.objects.get(declaration=declaration)
    assert (after.status, after.confirmed_by_id, after.total, after.computed_at) == (
        TaxStatus.CONFIRMED, before.confirmed_by_id, before.total, before.computed_at)


def test_a_read_never_stores_an_assessment(enabled, client_a):
    """A self-paid draft without an assessment: the page and the API show today's computation,
    unsaved; 确认 stores it."""
    demo_rates()
    draft = self_paid_import(enabled)
    AutoDeclaration.objects.create(enterprise=enabled.enterprise, declaration=draft, marked_by=enabled.user)
    with CaptureQueriesContext(connection) as captured:
        page = client_a.get(reverse("autodeclare:tax-detail", args=[draft.pk])).content.decode()
        data = token_client("a_admin").get(f"/api/v1/declarations/{draft.pk}/tax-confirmation").json()
    assert 'id="tax-total">23480.26<' in page and data["total"] == "23480.26" and data["status"] == "unconfirmed"
    assert not TaxAssessment.objects.exists()
    assert [sql for sql in writes(captured) if "autodeclare_taxassessment" in sql] == []
    services.confirm_tax(enabled, draft.pk)
    assert str(TaxAssessment.objects.get(declaration=draft).total) == "23480.26"


def test_only_a_taxable_change_of_an_editable_declaration_invalidates(enabled):
    """修改 of 备注 keeps the confirmation; 修改 of the goods' total (a taxable field) drops it, in
    the service that changed it, with the operation log naming what changed."""
    demo_rates()
    draft = self_paid_import(enabled)
    services.confirm_tax(enabled, draft.pk)
    declarations.update_draft(enabled, draft.pk, {"note_s": "只改备注", "mark_no": "N/M"})
    assert TaxAssessment.objects.get(declaration=draft).status == TaxStatus.CONFIRMED
    rows = import_payload()["items"]
    rows[0].update(decl_total="12000", decl_price="8.6941")
    declarations.update_draft(enabled, draft.pk, {"items": rows})
    assessment = TaxAssessment.objects.get(declaration=draft)
    assert assessment.status == TaxStatus.UNCONFIRMED and assessment.total > 23480
    log = OperationLog.objects.get(action="税费确认失效")
    assert "商品项" in log.opinion and log.user_id == enabled.user.pk


def test_declaring_and_receipts_keep_the_confirmation(enabled, django_capture_on_commit_callbacks):
    """申报 and every receipt bump the declaration's version; the confirmation is for its taxes."""
    declaration = released_after_auto_declaring(enabled, django_capture_on_commit_callbacks)
    assert declaration.version > TaxAssessment.objects.get(declaration=declaration).declaration_version
    with django_capture_on_commit_callbacks(execute=True):
        services.get_assessment(enabled, declaration.pk)
    assert TaxAssessment.objects.get(declaration=declaration).status == TaxStatus.CONFIRMED
