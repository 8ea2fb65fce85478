"""Reading declarations as the current enterprise may see them."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from guanwu.core.errors import NotFound, ServiceError
from guanwu.tenancy.context import Actor
from guanwu.tenancy.lookup import get_owned

from .. import parties
from ..models import Declaration
from ..parties import Party


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


def find_party(actor: Actor, code: str) -> Party:
    """The party (海关编码, 社会信用代码, 名称) of a 10-character 海关编码 or an 18-character
    社会信用代码, from the enterprise itself, its customers or its past declarations."""
    code = (code or "").strip().upper()
    if parties.kind_of(code) is None:
        raise ServiceError("请输入10位海关编码或18位统一社会信用代码", status=422)
    party = parties.lookup(actor.enterprise, code)
    if party is None:
        raise NotFound(f"本企业、客户和以往报关单中没有编码为 {code} 的企业")
    return party
