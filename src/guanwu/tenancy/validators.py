"""Validators for Chinese enterprise identifiers."""

from __future__ import annotations

import re

# GB 32100-2015 统一社会信用代码: 18 characters from a 31-character alphabet (no I O Z S V).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_CUSTOMS_CODE_RE = re.compile(r"^[0-9A-Z]{10}$")
_CIQ_CODE_RE = re.compile(r"^\d{10}$")


def uscc_check_char(first17: str) -> str:
    """The check character for the first 17 characters of a credit code."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_error(value: str) -> str | None:
    """Return a Chinese error for an invalid 统一社会信用代码, or None when it is valid."""
    value = (value or "").strip().upper()
    if len(value) != 18:
        return "统一社会信用代码应为18位"
    if not _USCC_RE.match(value):
        return "统一社会信用代码含有非法字符(不得使用 I、O、Z、S、V)"
    if uscc_check_char(value[:17]) != value[17]:
        return f"统一社会信用代码校验位错误,第18位应为 {uscc_check_char(value[:17])}"
    return None


def customs_code_error(value: str) -> str | None:
    value = (value or "").strip().upper()
    if not _CUSTOMS_CODE_RE.match(value):
        return "海关编码应为10位数字或大写字母"
    return None


def ciq_code_error(value: str) -> str | None:
    value = (value or "").strip()
    if value and not _CIQ_CODE_RE.match(value):
        return "检验检疫代码应为10位数字"
    return None


def _raise(message: str | None) -> None:
    if message:
        from django.core.exceptions import ValidationError

        raise ValidationError(message)


def validate_uscc(value: str) -> None:
    _raise(uscc_error(value))


def validate_customs_code(value: str) -> None:
    _raise(customs_code_error(value))


def validate_ciq_code(value: str) -> None:
    _raise(ciq_code_error(value))
