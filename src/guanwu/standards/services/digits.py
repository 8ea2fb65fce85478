"""Check digits: GTIN (GS1 mod-10) and CAS Registry Numbers."""

from __future__ import annotations

import re


def gs1_check_digit(digits: str) -> int:
    """The GS1 mod-10 check digit of ``digits`` (a GTIN without its last digit): from the right,
    weights 3, 1, 3, 1 ...; the check digit brings the sum up to a multiple of ten (GS1 General
    Specifications, 7.9 "Check digit calculation": the same for GTIN-8, -12, -13 and -14)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def gtin_valid(code: str) -> bool:
    return (code.isascii() and code.isdigit() and len(code) in (8, 12, 13, 14)
            and gs1_check_digit(code[:-1]) == int(code[-1]))


CAS_FORMAT = re.compile(r"\d{2,7}-\d{2}-\d")
CAS_IN_TEXT = re.compile(r"(?<![\d-])\d{2,7}-\d{2}-\d(?![\d-])")


def cas_check_digit(digits: str) -> int:
    """The CAS Registry Number check digit of ``digits`` (the number without hyphens and check
    digit): the last digit times 1, the one before times 2 ..., the sum modulo 10 (CAS, "CAS
    Registry Number" check digit verification)."""
    return sum(int(d) * i for i, d in enumerate(reversed(digits), start=1)) % 10


def cas_valid(number: str) -> bool:
    if not (number.isascii() and CAS_FORMAT.fullmatch(number)):
        return False
    digits = number.replace("-", "")
    return cas_check_digit(digits[:-1]) == int(digits[-1])
