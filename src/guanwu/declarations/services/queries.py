"""Reading declarations as the current enterprise may see them."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from guanwu.tenancy.context import Actor
from guanwu.tenancy.lookup import get_owned

from ..models import Declaration


def get_declaration(actor: Actor, declaration_id: int | str, *, for_update: bool = False) -> Declaration:
    """One declaration of the actor's enterprise; another enterprise's id is simply not found."""
    return get_owned(Declaration.objects.for_enterprise(actor.enterprise), declaration_id, "报关单",
                     for_update=for_update)


def list_declarations(
    actor: Actor,
    *,
    status: str = "",
    ie_flag: str = "",
    q: str = "",
) -> QuerySet[Declaration]:
    qs = Declaration.objects.for_enterprise(actor.enterprise)
    if status:
        qs = qs.filter(status__in=status.split(","))
    if ie_flag:
        qs = qs.filter(ie_flag=ie_flag)
    if q:
        q = q.strip()
        qs = qs.filter(
            Q(seq_no=q) | Q(entry_id=q) | Q(client_seq_no=q) | Q(bill_no=q)
            | Q(contr_no=q) | Q(internal_no=q) | Q(trade_name__contains=q)
        )
    return qs
