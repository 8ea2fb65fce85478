"""How a CEB record declares its elements, and how values are written and read.

Every record is a keyword-only dataclass whose fields come, in the official element order, from
the helpers below; each names its element (``xml``), its Chinese label and its format, so the
builder, the parser and the Chinese schema errors read the same declaration. A test checks
every record against the shipped official XSD (order, names, minOccurs).

Formats (spec 202205, "数据格式" column and the XSD restrictions):

- ``text``: C..n / Cn, written as given;
- ``decimal``: N19,5 (xs:decimal totalDigits 19 fractionDigits 5), written in plain notation
  without trailing zeros: ``12.5``, ``100``, never ``1E+2`` or ``12.50000``;
- ``integer``: N5 / N9 (xs:int);
- ``date8``: C8 ``YYYYMMDD`` (InventoryHead/ieDate);
- ``time14``: C14 ``YYYYMMDDhhmmss`` (appTime, leaveTime, accountingDate, startTime, endTime);
- ``time17``: C17 ``yyyyMMddHHmmssfff`` (returnTime, SummaryResultHead/opDate).

Times carry no zone in the messages; they are China time. Aware datetimes are converted to
Asia/Shanghai when written; the parser returns aware datetimes in Asia/Shanghai.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")

TEXT, DECIMAL, INTEGER, DATE8, TIME14, TIME17 = "text", "decimal", "integer", "date8", "time14", "time17"
ATTRIBUTE, CHILD, CHILDREN, SIGNATURE = "attribute", "child", "children", "signature"
LEAF_KINDS = frozenset({TEXT, DECIMAL, INTEGER, DATE8, TIME14, TIME17})

DS_NAMESPACE = "http://www.w3.org/2000/09/xmldsig#"


def new_guid() -> str:
    """A 36-character unique number in capitals, as the spec asks for ``guid`` (系统唯一序号)."""
    return str(uuid.uuid4()).upper()


@dataclass(frozen=True)
class Spec:
    """One declared element (or root attribute) of a record."""

    name: str  # Python attribute: the snake_case of the element name
    xml: str  # official element / attribute name
    label: str  # Chinese name from the spec's 中文名称 column
    kind: str
    optional: bool = False  # minOccurs="0": left out when empty
    cls: type | None = None  # record class of a child block
    min_occurs: int = 1
    max_occurs: int | None = 1  # None = unbounded

    @property
    def noun(self) -> str:
        """``订单第{n}条`` -> ``订单``."""
        return self.label.split("第{n}", 1)[0]

    @property
    def title(self) -> str:
        """``订单编号(orderNo)``: how errors name the element."""
        return f"{self.label}({self.xml})"


def _meta(xml: str, label: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"ceb": {"xml": xml, "label": label, "kind": kind, **extra}}


def text(xml: str, label: str, *, optional: bool = False, default: str = "") -> Any:
    return dataclasses.field(default=default, metadata=_meta(xml, label, TEXT, optional=optional))


def guid(label: str = "系统唯一序号") -> Any:
    """The record's ``guid`` element: a new capitalised uuid unless the caller gives one (store it
    before sending: receipts answer by it)."""
    return dataclasses.field(default_factory=new_guid, metadata=_meta("guid", label, TEXT))


def decimal(xml: str, label: str, *, optional: bool = False, default: Decimal | None = None) -> Any:
    return dataclasses.field(default=default, metadata=_meta(xml, label, DECIMAL, optional=optional))


def integer(xml: str, label: str, *, optional: bool = False, default: int | None = None) -> Any:
    return dataclasses.field(default=default, metadata=_meta(xml, label, INTEGER, optional=optional))


def date8(xml: str, label: str, *, optional: bool = False) -> Any:
    return dataclasses.field(default=None, metadata=_meta(xml, label, DATE8, optional=optional))


def time14(xml: str, label: str, *, optional: bool = False) -> Any:
    return dataclasses.field(default=None, metadata=_meta(xml, label, TIME14, optional=optional))


def time17(xml: str, label: str, *, optional: bool = False) -> Any:
    return dataclasses.field(default=None, metadata=_meta(xml, label, TIME17, optional=optional))


def child(xml: str, label: str, cls: type) -> Any:
    """A required single block (no default: the caller must give it)."""
    return dataclasses.field(metadata=_meta(xml, label, CHILD, cls=cls))


def children(xml: str, label: str, cls: type, *, min_occurs: int = 1, max_occurs: int | None = 100) -> Any:
    """A repeated block; ``label`` may hold ``{n}`` (1-based position) for error messages."""
    return dataclasses.field(
        default_factory=list,
        metadata=_meta(xml, label, CHILDREN, cls=cls, min_occurs=min_occurs, max_occurs=max_occurs),
    )


def root_guid() -> Any:
    return dataclasses.field(default_factory=new_guid, metadata=_meta("guid", "报文编号", ATTRIBUTE))


def root_version() -> Any:
    """``version``: "报文版本号，默认为1.0" (every root of the 202205 spec)."""
    return dataclasses.field(default="1.0", metadata=_meta("version", "版本号", ATTRIBUTE))


def signature() -> Any:
    """The ``ds:Signature`` element, verbatim XML, or ``""``: the platform does not sign (the
    enterprise's card or signing device does); a received signature is kept as it came."""
    return dataclasses.field(default="", metadata=_meta("Signature", "签名节点", SIGNATURE, optional=True))


@cache
def specs(cls: type) -> tuple[Spec, ...]:
    """The declared elements of a record class, in official order."""
    out = []
    for f in dataclasses.fields(cls):
        meta = f.metadata.get("ceb")
        if meta is None:
            continue
        out.append(Spec(name=f.name, **meta))
    return tuple(out)


@cache
def spec_by_xml(cls: type) -> dict[str, Spec]:
    return {s.xml: s for s in specs(cls) if s.kind != ATTRIBUTE}


# ------------------------------------------------------------------------------ writing values

def format_decimal(value: Any) -> str:
    """``Decimal("12.50000")`` -> ``"12.5"``, ``Decimal("1E+2")`` -> ``"100"``, ``None`` -> ``""``."""
    if value is None or value == "":
        return ""
    text_ = format(value if isinstance(value, Decimal) else Decimal(str(value)), "f")
    if "." in text_:
        text_ = text_.rstrip("0").rstrip(".")
    return "0" if text_ in {"", "-0"} else text_


def _china(value: dt.datetime) -> dt.datetime:
    return value.astimezone(CHINA) if value.tzinfo else value


def format_value(kind: str, value: Any) -> str:
    """The element text of ``value`` in format ``kind``; ``""`` for None."""
    if value is None:
        return ""
    if kind == TEXT:
        return str(value)
    if kind == DECIMAL:
        return format_decimal(value)
    if kind == INTEGER:
        return str(int(value))
    if kind == DATE8:
        return f"{value:%Y%m%d}"
    if kind == TIME14:
        return f"{_china(value):%Y%m%d%H%M%S}"
    if kind == TIME17:
        value = _china(value)
        return f"{value:%Y%m%d%H%M%S}{value.microsecond // 1000:03d}"
    raise ValueError(f"unknown kind {kind!r}")


# ------------------------------------------------------------------------------ reading values

class ValueFormatError(ValueError):
    """A value that does not read in its format; the message is Chinese, without the element."""


_DIGITS = re.compile(r"\d+")
_INTEGER = re.compile(r"[+-]?\d+")


def _time(text_: str, expected: int) -> dt.datetime:
    """Times as the spec writes them (14 or 17 digits); a receipt with the other precision or in
    ISO form (``2022-05-01 10:00:00``) is still read."""
    digits = text_
    if not _DIGITS.fullmatch(digits):
        try:
            value = dt.datetime.fromisoformat(text_)
        except ValueError:
            raise ValueFormatError(f"“{text_}”不是{expected}位数字的时间") from None
        return value.astimezone(CHINA) if value.tzinfo else value.replace(tzinfo=CHINA)
    if len(digits) not in (14, 17):
        raise ValueFormatError(f"“{text_}”不是{expected}位数字的时间")
    try:
        value = dt.datetime.strptime(digits[:14], "%Y%m%d%H%M%S")
    except ValueError:
        raise ValueFormatError(f"“{text_}”不是有效的时间") from None
    millis = int(digits[14:]) if len(digits) == 17 else 0
    return value.replace(microsecond=millis * 1000, tzinfo=CHINA)


def parse_value(kind: str, text_: str) -> Any:
    """The Python value of element text ``text_`` (already stripped); empty text reads as the
    field's empty value (``""`` or None)."""
    if kind == TEXT:
        return text_
    if text_ == "":
        return None
    if kind == DECIMAL:
        try:
            value = Decimal(text_)
        except InvalidOperation:
            raise ValueFormatError(f"“{text_}”不是数字") from None
        if not value.is_finite():
            raise ValueFormatError(f"“{text_}”不是数字")
        return value
    if kind == INTEGER:
        if not _INTEGER.fullmatch(text_):
            raise ValueFormatError(f"“{text_}”不是整数")
        return int(text_)
    if kind == DATE8:
        if not (_DIGITS.fullmatch(text_) and len(text_) == 8):
            raise ValueFormatError(f"“{text_}”不是YYYYMMDD格式的日期")
        try:
            return dt.datetime.strptime(text_, "%Y%m%d").date()
        except ValueError:
            raise ValueFormatError(f"“{text_}”不是有效的日期") from None
    if kind == TIME14:
        return _time(text_, 14)
    if kind == TIME17:
        return _time(text_, 17)
    raise ValueError(f"unknown kind {kind!r}")


# ------------------------------------------------------------------------------ names

# Element names whose snake_case is not the mechanical one (brief of the CEB family: gnum ->
# g_num like DecList GNo -> g_no; POD is an acronym).
_SNAKE_EXCEPTIONS = {
    "gnum": "g_num", "gcode": "g_code", "gname": "g_name", "gmodel": "g_model", "gseqno": "g_seq_no",
    "POD": "pod",
}
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake(name: str) -> str:
    """``orderNo`` -> ``order_no``, ``ieFlag`` -> ``ie_flag``, ``fCurrency`` -> ``f_currency``,
    ``batchNumbers`` -> ``batch_numbers``, ``gnum`` -> ``g_num``, ``POD`` -> ``pod``."""
    if name in _SNAKE_EXCEPTIONS:
        return _SNAKE_EXCEPTIONS[name]
    return _CAMEL.sub("_", name).lower()
