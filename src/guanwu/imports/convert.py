"""Per-column cell converters, compiled once per import: cell value -> (python value, error).

Code and choice columns take few distinct values (a country, a unit, a currency ...): their
converters keep the result of each text they have seen (``_remembered``), so a file of 100k
rows looks each distinct value up once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from guanwu.core.fields import code_part as _code_part
from guanwu.core.fields import to_date
from guanwu.core.fields import to_text as _text

from .spec import Column

Converter = Callable[[Any], tuple[Any, str | None]]
_INT_RE = re.compile(r"^-?\d+$")
# An integer cell larger than its column's bound (``Column.max_int``: by default a 32-bit integer,
# PostgreSQL's integer column, which SQLite would exceed silently) is refused on every database.
TRUE = {"是", "Y", "YES", "TRUE", "1", "√"}
REMEMBER_MAX = 50_000  # distinct texts kept per column (the memory of one import stays bounded)
FALSE = {"否", "N", "NO", "FALSE", "0", ""}


def _remembered(conv: Converter) -> Converter:
    """``conv`` with the result of each text cell (and of an empty one) kept: it depends on
    the value only."""
    seen: dict[Any, tuple[Any, str | None]] = {}

    def cached(value: Any) -> tuple[Any, str | None]:
        if type(value) is not str and value is not None:
            return conv(value)
        found = seen.get(value)
        if found is None:
            if len(seen) >= REMEMBER_MAX:
                seen.clear()
            found = seen[value] = conv(value)
        return found

    return cached


def compile_column(column: Column) -> Converter:
    conv = _compile(column)
    return _remembered(conv) if column.kind in ("choice", "code") else conv


def _compile(column: Column) -> Converter:
    kind = column.kind
    max_length = column.max_length

    if kind == "str":
        def conv(value):
            text = _text(value)
            if max_length and len(text) > max_length:
                return None, f"长度不能超过 {max_length} 个字符"
            return text, None
        return conv

    if kind == "int":
        def conv(value):
            if isinstance(value, int | float) and float(value).is_integer():
                number = int(value)
            else:
                text = _text(value).replace(",", "")
                if text == "":
                    return None, None
                if not _INT_RE.match(text):
                    return None, "应为整数"
                number = int(text)
            if abs(number) > column.max_int:
                return None, "数值过大"
            return number, None
        return conv

    if kind == "decimal":
        limit = Decimal(10) ** (column.max_digits - column.decimal_places)
        places = column.decimal_places

        def conv(value):
            text = _text(value).replace(",", "")
            if text == "":
                return None, None
            try:
                number = Decimal(text)
            except InvalidOperation:
                return None, "应为数字"
            if not number.is_finite():
                return None, "应为数字"
            if abs(number) >= limit:
                return None, "数值过大"
            exponent = number.as_tuple().exponent
            if isinstance(exponent, int) and -exponent > places:
                number = number.quantize(Decimal(1).scaleb(-places))
            return number, None
        return conv

    if kind == "date":
        def conv(value):
            if isinstance(value, dt.datetime):
                return value.date(), None
            if isinstance(value, dt.date):
                return value, None
            text = _text(value)
            if text == "":
                return None, None
            if len(text) == 10 and text[4] in "-/." and text[7] == text[4]:
                try:
                    return dt.date(int(text[:4]), int(text[5:7]), int(text[8:])), None
                except ValueError:
                    return None, "日期格式应为 YYYY-MM-DD"
            try:
                return to_date(text), None
            except ValueError:
                return None, "日期格式应为 YYYY-MM-DD"
        return conv

    if kind == "bool":
        def conv(value):
            if isinstance(value, bool):
                return value, None
            text = _text(value).upper()
            if text in TRUE:
                return True, None
            if text in FALSE:
                return False, None
            return None, "应填 是 或 否"
        return conv

    if kind == "choice":
        lookup: dict[str, str] = {}
        for val, label in column.choices:
            lookup[val.upper()] = val
            lookup[label.upper()] = val
        allowed = "、".join(label for _, label in column.choices)

        def conv(value):
            text = _code_part(_text(value))
            if text == "":
                return None, None
            found = lookup.get(text.upper())
            if found is None:
                return None, f"「{text}」不是有效选项,可选: {allowed}"
            return found, None
        return conv

    if kind == "code" and not column.check_code:
        def conv(value):
            text = _code_part(_text(value))
            if max_length and len(text) > max_length:
                return None, f"长度不能超过 {max_length} 个字符"
            return text, None
        return conv

    if kind == "code":
        from guanwu.params import services as params

        table = column.code_table
        valid = {c.upper(): c for c in params.codes(table)}

        def conv(value):
            text = _code_part(_text(value))
            if text == "":
                return None, None
            code = valid.get(text.upper())
            if code is None:
                code = params.normalise(table, text)
            if code is None:
                return None, f"代码「{text}」不存在于参数表"
            return code, None
        return conv

    raise ValueError(f"unknown column kind {kind!r}")
