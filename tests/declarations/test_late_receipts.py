"""Late and contradictory receipts: recorded where they belong, never moving a status back.

Receipts arrive out of order, twice, or after the sending they answer was superseded. The rules
(``declarations/services/receipts.py``): 结关, 退单 and 导入失败 end a sending, so a later receipt
of it is only recorded; 导入失败 answers the import and cannot follow customs' acceptance; a
refusal (不被受理, 退回修改) cannot follow a release, only a 海关删单 can (报关单撤销 after release,
《中华人民共和国海关进出口货物报关单修改和撤销管理办法》 海关总署令第220号); a receipt of an earlier
sending (before the declaration was amended and declared again under a new ClientSeqNo) is
recorded on the declaration and never moves the new sending.
"""

from __future__ import annotations

import datetime as dt

import pytest

from guanwu.audit.models import OperationLog
from guanwu.declarations import services
from guanwu.declarations.models import Declaration, DeclarationStatus, Receipt
from guanwu.gateway import folders
from guanwu.gateway import services as gateway
from guanwu.gateway.models import GatewayError
from guanwu.messages.dec.receipts import (
    DecResult,
    ImportResponse,
    ReceiptError,
    build_dec_result,
    build_import_response,
)
from tests.declarations.payloads import export_payload

pytestmark = pytest.mark.django_db
S = DeclarationStatus
SEQ = "000000000012345678"
ENTRY = "531620241000012345"


def declared(actor, capture) -> Declaration:
    draft = services.create_draft(actor, export_payload())
    with capture(execute=True):
        return services.declare(actor, draft.pk)


def response(client_seq_no: str, ok: bool = True, seq_no: str = SEQ, note: str = "") -> bytes:
    return build_import_response(ImportResponse(
        client_seq_no=client_seq_no, response_code="0" if ok else "1",
        error_message="" if ok else "报文格式错误", seq_no=seq_no if ok else "", trn_pre_id=note,
    ))


_minute = iter(range(10_000))


def result(channel: str, seq_no: str = SEQ, entry_id: str = ENTRY, note: str = "") -> bytes:
    """A DEC_RESULT; each call a minute later than the one before, so no two files are equal."""
    return build_dec_result(DecResult(
        seq_no=seq_no, channel=channel, entry_id=entry_id, note=note,
        notice_date=dt.datetime(2024, 11, 5, 10, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=next(_minute)),
    ))


def apply(*files: bytes) -> list:
    return services.apply_receipts([(raw, f"r{i}.xml") for i, raw in enumerate(files)])


def state(declaration: Declaration) -> tuple:
    d = Declaration.objects.get(pk=declaration.pk)
    return d.status, d.seq_no, d.entry_id, d.reject_reason, d.fail_reason, d.version


def last_log(declaration: Declaration) -> OperationLog:
    return OperationLog.objects.filter(object_id=str(declaration.pk), content_type__model="declaration").latest("id")


def closed(actor, capture) -> Declaration:
    decl = declared(actor, capture)
    apply(response(decl.client_seq_no), result("L"), result("P"), result("R"))
    assert Declaration.objects.get(pk=decl.pk).status == S.CLOSED
    return decl


def test_closed_is_final_a_late_rejection_is_recorded_and_changes_nothing(actor_a, django_capture_on_commit_callbacks):
    """结关 ends the declaration: a 不被受理 read after it (a file delayed in the exchange) must not
    make it 退单, which would make it editable and sendable again."""
    decl = closed(actor_a, django_capture_on_commit_callbacks)
    before = state(decl)
    (outcome,) = apply(result("E", note="[0069] 提运单号在舱单中不存在"))
    assert isinstance(outcome, Receipt) and outcome.declaration_id == decl.pk and outcome.channel == "E"
    assert state(decl) == before and before[0] == S.CLOSED and before[3] == ""
    log = last_log(decl)
    assert (log.action, log.status_before, log.status_after) == ("回执: 不被受理", "结关", "结关")


@pytest.mark.parametrize("late", ["P", "L", "D", "import-failure"])
def test_closed_is_final_for_every_late_receipt(actor_a, django_capture_on_commit_callbacks, late):
    decl = closed(actor_a, django_capture_on_commit_callbacks)
    before = state(decl)
    raw = response(decl.client_seq_no, ok=False) if late == "import-failure" else result(late)
    (outcome,) = apply(raw)
    assert isinstance(outcome, Receipt)
    assert state(decl) == before


def test_rejected_stays_rejected_when_a_contradictory_release_follows(actor_a, django_capture_on_commit_callbacks):
    decl = declared(actor_a, django_capture_on_commit_callbacks)
    apply(response(decl.client_seq_no), result("E", entry_id="", note="[0069] 提运单号在舱单中不存在"))
    before = state(decl)
    assert before[0] == S.REJECTED and "0069" in before[3]
    outcomes = apply(result("P"), result("R"))
    assert all(isinstance(o, Receipt) for o in outcomes)
    assert state(decl) == before  # no 海关编号 taken from the contradictory receipts either
    assert Receipt.objects.filter(declaration=decl).count() == 4


def test_failed_stays_failed_and_later_receipts_of_that_sending_are_recorded(
        actor_a, django_capture_on_commit_callbacks):
    """导入失败 then, contradicting it, 导入成功 with a 统一编号 and customs' receipts under that
    number: all recorded on the declaration (none quarantined as unknown), the status stays
    导入失败 until the user declares again."""
    decl = declared(actor_a, django_capture_on_commit_callbacks)
    apply(response(decl.client_seq_no, ok=False))
    before = state(decl)
    assert before[0] == S.FAILED and before[4] == "报文格式错误"
    outcomes = apply(response(decl.client_seq_no, note="late"), result("L"))
    assert [type(o).__name__ for o in outcomes] == ["Receipt", "Receipt"], outcomes
    assert state(decl) == before
    assert list(Receipt.objects.filter(declaration=decl).values_list("channel", flat=True)) == ["1", "0", "L"]


def test_accepted_is_not_turned_failed_by_a_late_import_failure(actor_a, django_capture_on_commit_callbacks):
    """导入失败 answers the import; once customs has accepted the declaration it is a contradiction,
    and must not make it 导入失败 (editable, deletable, sendable under a new number)."""
    decl = declared(actor_a, django_capture_on_commit_callbacks)
    apply(response(decl.client_seq_no), result("L"))
    before = state(decl)
    assert before[0] == S.ACCEPTED
    (outcome,) = apply(response(decl.client_seq_no, ok=False))
    assert isinstance(outcome, Receipt)
    assert state(decl) == before


def test_released_is_not_refused_late_but_a_customs_deletion_counts(actor_a, django_capture_on_commit_callbacks):
    decl = declared(actor_a, django_capture_on_commit_callbacks)
    apply(response(decl.client_seq_no), result("L"), result("P"))
    before = state(decl)
    assert before[0] == S.RELEASED
    apply(result("E", note="迟到的不被受理"), result("v", note="迟到的退回修改"))
    assert state(decl) == before
    apply(result("D", note="报关单撤销"))  # 海关删单 after release (海关总署令第220号)
    after = state(decl)
    assert (after[0], after[3]) == (S.REJECTED, "报关单撤销")


def test_receipts_of_an_earlier_sending_never_move_the_new_one(actor_a, django_capture_on_commit_callbacks):
    """退单, amended and declared again (a new ClientSeqNo): receipts of the first sending that
    arrive afterwards are recorded on the declaration, quarantined nowhere, and change nothing."""
    decl = declared(actor_a, django_capture_on_commit_callbacks)
    first_number = decl.client_seq_no
    apply(response(first_number), result("E", entry_id="", note="[0069] 提运单号在舱单中不存在"))
    services.update_draft(actor_a, decl.pk, {"bill_no": "COSU6201234561"})
    with django_capture_on_commit_callbacks(execute=True):
        again = services.declare(actor_a, decl.pk)
    assert again.client_seq_no != first_number
    before = state(decl)
    assert before[:3] == (S.DECLARED, "", "")
    late = [response(first_number, note="again"), result("L"), result("P")]
    for index, raw in enumerate(late):
        folders.atomic_write(folders.folder(folders.INBOX), f"late-{index}.xml", raw)
    polled = gateway.poll_inbox()
    assert (polled.done, polled.failed) == (3, 0)
    assert not GatewayError.objects.exists()
    assert state(decl) == before
    assert Receipt.objects.filter(declaration=decl).count() == 5
    # the new sending still moves on its own receipts
    apply(response(again.client_seq_no, seq_no="000000000087654321"))
    assert state(decl)[:2] == (S.DECLARED, "000000000087654321")
    apply(result("L", seq_no="000000000087654321", entry_id="531620241000099999"))
    assert state(decl)[:3] == (S.ACCEPTED, "000000000087654321", "531620241000099999")


def test_a_receipt_for_a_draft_that_was_never_sent_is_refused(actor_a, django_capture_on_commit_callbacks):
    """A draft may hold a ClientSeqNo stored ahead by the auto-declaration engine, but nothing was
    sent under it: a receipt naming it is not applied (the gateway quarantines it)."""
    from django.db import transaction

    from guanwu.declarations.numbering import allocate_client_seq_no

    draft = services.create_draft(actor_a, export_payload())
    with transaction.atomic():
        Declaration.objects.filter(pk=draft.pk).update(client_seq_no=allocate_client_seq_no(actor_a.enterprise))
    number = Declaration.objects.get(pk=draft.pk).client_seq_no
    (outcome,) = apply(response(number))
    assert isinstance(outcome, ReceiptError) and "尚未申报" in str(outcome)
    assert state(draft)[0] == S.DRAFT and not Receipt.objects.exists()


def test_an_earlier_sendings_receipt_in_the_same_batch_as_the_new_ones_loses_nothing(
        actor_a, django_capture_on_commit_callbacks):
    """One poll reads the new sending's 导入成功 and a late 放行 of the first sending together: the
    declaration moves on the first and only records the second (one declaration, one state)."""
    decl = declared(actor_a, django_capture_on_commit_callbacks)
    first_number = decl.client_seq_no
    apply(response(first_number), result("E", entry_id="", note="[0069] 提运单号在舱单中不存在"))
    services.update_draft(actor_a, decl.pk, {"bill_no": "COSU6201234561"})
    with django_capture_on_commit_callbacks(execute=True):
        again = services.declare(actor_a, decl.pk)
    outcomes = apply(result("P", note="late"), response(again.client_seq_no, seq_no="000000000087654321"),
                     result("L", note="late too"))
    assert [type(o).__name__ for o in outcomes] == ["Receipt", "Receipt", "Receipt"], outcomes
    assert state(decl)[:3] == (S.DECLARED, "000000000087654321", "")


def declared_again(actor, capture, decl: Declaration) -> Declaration:
    """Amend the ended sending and declare again: a new ClientSeqNo."""
    services.update_draft(actor, decl.pk, {"bill_no": "COSU6201234561"})
    with capture(execute=True):
        return services.declare(actor, decl.pk)


def test_a_late_import_receipt_of_a_failed_sending_is_recorded_on_its_declaration(
        actor_a, django_capture_on_commit_callbacks):
    """导入失败 is the only receipt of the first sending; declared again under a new ClientSeqNo, a
    contradicting 导入成功 of the first number arrives: it is found through the 导入回执 recorded
    under that number, recorded on the declaration (not quarantined as unknown) and changes nothing.
    (Mutation testing: the 导入回执 must record its ClientSeqNo.)"""
    decl = declared(actor_a, django_capture_on_commit_callbacks)
    first_number = decl.client_seq_no
    apply(response(first_number, ok=False))
    again = declared_again(actor_a, django_capture_on_commit_callbacks, decl)
    assert again.client_seq_no != first_number
    before = state(decl)
    (outcome,) = apply(response(first_number, note="late"))
    assert isinstance(outcome, Receipt) and outcome.declaration_id == decl.pk, outcome
    assert state(decl) == before and before[0] == S.DECLARED


def test_a_late_receipt_of_an_earlier_sending_lands_on_its_own_declaration_among_others(
        actor_a, django_capture_on_commit_callbacks):
    """Other declarations have receipts too (so no receipt's id equals its declaration's): a late
    放行 of an earlier sending is recorded on the declaration that sending belongs to, never on
    another one and never quarantined. (Mutation testing: the lookup must read the recorded
    receipt's declaration, not its own id.)"""
    other = declared(actor_a, django_capture_on_commit_callbacks)
    other_seq = "000000000011111111"
    apply(response(other.client_seq_no, seq_no=other_seq), result("L", seq_no=other_seq, entry_id=""))
    decl = declared(actor_a, django_capture_on_commit_callbacks)
    apply(response(decl.client_seq_no), result("E", entry_id="", note="[0069] 提运单号在舱单中不存在"))
    declared_again(actor_a, django_capture_on_commit_callbacks, decl)
    others_before, before = state(other), state(decl)
    (outcome,) = apply(result("P", note="late"))
    assert isinstance(outcome, Receipt) and outcome.declaration_id == decl.pk, outcome
    assert state(decl) == before and state(other) == others_before
    assert Receipt.objects.filter(declaration=other).count() == 2
