"""Who may appear on an outgoing message: the parties check of every module that sends one.

- 申报单位: the Single Window lets a card holder declare only as itself, so the declarant must
  be the declaring enterprise, by 海关编码 and by 统一社会信用代码 (an error on 申报).
- 收发货人 and 生产销售单位/消费使用单位: when such a party is another company, it should be one of
  the declaring enterprise's approved customers (客户管理, 审核通过). When it is not, 申报 asks
  for a confirmation (a warning); an enterprise that switched on the business setting
  ``require_approved_customers`` refuses it (an error).

``check_parties`` is message-agnostic: a module describes its parties as ``Party`` rows and
gets back ``PartyFinding`` rows; ``declaration_parties`` is the rule of the declaration
(registered with ``declarations.rules.register_check``). The 《报关单填制规范》 describes the
fields (申报单位 = 完成申报的企业; 境内收发货人, 消费使用/生产销售单位 = the consignee's codes);
that the declarant must be the card holder is the Single Window's own check, and the approved
customer requirement is this platform's 客户审核 (the seed's 客户管理), not a customs rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from .models import Customer, CustomerStatus

SETTING = "require_approved_customers"


@dataclass(frozen=True)
class Party:
    role: str  # 申报单位, 境内收发货人 ...
    code_path: str  # where the customs code sits in the message data (the field of an error)
    code: str
    scc: str
    name: str = ""


@dataclass(frozen=True)
class PartyFinding:
    path: str
    message: str
    blocking: bool  # an error on 申报; otherwise a warning to confirm


def _clean(value: Any) -> str:
    return str(value or "").strip().upper()


def _is_enterprise(party: Party, enterprise) -> bool:
    return bool(party.code and party.code == enterprise.customs_code) or bool(
        party.scc and party.scc == enterprise.scc
    )


def _approved(enterprise, party: Party) -> bool:
    keys = Q()
    if party.code:
        keys |= Q(customs_code=party.code)
    if party.scc:
        keys |= Q(scc=party.scc)
    candidates = Customer.objects.for_enterprise(enterprise).filter(keys, status=CustomerStatus.APPROVED)
    for customer in candidates.only("customs_code", "scc"):
        # every code both sides have must agree: a matching customs code with another
        # company's credit code is not this customer
        if party.code and customer.customs_code and customer.customs_code != party.code:
            continue
        if party.scc and customer.scc and customer.scc != party.scc:
            continue
        return True
    return False


def check_parties(enterprise, declarant: Party | None, counterparties: Iterable[Party]) -> list[PartyFinding]:
    """The problems of a message's parties for ``enterprise`` declaring it."""
    out: list[PartyFinding] = []
    if declarant is not None and (declarant.code or declarant.scc):
        wrong = []
        if declarant.code and declarant.code != enterprise.customs_code:
            wrong.append(f"海关编码 {declarant.code}")
        if declarant.scc and declarant.scc != enterprise.scc:
            wrong.append(f"统一社会信用代码 {declarant.scc}")
        if wrong:
            out.append(PartyFinding(
                declarant.code_path,
                f"{declarant.role}必须是本企业 {enterprise.name} (海关编码 {enterprise.customs_code}, "
                f"统一社会信用代码 {enterprise.scc}), 不能以其他企业的名义申报: {', '.join(wrong)}",
                blocking=True,
            ))
    required = bool(enterprise.setting(SETTING))
    seen: set[tuple[str, str]] = set()
    for party in counterparties:
        if not (party.code or party.scc) or _is_enterprise(party, enterprise):
            continue
        if (party.code, party.scc) in seen:
            continue
        seen.add((party.code, party.scc))
        if _approved(enterprise, party):
            continue
        who = f"{party.name or ''}({party.code or party.scc})"
        if required:
            message = f"{party.role} {who} 不是本企业审核通过的客户; 本企业要求只为审核通过的客户申报"
        else:
            message = f"{party.role} {who} 不是本企业审核通过的客户, 请确认是否受其委托申报"
        out.append(PartyFinding(party.code_path, message, blocking=required))
    return out


def declaration_parties(data, findings, enterprise) -> None:
    """The rule on a declaration (``DeclarationData``): 申报单位 = the enterprise; 收发货人 and
    消费使用/生产销售单位 among its approved customers. Errors only on 申报 (``findings.rule``)."""
    if enterprise is None:
        return
    head = data.head
    owner_role = {"I": "消费使用单位", "E": "生产销售单位"}.get(data.ie_flag, "消费使用/生产销售单位")
    declarant = Party("申报单位", "agent_code", _clean(head.get("agent_code")), _clean(head.get("agent_code_scc")),
                      str(head.get("agent_name") or ""))
    others = [
        Party("境内收发货人", "trade_code", _clean(head.get("trade_code")), _clean(head.get("trade_co_scc")),
              str(head.get("trade_name") or "")),
        Party(owner_role, "owner_code", _clean(head.get("owner_code")), _clean(head.get("owner_code_scc")),
              str(head.get("owner_name") or "")),
    ]
    for finding in check_parties(enterprise, declarant, others):
        if finding.blocking:
            findings.rule(finding.path, finding.message)
        else:
            findings.warn(finding.path, finding.message)
