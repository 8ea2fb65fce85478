"""ClientSeqNo (客户端报关单编号, DecSign/ClientSeqNo): the idempotency key of a sending.

Format: the enterprise's 10-digit customs code + an 8-digit running number per enterprise,
18 characters in all (the element's length), e.g. ``610193000100000042``. A date does not fit
beside the customs code in 18 characters; the running number never repeats, so the key is
unique across tenants and time without one.

The declare service allocates a number once, stores it on the declaration in the same
transaction and only then writes the message; re-running the job reuses the stored number,
so the single window sees the same ClientSeqNo and never takes the declaration twice.
"""

from __future__ import annotations

from django.db import connection

from guanwu.core.counters import next_value
from guanwu.tenancy.models import Enterprise

from .models import ClientSeqCounter

NUMBER_DIGITS = 8


def format_client_seq_no(customs_code: str, number: int) -> str:
    if not (len(customs_code) == 10 and customs_code.isalnum()):
        raise ValueError(f"企业海关编码应为10位: {customs_code!r}")
    if not 0 < number < 10**NUMBER_DIGITS:
        raise ValueError(f"客户端编号序号超出范围: {number}")
    return f"{customs_code}{number:0{NUMBER_DIGITS}d}"


def allocate_client_seq_no(enterprise: Enterprise) -> str:
    """The next ClientSeqNo of ``enterprise``; call inside the transaction that stores it."""
    if not connection.in_atomic_block:
        raise RuntimeError("allocate_client_seq_no must run inside the transaction that stores the number")
    # The UPDATE takes the row lock until commit, so concurrent senders queue here.
    number = next_value(ClientSeqCounter, {"enterprise": enterprise})
    return format_client_seq_no(enterprise.customs_code, number)
