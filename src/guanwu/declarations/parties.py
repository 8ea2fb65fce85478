"""Parties of a declaration from one of their codes: a 10-character 海关编码 or an 18-character
统一社会信用代码 gives the other code and the name.

Where they are looked for, in this order: the enterprise itself, the sources other modules
register (the customer list registers itself, see ``datacenter.customers.apps``), then this
enterprise's past declarations (the most recent one naming the code as 境内收发货人,
消费使用/生产销售单位 or 申报单位). The entry page fills the fields as the code is typed
(``GET /api/v1/declarations/parties/{code}``) and 暂存 fills what is still empty
(``complete``), so a declaration saved with only a code still shows its 境内收发货人.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from guanwu.tenancy.models import Enterprise

from .models import Declaration


@dataclass(frozen=True)
class Party:
    customs_code: str
    scc: str
    name: str
    source: str  # 本企业 / 客户 / 报关单

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


# (enterprise, "customs_code" or "scc", the code) -> the party, or None
Source = Callable[[Enterprise, str, str], Party | None]
_SOURCES: list[Source] = []

# The party fields of the declaration head: (海关编码, 社会信用代码, 名称) of each role.
ROLES: dict[str, tuple[str, str, str]] = {
    "trade": ("trade_code", "trade_co_scc", "trade_name"),
    "owner": ("owner_code", "owner_code_scc", "owner_name"),
    "agent": ("agent_code", "agent_code_scc", "agent_name"),
}


def register_source(source: Source) -> Source:
    """Add a place to look for parties (after the enterprise itself, before past declarations)."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def kind_of(code: str) -> str | None:
    """``customs_code`` for 10 characters, ``scc`` for 18, None otherwise."""
    return {10: "customs_code", 18: "scc"}.get(len(code))


def lookup(enterprise: Enterprise, code: str | None) -> Party | None:
    """The party whose 海关编码 or 社会信用代码 is ``code``, or None."""
    code = (code or "").strip().upper()
    kind = kind_of(code)
    if kind is None:
        return None
    for source in (_the_enterprise, *_SOURCES, _past_declarations):
        party = source(enterprise, kind, code)
        if party is not None and party.name:
            return party
    return None


def complete(enterprise: Enterprise, head: dict[str, Any]) -> None:
    """Fill the empty name and other code of each party given by one of its codes."""
    for code_field, scc_field, name_field in ROLES.values():
        code, scc, name = (str(head.get(f) or "").strip() for f in (code_field, scc_field, name_field))
        if (code or scc) and not (code and scc and name):
            party = lookup(enterprise, code) or lookup(enterprise, scc)
            if party is None:
                continue
            if code and party.customs_code and code.upper() != party.customs_code:
                continue  # the two codes name different companies: the rules say so, nothing is guessed
            if scc and party.scc and scc.upper() != party.scc:
                continue
            found = ((code_field, party.customs_code), (scc_field, party.scc), (name_field, party.name))
            for field_name, value in found:
                if value and not head.get(field_name):
                    head[field_name] = value


def _the_enterprise(enterprise: Enterprise, kind: str, code: str) -> Party | None:
    if (enterprise.customs_code if kind == "customs_code" else enterprise.scc).upper() != code:
        return None
    return Party(enterprise.customs_code, enterprise.scc, enterprise.name, "本企业")


def _past_declarations(enterprise: Enterprise, kind: str, code: str) -> Party | None:
    best: tuple[int, Party] | None = None
    for code_field, scc_field, name_field in ROLES.values():
        field_name = code_field if kind == "customs_code" else scc_field
        row = (
            Declaration.objects.filter(enterprise=enterprise, **{field_name: code})
            .exclude(**{name_field: ""})
            .order_by("-pk")
            .values_list("pk", code_field, scc_field, name_field)
            .first()
        )
        if row and (best is None or row[0] > best[0]):
            best = (row[0], Party(row[1], row[2], row[3], "报关单"))
    return best[1] if best else None

