"""Customers for tests: valid credit codes computed from a seed, rows saved directly or through
the service (which is what most tests want: codes, status, log)."""

from __future__ import annotations

import itertools
from typing import Any

from guanwu.datacenter.customers.models import Customer, CustomerStatus
from guanwu.tenancy.validators import uscc_check_char

_numbers = itertools.count(101)


def scc(seed: int | str) -> str:
    first17 = f"91610131MA6TX{int(seed):04d}"
    return first17 + uscc_check_char(first17)


def customer_data(n: int | None = None, **fields: Any) -> dict[str, Any]:
    """The fields of a valid domestic customer (number ``n`` makes the codes unique)."""
    n = next(_numbers) if n is None else n
    data = {
        "name": f"西安测试贸易有限公司{n}", "scc": scc(n), "customs_code": f"6101{n:06d}", "ciq_code": f"6100{n:06d}",
        "phone": "029-88886666", "contact": "张伟", "address": "陕西省西安市未央区凤城八路 66 号", "country": "CHN",
        "postcode": "710016", "note": "", "email": "trade@example.cn",
    }
    data.update(fields)
    return data


def make_customer(enterprise, status: str = CustomerStatus.APPROVED, **fields: Any) -> Customer:
    """A customer row written directly (no service, no log): for reads and the tenant walk."""
    data = customer_data(**fields)
    code = f"CU9{Customer.objects.count() + 1:06d}"
    return Customer.objects.create(enterprise=enterprise, code=code, status=status, **data)
