"""Decimal input read against the column it goes to: the bounds come from the model field's
``max_digits`` and ``decimal_places``, so ``"1e40"`` is refused with a Chinese message instead of
overflowing the decimal context or the database column."""

from __future__ import annotations

import decimal
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models

# The largest integer each integer column holds on every database: PostgreSQL's integer is 32-bit
# while SQLite takes any 64-bit number, so a bound left to the database differs by backend (a
# 件数 of 2^31 was a 500 on PostgreSQL). A BigIntegerField is held to 15 digits.
INT32_MAX = 2**31 - 1
_INTEGER_MAX = {"SmallIntegerField": 2**15 - 1, "PositiveSmallIntegerField": 2**15 - 1,
                "IntegerField": INT32_MAX, "PositiveIntegerField": INT32_MAX}


def integer_max(field: models.Field) -> int:
    """The largest value of ``field`` (an integer model field) accepted from input."""
    return _INTEGER_MAX.get(field.get_internal_type(), 10**15 - 1)


def parse_decimal(
    value: Any, *, max_digits: int, decimal_places: int, label: str = "", negative: bool = False,
    round_places: bool = False,
) -> Decimal | None:
    """``value`` as a Decimal with ``decimal_places`` places, or None when empty.

    Raises ValueError with a Chinese message (prefixed by ``label``) when the value is not a
    number, negative (unless ``negative``), has more places than the column keeps (rounded
    instead when ``round_places``) or more whole digits than ``max_digits - decimal_places``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{label}应为数字")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValueError(f"{label}应为数字") from None
    if not number.is_finite():
        raise ValueError(f"{label}应为数字")
    if number < 0 and not negative:
        raise ValueError(f"{label}不能为负数")
    whole = max_digits - decimal_places
    if number != 0 and number.adjusted() >= whole:
        raise ValueError(f"{label}数值过大, 整数部分最多{whole}位")
    step = Decimal(1).scaleb(-decimal_places)
    context = decimal.Context(prec=max_digits + 2, rounding=decimal.ROUND_HALF_UP)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -decimal_places:
        if number.adjusted() < -decimal_places - 1:
            rounded = Decimal(0).quantize(step)
        else:
            rounded = number.quantize(step, context=context)
        if rounded != number and not round_places:
            raise ValueError(f"{label}最多保留{decimal_places}位小数")
        if rounded != 0 and rounded.adjusted() >= whole:
            raise ValueError(f"{label}数值过大, 整数部分最多{whole}位")
        return rounded
    return number.quantize(step, context=context)


def decimal_for_field(field: models.DecimalField, value: Any, label: str = "", **options: Any) -> Decimal | None:
    """``parse_decimal`` with the bounds of ``field``."""
    return parse_decimal(
        value, max_digits=field.max_digits, decimal_places=field.decimal_places, label=label, **options
    )
