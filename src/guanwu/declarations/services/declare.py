"""申报: check every rule, number the sending, write the DecMessage to the gateway's outbox.

The ClientSeqNo is allocated and stored in the same transaction that queues the message
(``gateway.enqueue`` writes the file only after commit, keyed by that number), so declaring
twice or re-running a batch never sends a declaration twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, ServiceError
from guanwu.core.locking import lock
from guanwu.messages.dec.schema import validate_dec_message
from guanwu.params import usage as code_usage
from guanwu.tenancy.context import Actor

from .. import payload, rules, signals
from ..decmessage import build_message, prefetch_message_rows
from ..models import Declaration, DeclarationStatus
from ..numbering import allocate_client_seq_no
from .drafts import EDITABLE
from .queries import get_declaration

MESSAGE_KIND = "DecMessage"


def check_declaration(actor: Actor, declaration_id: int | str, as_of: dt.date | None = None) -> rules.Findings:
    """Every 申报 error and warning of a stored declaration, without changing it."""
    declaration = get_declaration(actor, declaration_id)
    return rules.check(payload.from_instance(declaration), on_declare=True, as_of=as_of, enterprise=actor.enterprise)


def reserve_client_seq_no(actor: Actor, declaration_id: int) -> str | None:
    """Store a draft's ClientSeqNo ahead of 申报, in a short transaction of its own; the number
    is returned, or None when the draft has one already (or is not the actor's enterprise's).

    ``declare`` allocates the number when the draft has none, holding the enterprise's number
    counter locked until its transaction ends; a caller that declares many drafts in parallel
    (the auto-declaration engine) reserves the numbers first so that its workers do not take
    turns for the whole of 申报. ``declare`` then uses the stored number (the draft keeps it
    should it not be sent now): the same idempotency key, only stored earlier.

    The declaration first, then the number counter: the order 申报 takes them in (the other way
    round, the two deadlock on the same declaration)."""
    with transaction.atomic():
        pk = lock(Declaration.objects.filter(pk=declaration_id, enterprise=actor.enterprise,
                                             client_seq_no__isnull=True)).values_list("pk", flat=True).first()
        if pk is None:
            return None
        number = allocate_client_seq_no(actor.enterprise)
        Declaration.objects.filter(pk=pk).update(client_seq_no=number)
        return number


# What 申报 changes on the declaration (saved with update_fields: the rest is as loaded).
DECLARE_FIELDS = ["client_seq_no", "seq_no", "entry_id", "reject_reason", "fail_reason", "status", "declared_at",
                  "status_changed_at", "version", "updated_at"]


@transaction.atomic
def declare(actor: Actor, declaration_id: int | str, *, locked: Declaration | None = None,
            automatic: bool = False) -> Declaration:
    """申报 one declaration. Raises ServiceError with every 申报 error at once; declaring a
    declaration that is already 已申报 changes nothing and sends nothing.

    ``locked``: the declaration, when the caller has loaded it with ``select_for_update`` in
    the transaction this runs in (the auto-declaration engine), so it is not loaded twice.
    ``automatic``: the auto-declaration engine declares it (``signals.declaration_declared``
    tells receivers whether it went by hand)."""
    if locked is not None and locked.pk == int(declaration_id) and locked.enterprise_id == actor.enterprise.pk:
        declaration = locked
    else:
        declaration = get_declaration(actor, declaration_id, for_update=True)
    if declaration.status == DeclarationStatus.DECLARED:
        return declaration
    if declaration.status not in EDITABLE:
        raise ServiceError(f"报关单状态为“{declaration.get_status_display()}”, 不能申报", status=409)
    prefetch_message_rows([declaration])  # one load for the rules and the message
    data = payload.from_instance(declaration)
    findings = rules.check(data, on_declare=True, enterprise=actor.enterprise)
    if findings.errors:
        raise ServiceError.fields(findings.errors, f"申报校验未通过, 共{len(findings.errors)}处错误")
    before = declaration.status
    resend = before != DeclarationStatus.DRAFT
    if resend or not declaration.client_seq_no:
        # A rejected or failed declaration goes again as a new sending with a new number.
        declaration.client_seq_no = allocate_client_seq_no(actor.enterprise)
        declaration.seq_no = declaration.entry_id = ""
        declaration.reject_reason = declaration.fail_reason = ""
    now = timezone.now()
    declaration.status = DeclarationStatus.DECLARED
    declaration.declared_at = declaration.status_changed_at = now
    declaration.version += 1
    declaration.save(update_fields=DECLARE_FIELDS)
    xml = build_message(declaration, sign_date=timezone.localtime(now))
    problems = validate_dec_message(xml)
    if problems:
        raise ServiceError.fields([FieldError("", p) for p in problems], "报文校验未通过")
    from guanwu.gateway import services as gateway  # imported late: the gateway app loads after this one

    gateway.enqueue(MESSAGE_KIND, declaration.client_seq_no, xml)
    code_usage.record(actor.enterprise.pk, payload.code_uses(data))  # the pickers rank by it, after commit
    audit.record(
        actor, declaration, "申报", before=DeclarationStatus(before).label, after=DeclarationStatus.DECLARED.label,
        changes={"client_seq_no": [None, declaration.client_seq_no]},
        opinion="; ".join(w.message for w in findings.warnings)[:1000],
    )
    signals.declaration_declared.send(sender=Declaration, declaration=declaration, actor=actor,
                                      previous_status=before, automatic=automatic)
    return declaration


@dataclass
class DeclareOutcome:
    declared: list[int] = field(default_factory=list)
    failed: dict[int, list[str]] = field(default_factory=dict)


def declare_many(actor: Actor, ids: list[int | str]) -> DeclareOutcome:
    """申报 several declarations, each on its own: one refused declaration does not stop the rest."""
    outcome = DeclareOutcome()
    for pk in ids:
        try:
            declaration = declare(actor, pk)
        except ServiceError as exc:
            outcome.failed[int(pk) if str(pk).isdigit() else 0] = [e.message for e in exc.errors] or [exc.message]
        else:
            outcome.declared.append(declaration.pk)
    return outcome
