"""What the user reads of each receipt: the receipts tab (``/api/v1/declarations/<id>`` ``receipts``,
``_receipt_rows.html``) shows its kind, code, text, the note customs or the single window wrote and
the time they gave it; a failed import shows why (``fail_reason``). ``services/receipts.py`` records
them; the DecImportResponse and DEC_RESULT fields are those of ``messages/dec/receipts.py``. And
the numbers customs gives (统一编号, 海关编号): a receipt may name the declaration by either, and
the first one customs gave stays.

Found by mutation testing (docs/mutation.md): no test read these fields back, so a receipt recorded
without its note, kind or time passed the suite.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from guanwu.declarations.models import Declaration, DeclarationStatus, Receipt
from guanwu.messages.dec.receipts import (
    DecResult,
    ImportResponse,
    ReceiptError,
    build_dec_result,
    build_import_response,
)
from tests.conftest import token_client
from tests.declarations.test_late_receipts import ENTRY, SEQ, apply, declared, response, result, state

pytestmark = pytest.mark.django_db
S = DeclarationStatus
NOTICE = dt.datetime(2024, 11, 5, 10, 30, tzinfo=dt.UTC)


@pytest.fixture
def api(admin_a):
    return token_client("a_admin")


def shown(api: Client, pk: int) -> dict:
    response = api.get(f"/api/v1/declarations/{pk}")
    assert response.status_code == 200
    return response.json()


def test_the_receipts_tab_shows_each_receipt_with_its_kind_note_and_customs_time(
        api, actor_a, django_capture_on_commit_callbacks):
    """导入回执 and 业务回执 are told apart, and a 不被受理's note (the reason customs gives, e.g.
    ``[0069] 提运单号在舱单中不存在``) and NOTICE_DATE (the time customs decided) are shown as sent."""
    decl = declared(actor_a, django_capture_on_commit_callbacks)
    apply(
        build_import_response(ImportResponse(client_seq_no=decl.client_seq_no, response_code="0", seq_no=SEQ)),
        build_dec_result(DecResult(seq_no=SEQ, channel="E", entry_id=ENTRY, notice_date=NOTICE,
                                   note="[0069] 提运单号在舱单中不存在")),
    )
    body = shown(api, decl.pk)
    assert body["status"] == S.REJECTED
    imported, refused = body["receipts"]
    assert (imported["kind"], imported["channel"], imported["text"]) == ("response", "0", "导入成功")
    assert (refused["kind"], refused["channel"], refused["note"]) == ("result", "E", "[0069] 提运单号在舱单中不存在")
    assert dt.datetime.fromisoformat(refused["time"]) == NOTICE


def test_a_failed_import_shows_the_single_windows_error_on_the_receipt_and_as_the_reason(
        api, actor_a, django_capture_on_commit_callbacks):
    """导入失败 (ResponseCode other than 0) with an ErrorMessage: the user reads that message both on
    the 导入回执 and as the declaration's 失败原因, so they know what to correct."""
    decl = declared(actor_a, django_capture_on_commit_callbacks)
    apply(build_import_response(ImportResponse(client_seq_no=decl.client_seq_no, response_code="1",
                                               error_message="表头申报单位代码不存在")))
    body = shown(api, decl.pk)
    assert (body["status"], body["fail_reason"]) == (S.FAILED, "表头申报单位代码不存在")
    (receipt,) = body["receipts"]
    assert (receipt["kind"], receipt["channel"], receipt["note"]) == ("response", "1", "表头申报单位代码不存在")


def test_a_failed_import_without_an_error_message_still_gives_a_reason(
        api, actor_a, django_capture_on_commit_callbacks):
    """导入失败 whose ErrorMessage is empty: the 失败原因 reads 导入失败, never blank."""
    decl = declared(actor_a, django_capture_on_commit_callbacks)
    apply(build_import_response(ImportResponse(client_seq_no=decl.client_seq_no, response_code="9")))
    body = shown(api, decl.pk)
    assert (body["status"], body["fail_reason"]) == (S.FAILED, "导入失败")


def test_an_unknown_channel_code_is_recorded_without_a_status(api, actor_a, django_capture_on_commit_callbacks):
    """A CHANNEL code outside the table (``data/dec_result_channel.csv``) is recorded and shown as
    未知回执类型, implies no status and moves nothing."""
    decl = declared(actor_a, django_capture_on_commit_callbacks)
    apply(response(decl.client_seq_no), result("L"))
    before = state(decl)
    apply(result("Q"))
    assert state(decl) == before
    unknown = shown(api, decl.pk)["receipts"][-1]
    assert (unknown["channel"], unknown["text"], unknown["status"]) == ("Q", "未知回执类型(Q)", "")


def test_a_refusal_without_a_note_gives_the_receipts_text_as_the_reason(
        api, actor_a, django_capture_on_commit_callbacks):
    """不被受理 (CHANNEL E) whose NOTE is empty: the 退单原因 the user reads is the receipt's text,
    never blank."""
    decl = declared(actor_a, django_capture_on_commit_callbacks)
    apply(response(decl.client_seq_no), result("E", note=""))
    body = shown(api, decl.pk)
    assert (body["status"], body["reject_reason"]) == (S.REJECTED, "不被受理")


def test_a_receipt_naming_the_declaration_by_its_customs_number_only_is_applied(
        actor_a, django_capture_on_commit_callbacks):
    """A DEC_RESULT whose 统一编号 is not one recorded here but whose 海关编号 (ENTRY_ID) is: it is
    the declaration's, and applied (放行); the 统一编号 the declaration has stays."""
    decl = declared(actor_a, django_capture_on_commit_callbacks)
    apply(response(decl.client_seq_no), result("L"))
    accepted_at = Declaration.objects.get(pk=decl.pk).status_changed_at
    (outcome,) = apply(result("P", seq_no="000000000099999999", entry_id=ENTRY))
    assert isinstance(outcome, Receipt) and outcome.declaration_id == decl.pk, outcome
    assert state(decl)[:3] == (S.RELEASED, SEQ, ENTRY)
    assert Declaration.objects.get(pk=decl.pk).status_changed_at > accepted_at  # 状态变更时间 of the release


def test_the_customs_number_once_given_is_never_replaced_by_a_later_receipt(
        actor_a, django_capture_on_commit_callbacks):
    """海关编号 is assigned once (by the first DEC_RESULT carrying it); a later receipt naming another
    one (a contradictory file) still moves the status but does not change the number."""
    decl = declared(actor_a, django_capture_on_commit_callbacks)
    apply(response(decl.client_seq_no), result("L"))
    apply(result("P", entry_id="531620241000099999"))
    assert state(decl)[:3] == (S.RELEASED, SEQ, ENTRY)


def test_an_import_receipt_for_an_unknown_client_number_says_which_number(actor_a):
    """A 导入回执 naming a ClientSeqNo no declaration has is refused (the gateway quarantines it)
    with a message naming that number, so platform staff can trace the file."""
    (outcome,) = apply(response("610193000199999999"))
    assert isinstance(outcome, ReceiptError)
    assert str(outcome) == "找不到客户端编号为610193000199999999的报关单"
    assert not Receipt.objects.exists()
