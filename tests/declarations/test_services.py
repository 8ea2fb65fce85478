"""Declaration services: drafts, states, audit, idempotent sending and receipts applied once."""

from __future__ import annotations

import datetime as dt

import pytest

from guanwu.audit.models import OperationLog
from guanwu.core.errors import Forbidden, NotFound, ServiceError
from guanwu.declarations import services, signals
from guanwu.declarations.models import Declaration, DeclarationStatus, Receipt
from guanwu.gateway import folders
from guanwu.gateway.models import OutboxMessage
from guanwu.messages.dec.receipts import (
    DecResult,
    ImportResponse,
    ReceiptError,
    build_dec_result,
    build_import_response,
)
from tests.declarations.payloads import export_payload, import_payload

pytestmark = pytest.mark.django_db
S = DeclarationStatus


def logs(declaration) -> list[str]:
    return list(
        OperationLog.objects.filter(object_id=str(declaration.pk), content_type__model="declaration")
        .order_by("id").values_list("action", flat=True)
    )


def declared(actor, django_capture_on_commit_callbacks, raw=None) -> Declaration:
    draft = services.create_draft(actor, raw or export_payload())
    with django_capture_on_commit_callbacks(execute=True):
        return services.declare(actor, draft.pk)


def response(decl, ok=True, seq_no="000000000012345678") -> bytes:
    return build_import_response(ImportResponse(
        client_seq_no=decl.client_seq_no, response_code="0" if ok else "1",
        error_message="" if ok else "报文格式错误", seq_no=seq_no if ok else "",
    ))


def result(seq_no: str, channel: str, entry_id: str = "", note: str = "") -> bytes:
    return build_dec_result(DecResult(
        seq_no=seq_no, channel=channel, entry_id=entry_id, note=note,
        notice_date=dt.datetime(2024, 11, 5, 10, 0, tzinfo=dt.UTC),
    ))


def test_create_draft_fills_enterprise_defaults_and_logs(actor_a):
    decl = services.create_draft(actor_a, export_payload())
    assert decl.status == S.DRAFT
    assert decl.agent_code == actor_a.enterprise.customs_code
    assert decl.cop_code == actor_a.enterprise.scc[8:17]
    assert [i.g_no for i in decl.items.all()] == [1, 2]
    assert decl.items.get(g_no=1).first_unit == "011"  # legal unit filled from the tariff
    assert logs(decl) == ["暂存"]


def test_create_draft_refuses_bad_input_and_writes_nothing(actor_a):
    raw = export_payload(trade_country="QQQ")
    raw["items"][0]["g_qty"] = "abc"
    with pytest.raises(ServiceError) as exc:
        services.create_draft(actor_a, raw)
    # a value that cannot be read and a code the rules refuse, in one pass (issue 11, point 16)
    assert [e.field for e in exc.value.errors] == ["items[0].g_qty", "trade_country"]
    raw["items"][0]["g_qty"] = "3000"
    with pytest.raises(ServiceError) as exc:
        services.create_draft(actor_a, raw)
    assert exc.value.errors[0].field == "trade_country"
    assert Declaration.objects.count() == 0
    assert OperationLog.objects.count() == 0


def test_update_replaces_given_children_and_checks_version(actor_a):
    decl = services.create_draft(actor_a, export_payload())
    raw = export_payload()
    updated = services.update_draft(actor_a, decl.pk, {"items": raw["items"][:1], "bill_no": "NEW-1", "version": 1})
    assert updated.items.count() == 1 and updated.bill_no == "NEW-1"
    assert updated.containers.count() == 1  # not given: kept
    assert updated.version == 2
    with pytest.raises(ServiceError) as exc:
        services.update_draft(actor_a, decl.pk, {"bill_no": "X", "version": 1})
    assert exc.value.status == 409
    assert logs(decl) == ["暂存", "修改"]


def test_other_enterprise_cannot_see_or_change(actor_a, actor_b):
    decl = services.create_draft(actor_a, export_payload())
    for call in (
        lambda: services.get_declaration(actor_b, decl.pk),
        lambda: services.update_draft(actor_b, decl.pk, {"bill_no": "X"}),
        lambda: services.declare(actor_b, decl.pk),
        lambda: services.copy_declaration(actor_b, decl.pk),
        lambda: services.delete_declarations(actor_b, [decl.pk]),
    ):
        with pytest.raises(NotFound):
            call()


def test_delete_only_drafts_and_operators_only_their_own(actor_a, operator_actor_a, django_capture_on_commit_callbacks):
    mine = services.create_draft(operator_actor_a, export_payload())
    admins = services.create_draft(actor_a, export_payload())
    with pytest.raises(Forbidden):
        services.delete_declarations(operator_actor_a, [admins.pk])
    assert services.delete_declarations(operator_actor_a, [mine.pk]) == 1
    sent = declared(actor_a, django_capture_on_commit_callbacks)
    with pytest.raises(ServiceError, match="只能删除暂存"):
        services.delete_declarations(actor_a, [sent.pk, admins.pk])
    assert Declaration.objects.filter(pk=admins.pk).exists()  # all or nothing


def test_declare_reports_every_error_at_once(actor_a):
    raw = export_payload(trade_mode="", net_wt="9999")
    raw["items"][1]["g_model"] = "1|0"
    decl = services.create_draft(actor_a, raw)
    with pytest.raises(ServiceError) as exc:
        services.declare(actor_a, decl.pk)
    assert {"trade_mode", "net_wt", "items[1].g_model"} <= {e.field for e in exc.value.errors}
    decl.refresh_from_db()
    assert decl.status == S.DRAFT and not decl.client_seq_no
    assert OutboxMessage.objects.count() == 0


def test_declare_writes_the_message_once(actor_a, django_capture_on_commit_callbacks):
    decl = declared(actor_a, django_capture_on_commit_callbacks)
    assert decl.status == S.DECLARED
    assert decl.client_seq_no.startswith(actor_a.enterprise.customs_code)
    files = list(folders.folder(folders.OUTBOX).glob("*.xml"))
    assert [f.name for f in files] == [f"DecMessage_{decl.client_seq_no}.xml"]
    assert b"<ClientSeqNo>" + decl.client_seq_no.encode() in files[0].read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.declare(actor_a, decl.pk)  # a double click, a re-run job
    assert again.client_seq_no == decl.client_seq_no
    assert OutboxMessage.objects.count() == 1
    assert len(list(folders.folder(folders.OUTBOX).glob("*.xml"))) == 1
    assert logs(decl) == ["暂存", "申报"]


def test_a_batch_of_receipts_applies_in_order_and_isolates_the_bad_ones(actor_a, django_capture_on_commit_callbacks):
    first = declared(actor_a, django_capture_on_commit_callbacks)
    second = declared(actor_a, django_capture_on_commit_callbacks)
    seq1, seq2, entry1 = "000000000011111111", "000000000022222222", "531620241000011111"
    files = [
        (response(first, seq_no=seq1), "1.xml"),
        (result(seq1, "L", entry1), "2.xml"),  # names the 统一编号 the file before gave
        (result(seq1, "L", entry1), "2-again.xml"),  # the same content twice: applied once
        (result("999999999999999999", "P"), "stray.xml"),  # no such declaration
        (b"<DEC_RESULT><broken", "broken.xml"),
        (response(second, ok=False), "3.xml"),
        (result(seq1, "P", entry1), "4.xml"),
    ]
    outcomes = services.apply_receipts(files)
    assert [type(o).__name__ for o in outcomes] == [
        "Receipt", "Receipt", "NoneType", "ReceiptError", "ReceiptError", "Receipt", "Receipt"]
    assert "找不到统一编号为999999999999999999的报关单" in str(outcomes[3])
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.seq_no, first.entry_id) == (S.RELEASED, seq1, entry1)
    assert (second.status, second.fail_reason) == (S.FAILED, "报文格式错误")
    assert list(Receipt.objects.filter(declaration=first).values_list("channel", flat=True)) == ["0", "L", "P"]
    assert logs(first)[2:] == ["回执: 导入成功", "回执: 海关已接收", "回执: 报关单放行"]
    assert services.apply_receipts(files[:3]) == [None, None, None]  # the poll read them again
    assert seq2 and Receipt.objects.count() == 4


def test_receipts_move_the_status_forward_once(actor_a, django_capture_on_commit_callbacks):
    decl = declared(actor_a, django_capture_on_commit_callbacks)
    accepted_seen, released_seen = [], []
    signals.declaration_accepted.connect(lambda declarations, **kw: accepted_seen.extend(d.pk for d in declarations),
                                         weak=False, dispatch_uid="t-acc")
    signals.declaration_released.connect(lambda declarations, **kw: released_seen.extend(d.pk for d in declarations),
                                         weak=False, dispatch_uid="t-rel")
    try:
        seq = "000000000012345678"
        entry = "531620241000012345"
        with django_capture_on_commit_callbacks(execute=True):
            assert services.apply_receipt(response(decl, seq_no=seq), "r1.xml")
            assert services.apply_receipt(result(seq, "L", entry), "r2.xml")
            assert services.apply_receipt(result(seq, "L", entry), "r2-again.xml") is None  # same file twice
            assert services.apply_receipt(result(seq, "P", entry), "r3.xml")
            assert services.apply_receipt(result(seq, "L", entry, note="late"), "r4.xml")  # out of order
        decl.refresh_from_db()
        assert (decl.status, decl.seq_no, decl.entry_id) == (S.RELEASED, seq, entry)
        assert Receipt.objects.filter(declaration=decl).count() == 4
        assert accepted_seen == [decl.pk] and released_seen == [decl.pk]
        services.apply_receipt(result(seq, "R", entry), "r5.xml")
        decl.refresh_from_db()
        assert decl.status == S.CLOSED
        assert logs(decl)[:2] == ["暂存", "申报"] and len(logs(decl)) == 7
    finally:
        signals.declaration_accepted.disconnect(dispatch_uid="t-acc")
        signals.declaration_released.disconnect(dispatch_uid="t-rel")


def test_rejected_declaration_can_be_amended_and_declared_again(actor_a, django_capture_on_commit_callbacks):
    decl = declared(actor_a, django_capture_on_commit_callbacks)
    first_number = decl.client_seq_no
    services.apply_receipt(response(decl, seq_no="000000000000000777"))
    services.apply_receipt(result("000000000000000777", "E", note="[0069] 提运单号在舱单中不存在"))
    decl.refresh_from_db()
    assert decl.status == S.REJECTED and "0069" in decl.reject_reason
    services.update_draft(actor_a, decl.pk, {"bill_no": "COSU6201234560"})
    with django_capture_on_commit_callbacks(execute=True):
        again = services.declare(actor_a, decl.pk)
    assert again.status == S.DECLARED and again.client_seq_no != first_number and not again.seq_no
    assert OutboxMessage.objects.count() == 2
    copy = services.copy_declaration(actor_a, decl.pk)
    assert copy.status == S.DRAFT and copy.copied_from_id == decl.pk and copy.items.count() == 2


def test_failed_import_response(actor_a, django_capture_on_commit_callbacks):
    decl = declared(actor_a, django_capture_on_commit_callbacks)
    services.apply_receipt(response(decl, ok=False))
    decl.refresh_from_db()
    assert decl.status == S.FAILED and decl.fail_reason == "报文格式错误"


def test_unknown_or_malformed_receipts_raise(actor_a):
    with pytest.raises(ReceiptError):
        services.apply_receipt(result("999999999999999999", "L"))
    with pytest.raises(ReceiptError):
        services.apply_receipt(b"<DEC_RESULT><SEQ_NO>1</SEQ_NO")
    assert Receipt.objects.count() == 0


def test_import_declaration_checks_import_rules(actor_a, django_capture_on_commit_callbacks):
    decl = declared(actor_a, django_capture_on_commit_callbacks, import_payload())
    assert decl.status == S.DECLARED and decl.ie_flag == "I"
