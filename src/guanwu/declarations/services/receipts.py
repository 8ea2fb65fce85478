"""回执: apply what the single window and customs answered, once per receipt.

``apply_receipt`` is the gateway's handler for DecImportResponse and DEC_RESULT files. The
sha256 of the file is the receipt's unique key, so a file read twice is recorded once. Status
only moves forward (declared -> accepted -> released -> closed); a late, out-of-order receipt
is recorded in the receipts tab without moving the status back. 退单 and 导入失败 are ends.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.messages.dec.receipts import DecResult, ImportResponse, ReceiptError, parse_receipt, receipt_dedupe_key

from .. import signals
from ..models import Declaration, DeclarationStatus, Receipt, ReceiptKind

S = DeclarationStatus
RANK = {S.DRAFT: 0, S.DECLARED: 1, S.ACCEPTED: 2, S.RELEASED: 3, S.CLOSED: 4}
ENDS = frozenset({S.REJECTED, S.FAILED, S.CLOSED})
# What a receipt may change on the declaration.
RECEIPT_FIELDS = ["status", "status_changed_at", "version", "seq_no", "entry_id", "reject_reason", "fail_reason",
                  "updated_at"]

# The fields a receipt reads and writes, and those the signals' receivers read (see signals.py).
LOADED = [
    "id", "enterprise_id", "client_seq_no", "ie_flag", "trade_code", "trade_name", "bill_no", "created_at",
    *RECEIPT_FIELDS,
]


def _one(qs) -> Declaration | None:
    """The row found by a (nearly) unique number: no ORDER BY, unlike ``first()``."""
    return next(iter(qs[:1]), None)


def _find(receipt: ImportResponse | DecResult) -> Declaration:
    qs = Declaration.objects.select_for_update().only(*LOADED).order_by()
    if isinstance(receipt, ImportResponse):
        found = _one(qs.filter(client_seq_no=receipt.client_seq_no)) if receipt.client_seq_no else None
        if found is None:
            raise ReceiptError(f"找不到客户端编号为{receipt.client_seq_no or '(空)'}的报关单")
        return found
    found = None
    if receipt.seq_no:
        found = _one(qs.filter(seq_no=receipt.seq_no))
    if found is None and receipt.entry_id:
        found = _one(qs.filter(entry_id=receipt.entry_id))
    if found is None:
        raise ReceiptError(f"找不到统一编号为{receipt.seq_no or '(空)'}的报关单")
    return found


def _next_status(current: str, implied: str | None) -> str | None:
    """The status a receipt moves the declaration to, or None to only record it."""
    if not implied or implied == current or current in ENDS:
        return None
    if implied in (S.REJECTED, S.FAILED):
        return implied
    if RANK.get(implied, -1) > RANK.get(current, 99):
        return implied
    return None


@transaction.atomic
def apply_receipt(raw: bytes, file_name: str = "") -> Receipt | None:
    """Record one receipt file and move its declaration's status; None when already applied.

    Raises ReceiptError (the gateway quarantines the file) for a malformed receipt or one that
    matches no declaration."""
    receipt = parse_receipt(raw)
    key = receipt_dedupe_key(raw)
    if Receipt.objects.filter(dedupe_key=key).exists():
        return None
    declaration = _find(receipt)
    before = declaration.status
    if isinstance(receipt, ImportResponse):
        row = Receipt(
            kind=ReceiptKind.RESPONSE, channel=receipt.response_code, channel_text=receipt.text,
            note=receipt.error_message, client_seq_no=receipt.client_seq_no, seq_no=receipt.seq_no,
        )
        if receipt.ok and receipt.seq_no and not declaration.seq_no and before == S.DECLARED:
            declaration.seq_no = receipt.seq_no
        if not receipt.ok and before == S.DECLARED:
            declaration.fail_reason = receipt.error_message or receipt.text
    else:
        row = Receipt(
            kind=ReceiptKind.RESULT, channel=receipt.channel, channel_text=receipt.channel_text,
            note=receipt.note, client_seq_no=declaration.client_seq_no or "", seq_no=receipt.seq_no,
            entry_id=receipt.entry_id, notice_date=receipt.notice_date,
        )
        if receipt.entry_id and not declaration.entry_id and before not in ENDS:
            declaration.entry_id = receipt.entry_id
        if receipt.seq_no and not declaration.seq_no:
            declaration.seq_no = receipt.seq_no
    implied = receipt.implied_status
    row.implied_status = implied or ""
    new = _next_status(before, implied)
    if new == S.REJECTED:
        declaration.reject_reason = (receipt.note or getattr(receipt, "channel_text", "") or "退单")[:2000]
    row.enterprise_id = declaration.enterprise_id
    row.declaration = declaration
    row.file_name = file_name[:255]
    row.raw_xml = raw.decode("utf-8", errors="replace")[:200_000]
    row.dedupe_key = key
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # the same file applied concurrently by another poller
        return None
    if new:
        declaration.status = new
        declaration.status_changed_at = timezone.now()
        declaration.version += 1
    declaration.save(update_fields=RECEIPT_FIELDS)
    audit.record(
        None, declaration, f"回执: {row.channel_text or row.channel}",
        before=S(before).label, after=S(declaration.status).label, opinion=row.note[:1000],
        enterprise=declaration.enterprise_id,
    )
    if new == S.ACCEPTED:
        signals.send_after_commit(signals.declaration_accepted, declaration)
    elif new == S.RELEASED:
        signals.send_after_commit(signals.declaration_released, declaration)
    return row
