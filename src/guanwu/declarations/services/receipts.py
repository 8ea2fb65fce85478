"""回执: apply what the single window and customs answered, once per receipt.

``apply_receipt`` is the gateway's handler for DecImportResponse and DEC_RESULT files. The
sha256 of the file is the receipt's unique key, so a file read twice is recorded once.

What a receipt may change (every receipt is recorded in the receipts tab and the operation log,
whatever it changes):

- the status only moves forward, 已申报 -> 海关已接收 -> 放行 -> 结关, or to an end of the sending;
  a late, out-of-order receipt never moves it back;
- 结关, 退单 and 导入失败 end a sending: a later receipt of it changes nothing;
- 导入失败 answers the import, so it only ends a sending that is 已申报; after customs accepted
  the declaration it is a contradiction and changes nothing;
- 退单 (不被受理, 退回修改) ends a sending customs has not released; after 放行 only 海关删单
  does (报关单撤销 after release, 《中华人民共和国海关进出口货物报关单修改和撤销管理办法》,
  海关总署令第220号); 撤销 after 结关 is not applied either: 结关 is final here, say so to the user
  through the receipt recorded;
- a receipt of an earlier sending (the declaration was amended and declared again under a new
  ClientSeqNo) is found through the receipts recorded for that sending, recorded on the
  declaration and changes nothing;
- a receipt naming a declaration that was never sent (a draft holding a ClientSeqNo stored
  ahead by the auto-declaration engine) is refused: nothing was sent under that number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.audit.models import OperationLog
from guanwu.messages.dec.receipts import DecResult, ImportResponse, ReceiptError, parse_receipt, receipt_dedupe_key

from .. import signals
from ..models import Declaration, DeclarationStatus, Receipt, ReceiptKind

S = DeclarationStatus
RANK = {S.DRAFT: 0, S.DECLARED: 1, S.ACCEPTED: 2, S.RELEASED: 3, S.CLOSED: 4}
ENDS = frozenset({S.REJECTED, S.FAILED, S.CLOSED})
IN_CUSTOMS = frozenset({S.DECLARED, S.ACCEPTED, S.RELEASED})  # what a receipt may still move
# What a receipt may change on the declaration.
RECEIPT_FIELDS = ["status", "status_changed_at", "version", "seq_no", "entry_id", "reject_reason", "fail_reason",
                  "updated_at"]

# The fields a receipt reads and writes, and those the signals' receivers read (see signals.py).
LOADED = [
    "id", "enterprise_id", "client_seq_no", "ie_flag", "trade_code", "trade_name", "bill_no", "created_at",
    *RECEIPT_FIELDS,
]


# 海关删单: the one refusal that may follow a release (报关单撤销, 海关总署令第220号).
DELETED_BY_CUSTOMS = "D"


def _next_status(current: str, implied: str | None, channel: str = "") -> str | None:
    """The status a receipt moves the declaration to, or None to only record it (see the module
    docstring for the rules)."""
    if not implied or implied == current or current not in IN_CUSTOMS:
        return None  # 暂存 was never sent; 结关, 退单 and 导入失败 are final
    if implied == S.FAILED:
        return implied if current == S.DECLARED else None
    if implied == S.REJECTED:
        return implied if current != S.RELEASED or channel == DELETED_BY_CUSTOMS else None
    return implied if RANK.get(implied, -1) > RANK[current] else None


@dataclass
class _Numbers:
    by_client: dict[str, Declaration] = field(default_factory=dict)
    by_seq: dict[str, Declaration] = field(default_factory=dict)
    by_entry: dict[str, Declaration] = field(default_factory=dict)

    def add(self, declaration: Declaration, client: str, seq: str, entry: str) -> None:
        for index, number in ((self.by_client, client), (self.by_seq, seq), (self.by_entry, entry)):
            if number:
                index.setdefault(number, declaration)

    def find(self, receipt: ImportResponse | DecResult) -> Declaration | None:
        if isinstance(receipt, ImportResponse):
            return self.by_client.get(receipt.client_seq_no) if receipt.client_seq_no else None
        found = self.by_seq.get(receipt.seq_no) if receipt.seq_no else None
        if found is None and receipt.entry_id:
            found = self.by_entry.get(receipt.entry_id)
        return found


@dataclass
class _Batch:
    """The declarations a batch of receipts touches, found by each number a receipt may carry:
    the numbers of their current sending first, then those of earlier sendings (the receipts
    recorded for them, looked up only for a receipt no current sending answers to). One
    instance per declaration, whichever way it was found."""

    current: _Numbers = field(default_factory=_Numbers)
    earlier: _Numbers = field(default_factory=_Numbers)
    by_pk: dict[int, Declaration] = field(default_factory=dict)

    def add(self, declaration: Declaration) -> Declaration:
        declaration = self.by_pk.setdefault(declaration.pk, declaration)
        self.current.add(declaration, declaration.client_seq_no or "", declaration.seq_no, declaration.entry_id)
        return declaration

    def find(self, receipt: ImportResponse | DecResult) -> tuple[Declaration, bool]:
        """The declaration and whether the receipt is of an earlier sending; ReceiptError when none."""
        found = self.current.find(receipt)
        if found is not None:
            if found.status == S.DRAFT:
                raise ReceiptError(f"客户端编号为{found.client_seq_no}的报关单尚未申报, 回执不能对应")
            return found, False
        found = self.earlier.find(receipt) or self._recorded(receipt)
        if found is not None:
            return found, True
        if isinstance(receipt, ImportResponse):
            raise ReceiptError(f"找不到客户端编号为{receipt.client_seq_no or '(空)'}的报关单")
        raise ReceiptError(f"找不到统一编号为{receipt.seq_no or '(空)'}的报关单")

    def _recorded(self, receipt: ImportResponse | DecResult) -> Declaration | None:
        """The declaration a receipt of an earlier sending belongs to, through the receipts
        recorded under the same ClientSeqNo or 统一编号 (locked like the others)."""
        if isinstance(receipt, ImportResponse):
            q = Q(client_seq_no=receipt.client_seq_no) if receipt.client_seq_no else None
        else:
            q = Q(seq_no=receipt.seq_no) if receipt.seq_no else None
        if q is None:
            return None
        pk = Receipt.objects.filter(q).order_by("id").values_list("declaration_id", flat=True).first()
        if pk is None:
            return None
        if pk not in self.by_pk:
            declaration = Declaration.objects.select_for_update().only(*LOADED).filter(pk=pk).first()
            if declaration is None:
                return None
            self.by_pk[pk] = declaration
        return self.by_pk[pk]


def _load(receipts: list[ImportResponse | DecResult]) -> _Batch:
    """Every declaration the receipts name by its current numbers, locked, in one query."""
    clients = {r.client_seq_no for r in receipts if isinstance(r, ImportResponse) and r.client_seq_no}
    seqs = {r.seq_no for r in receipts if isinstance(r, DecResult) and r.seq_no}
    entries = {r.entry_id for r in receipts if isinstance(r, DecResult) and r.entry_id}
    batch = _Batch()
    if not (clients or seqs or entries):
        return batch
    q = Q(client_seq_no__in=clients) | Q(seq_no__in=seqs) | Q(entry_id__in=entries)
    for declaration in Declaration.objects.select_for_update().only(*LOADED).filter(q).order_by("pk"):
        batch.add(declaration)
    return batch


def _apply(declaration: Declaration, receipt: ImportResponse | DecResult,
           earlier: bool = False) -> tuple[Receipt, str | None]:
    """Apply ``receipt`` to ``declaration`` in memory: the Receipt row (unsaved) and the new status.

    ``earlier``: the receipt answers an earlier sending; it is only recorded."""
    before = declaration.status
    if isinstance(receipt, ImportResponse):
        row = Receipt(
            kind=ReceiptKind.RESPONSE, channel=receipt.response_code, channel_text=receipt.text,
            note=receipt.error_message, client_seq_no=receipt.client_seq_no, seq_no=receipt.seq_no,
        )
        if earlier:
            pass
        elif receipt.ok and receipt.seq_no and not declaration.seq_no and before == S.DECLARED:
            declaration.seq_no = receipt.seq_no
        elif not receipt.ok and before == S.DECLARED:
            declaration.fail_reason = receipt.error_message or receipt.text
    else:
        row = Receipt(
            kind=ReceiptKind.RESULT, channel=receipt.channel, channel_text=receipt.channel_text,
            note=receipt.note, client_seq_no="" if earlier else declaration.client_seq_no or "",
            seq_no=receipt.seq_no, entry_id=receipt.entry_id, notice_date=receipt.notice_date,
        )
        if not earlier and before not in ENDS:
            if receipt.entry_id and not declaration.entry_id:
                declaration.entry_id = receipt.entry_id
            if receipt.seq_no and not declaration.seq_no:
                declaration.seq_no = receipt.seq_no
    implied = receipt.implied_status
    row.implied_status = implied or ""
    new = None if earlier else _next_status(before, implied, row.channel)
    if new == S.REJECTED:
        declaration.reject_reason = (receipt.note or getattr(receipt, "channel_text", "") or "退单")[:2000]
    if new:
        declaration.status = new
        declaration.status_changed_at = timezone.now()
        declaration.version += 1
    row.enterprise_id = declaration.enterprise_id
    row.declaration = declaration
    return row, new


@transaction.atomic
def apply_receipts(files: list[tuple[bytes, str]]) -> list[Receipt | ReceiptError | None]:
    """Apply receipt files in order, in the caller's transaction; one outcome per file: the
    Receipt recorded, None when already applied, or the ReceiptError of a malformed receipt or
    one that matches no declaration (nothing of that file is written; the gateway quarantines it).

    A few queries for the whole batch: the receipts already applied, the declarations named
    (locked), then the new receipts, the changed declarations and the operation log written
    together. A receipt and a later one for the same declaration in the same batch (导入成功
    gives the 统一编号 that the next one names) are applied in that order. Raises
    IntegrityError when another poller recorded one of the same files meanwhile: the gateway
    then applies the files one by one."""
    outcomes: list[Receipt | ReceiptError | None] = [None] * len(files)
    parsed: list[tuple[int, ImportResponse | DecResult, str]] = []
    for index, (raw, _name) in enumerate(files):
        try:
            parsed.append((index, parse_receipt(raw), receipt_dedupe_key(raw)))
        except ReceiptError as exc:
            outcomes[index] = exc
    keys = {key for _, _, key in parsed}
    seen = set(Receipt.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)) if keys else set()
    batch = _load([receipt for _, receipt, key in parsed if key not in seen])
    rows: list[Receipt] = []
    logs: list[OperationLog] = []
    changed: dict[int, Declaration] = {}
    accepted: list[Declaration] = []
    released: list[Declaration] = []
    for index, receipt, key in parsed:
        if key in seen:
            continue  # applied before (or twice in this batch): None
        try:
            declaration, earlier = batch.find(receipt)
        except ReceiptError as exc:
            outcomes[index] = exc
            continue
        before = declaration.status
        row, new = _apply(declaration, receipt, earlier)
        raw, name = files[index]
        row.file_name = name[:255]
        row.raw_xml = raw.decode("utf-8", errors="replace")[:200_000]
        row.dedupe_key = key
        seen.add(key)
        batch.add(declaration)  # now findable by the numbers this receipt gave it
        batch.earlier.add(declaration, row.client_seq_no, row.seq_no, row.entry_id)  # and by those it only named
        rows.append(row)
        outcomes[index] = row
        changed[declaration.pk] = declaration
        logs.append(audit.entry(
            None, declaration, f"回执: {row.channel_text or row.channel}",
            before=S(before).label, after=S(declaration.status).label, opinion=row.note[:1000],
            enterprise=declaration.enterprise_id,
        ))
        if new == S.ACCEPTED:
            accepted.append(declaration)
        elif new == S.RELEASED:
            released.append(declaration)
    if not rows:
        return outcomes
    Receipt.objects.bulk_create(rows)
    for declaration in changed.values():
        declaration.save(update_fields=RECEIPT_FIELDS)
    audit.record_many(logs)
    signals.receipts_applied.send(sender=Receipt, receipts=rows)
    for declaration in accepted:
        signals.send_after_commit(signals.declaration_accepted, declaration)
    for declaration in released:
        signals.send_after_commit(signals.declaration_released, declaration)
    return outcomes


def apply_receipt(raw: bytes, file_name: str = "") -> Receipt | None:
    """Record one receipt file and move its declaration's status; None when already applied.

    Raises ReceiptError (the gateway quarantines the file) for a malformed receipt or one that
    matches no declaration."""
    try:
        with transaction.atomic():
            (outcome,) = apply_receipts([(raw, file_name)])
            if isinstance(outcome, ReceiptError):
                raise outcome
    except IntegrityError:  # the same file applied concurrently by another poller
        if Receipt.objects.filter(dedupe_key=receipt_dedupe_key(raw)).exists():
            return None
        raise
    return outcome
