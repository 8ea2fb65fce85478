"""Read a received processing-trade message back into the plain-data types (the customs
simulator's side): ``parse_inv101``, ``parse_nems``, ``parse_qualification`` and
``parse_sas_message`` (by the envelope's message_type).

Values are converted to the types of :mod:`.types` (Decimal, int, date, datetime); a value
that does not convert raises :class:`SasMessageFormatError` naming the row and field in
Chinese. Unknown elements are ignored and missing ones read as empty: run
:func:`validate_sas` first when completeness matters. Bytes are read with defusedxml (no DTD,
entities or external references). ``Signature/Object/Package`` and a bare ``Package`` root
are both accepted.

``build_*`` then ``parse_*`` gives back equal data (a property test checks it), except that
an empty file_name comes back as ``<message_id>.xml`` and computed 单耗 is filled in.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any
from xml.etree import ElementTree as ET

from guanwu.messages.common import child, local, read_untrusted

from . import structure as s
from .fields import FieldDef, block
from .types import BLOCK_TYPES, ROWS, Inv101, Nems, Qualification, SasMessage

MAX_MESSAGE_BYTES = 50 * 1024 * 1024

__all__ = [
    "SasMessageFormatError",
    "message_type_of",
    "parse_inv101",
    "parse_nems",
    "parse_qualification",
    "parse_sas_message",
]


class SasMessageFormatError(ValueError):
    """Not a readable processing-trade message; ``str(error)`` is Chinese."""


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{text}”不是数字") from None
    if not value.is_finite():
        raise ValueError(f"“{text}”不是数字")
    return value


def _integer(text: str) -> int:
    if not text.isdigit():
        raise ValueError(f"“{text}”不是非负整数")
    return int(text)


def _date(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise ValueError(f"“{text}”不是yyyyMMdd格式的日期") from None


def parse_datetime(text: str) -> dt.datetime:
    """``2024-07-30T11:48:03`` or ``2024-07-30 11:48:03`` -> naive datetime (China time)."""
    try:
        return dt.datetime.strptime(text.replace("T", " ", 1), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise ValueError(f"“{text}”不是yyyy-MM-ddTHH:mm:ss格式的时间") from None


_CONVERT = {"decimal": _decimal, "integer": _integer, "date": _date, "datetime": parse_datetime}


@cache
def _spec(block_name: str) -> tuple[tuple[str, str, FieldDef], ...]:
    return tuple((f.element, f.field, f) for f in block(block_name))


def _values(el: ET.Element, block_name: str, where: str) -> dict[str, Any]:
    """The fields of ``block_name`` read from the leaf children of ``el``, converted."""
    texts: dict[str, str] = {}
    for c in el:
        if len(c) == 0:
            texts.setdefault(local(c.tag), c.text or "")
    out: dict[str, Any] = {}
    for element, attr, fdef in _spec(block_name):
        text = texts.get(element, "")
        if fdef.type == "string":
            out[attr] = text
            continue
        text = text.strip()
        if not text:
            out[attr] = None
            continue
        try:
            out[attr] = _CONVERT[fdef.type](text)
        except ValueError as exc:
            raise SasMessageFormatError(f"{where} {fdef.label}：{exc}") from None
    return out


def _record(el: ET.Element, block_name: str, where: str, drop: tuple[str, ...] = ()) -> Any:
    values = _values(el, block_name, where)
    for name in drop:
        values.pop(name, None)
    return BLOCK_TYPES[block_name](**values)


def _package(root: ET.Element) -> ET.Element:
    name = local(root.tag)
    if name == "Package":
        return root
    if name != "Signature":
        raise SasMessageFormatError(f"根元素应为Signature（或Package），实为{name}")
    obj = child(root, "Object")
    package = child(obj, "Package") if obj is not None else None
    if package is None:
        raise SasMessageFormatError("报文缺少Signature/Object/Package")
    return package


def _read(data: bytes) -> tuple[ET.Element, ET.Element, ET.Element]:
    """(Package, EnvelopInfo, BussinessData) of a message."""
    package = _package(read_untrusted(data, what="报文", max_bytes=MAX_MESSAGE_BYTES, error=SasMessageFormatError))
    envelope = child(package, "EnvelopInfo")
    if envelope is None:
        raise SasMessageFormatError("报文缺少报文头(EnvelopInfo)")
    data_info = child(package, "DataInfo")
    business = child(data_info, "BussinessData") if data_info is not None else None
    if business is None:
        raise SasMessageFormatError("报文缺少业务数据(DataInfo/BussinessData)")
    return package, envelope, business


def _message_type(envelope: ET.Element) -> str:
    el = child(envelope, "message_type")
    return (el.text or "").strip() if el is not None else ""


def _parse(data: bytes, expected: str | None) -> SasMessage:
    package, envelope_el, business = _read(data)
    message_type = _message_type(envelope_el)
    if expected and message_type != expected:
        raise SasMessageFormatError(f"报文类型(message_type)应为{expected}，实为{message_type or '空'}")
    shape = s.SHAPES.get(message_type)
    if shape is None:
        raise SasMessageFormatError(f"不支持的报文类型(message_type)：{message_type or '空'}")
    root = child(business, shape.root)
    if root is None:
        raise SasMessageFormatError(f"报文缺少{shape.cn_name}数据({shape.root})")
    head_el = child(root, shape.head.tag)
    if head_el is None:
        raise SasMessageFormatError(f"报文缺少表头({shape.head.tag})")
    data_info = child(package, "DataInfo")
    pocket_el = child(data_info, "PocketInfo") if data_info is not None else None
    flag = child(business, "DelcareFlag")
    cls = {"INV101": Inv101, "EMS111": Nems, "EMS101": Qualification}[message_type]
    values: dict[str, Any] = {
        "envelope": _record(envelope_el, "EnvelopInfo", "报文头", drop=("message_type",)),
        "head": _record(head_el, shape.head.block, shape.head.label),
        "delcare_flag": (flag.text or "").strip() if flag is not None else "",
        "pocket": _record(pocket_el, "PocketInfo", "分组信息") if pocket_el is not None else None,
    }
    nodes = {n.tag: n for n in shape.rows}
    for attr, block_name in ROWS[cls].items():
        node = nodes[block_name]
        values[attr] = tuple(
            _record(el, block_name, node.label.format(n=n))
            for n, el in enumerate((c for c in root if local(c.tag) == block_name), 1)
        )
    if shape.root_fields:
        values.update(_values(root, shape.root_fields, shape.cn_name))
    return cls(**values)


def _guarded(data: bytes, expected: str | None) -> SasMessage:
    try:
        return _parse(data, expected)
    except SasMessageFormatError:
        raise
    except Exception as exc:  # any surprise is a bad message, not a crash
        raise SasMessageFormatError(f"报文无法解析：{exc.__class__.__name__}") from exc


def parse_inv101(data: bytes) -> Inv101:
    """An INV101 保税核注清单; SasMessageFormatError when it is not one."""
    return _guarded(data, "INV101")  # type: ignore[return-value]


def parse_nems(data: bytes) -> Nems:
    """An EMS111 加工贸易账册 (备案 or 变更)."""
    return _guarded(data, "EMS111")  # type: ignore[return-value]


def parse_qualification(data: bytes) -> Qualification:
    """An EMS101 企业资质申请."""
    return _guarded(data, "EMS101")  # type: ignore[return-value]


def parse_sas_message(data: bytes) -> SasMessage:
    """Any processing-trade message, by its envelope's message_type."""
    return _guarded(data, None)


def message_type_of(data: bytes) -> str:
    """The envelope's message_type of a sent message (``INV101``, ``EMS111``, ``EMS101``, or
    whatever it says); SasMessageFormatError when there is no envelope to read."""
    try:
        _package_el, envelope, _business = _read(data)
    except SasMessageFormatError:
        raise
    except Exception as exc:
        raise SasMessageFormatError(f"报文无法解析：{exc.__class__.__name__}") from exc
    return _message_type(envelope)

