"""Validate a processing-trade message: its XSD (by the envelope's message_type), then the
rules of :mod:`.rules`, with errors a customs broker can read (``表体第2项 商品编码(Gdecd)：不能为空``).

The schemas are compiled once per process; the XML is parsed with a hardened parser (no
entity expansion, no network, no huge trees) and a document with a DTD is refused, so this is
also safe on messages received from elsewhere (the simulator).
"""

from __future__ import annotations

import re
import threading
from functools import cache
from pathlib import Path

from lxml import etree

from ..xsderrors import element_at, read_for_validation, reason, strip_ns
from . import rules
from . import structure as s
from .fields import block
from .xsdgen import DATE_PATTERN, DATETIME_PATTERN

XSD_DIR = Path(__file__).with_name("xsd")

_lock = threading.Lock()


def xsd_path(message_type: str) -> Path:
    return XSD_DIR / f"{message_type}.xsd"


@cache
def _schema(message_type: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(xsd_path(message_type))))


_TYPE_HINTS = [
    (
        re.compile(r"^Decimal(\d+)_(\d+)"),
        lambda m: f"应为不小于0的数字，整数位不超过{int(m[1]) - int(m[2])}位、小数位不超过{m[2]}位",
    ),
    (re.compile(r"^Integer(\d+)"), lambda m: f"应为不超过{m[1]}位的非负整数"),
    (re.compile(r"^Date8"), lambda m: "应为yyyyMMdd格式的日期"),
    (re.compile(r"^DateTime"), lambda m: "应为yyyy-MM-ddTHH:mm:ss格式的时间"),
]


_PATTERN_HINTS = {DATE_PATTERN: "应为yyyyMMdd格式的日期", DATETIME_PATTERN: "应为yyyy-MM-ddTHH:mm:ss格式的时间"}


_local = strip_ns


def _field_label(block_name: str, element: str) -> str:
    try:
        return block(block_name).get(element).label
    except KeyError:
        return ""


def _location(element: etree._Element | None, shape: s.MessageShape) -> tuple[str, str]:
    """(Chinese position, field label) of an element: ('表体第2项', '商品编码(Gdecd)')."""
    if element is None:
        return "", ""
    tag = _local(element.tag)
    parent = element.getparent()
    parent_tag = _local(parent.tag) if parent is not None else ""
    if parent_tag == shape.root and shape.root_fields and tag in block(shape.root_fields).elements:
        return s.ROW_LABELS[shape.root_fields], _field_label(shape.root_fields, tag)
    if tag in s.ROW_LABELS and tag not in {"BussinessData"}:
        return _row_label(element), ""
    if parent is not None and parent_tag in s.ROW_LABELS:
        label = _field_label(parent_tag, tag) or tag
        return _row_label(parent), label
    return "", f"{s.NOUNS[tag]}({tag})" if tag in s.NOUNS else tag


def _row_label(element: etree._Element) -> str:
    tag = _local(element.tag)
    n = sum(1 for sib in element.itersiblings(preceding=True) if sib.tag == element.tag) + 1
    return s.ROW_LABELS[tag].format(n=n)


def _element_names(names: str, block_name: str | None) -> str:
    labels = []
    for name in (_local(n.strip()) for n in names.split(",") if n.strip()):
        label = _field_label(block_name, name) if block_name else ""
        labels.append(label or (f"{s.NOUNS[name]}({name})" if name in s.NOUNS else name))
    return "、".join(labels)


def _reason(message: str, block_name: str | None) -> str:
    """Chinese for the libxml2 schema messages (:func:`guanwu.messages.xsderrors.reason` with this
    family's type and pattern hints; an empty value reads "不能为空")."""
    return reason(message, lambda name: _element_names(name, block_name), root_hint=_ROOT_HINT,
                  type_hints=_TYPE_HINTS, pattern_hints=_PATTERN_HINTS, empty_is_missing=True)


_ROOT_HINT = "根元素应为 Signature（无命名空间）"


def _content_block(element: etree._Element | None, message: str) -> str | None:
    """The field block whose children a content error names: the element itself when a child is
    missing, its parent when an element is unexpected."""
    if element is None:
        return None
    row = element.getparent() if "is not expected" in message else element
    if row is None:
        return None
    tag = _local(row.tag)
    if tag in s.SHAPE_BY_ROOT:
        return s.SHAPE_BY_ROOT[tag].root_fields
    return tag if tag in s.ROW_LABELS else None


def _element_at(root: etree._Element, path: str | None) -> etree._Element | None:
    return element_at(root, path)


def _shape_of(root: etree._Element) -> tuple[s.MessageShape | None, str]:
    """The message shape by EnvelopInfo/message_type (or, failing that, the business root)."""
    message_type = root.findtext("Object/Package/EnvelopInfo/message_type")
    if message_type is None and _local(root.tag) == "Package":
        message_type = root.findtext("EnvelopInfo/message_type")
    message_type = (message_type or "").strip()
    if message_type in s.SHAPES:
        return s.SHAPES[message_type], message_type
    for business in root.iter("BussinessData"):
        for el in business:
            if isinstance(el.tag, str) and el.tag in s.SHAPE_BY_ROOT:
                return s.SHAPE_BY_ROOT[el.tag], message_type
    return None, message_type


def _content(root: etree._Element, shape: s.MessageShape) -> rules.Content:
    business = root.find(f"Object/Package/DataInfo/BussinessData/{shape.root}")
    if business is None:
        business = root.find(f".//BussinessData/{shape.root}")

    def texts(el: etree._Element) -> dict[str, str]:
        out: dict[str, str] = {}
        for c in el:
            if isinstance(c.tag, str) and len(c) == 0:
                out.setdefault(c.tag, (c.text or "").strip())
        return out

    if business is None:
        return rules.Content(shape, {}, {})
    head = business.find(shape.head.tag)
    rows = {}
    for node in shape.rows:
        names = rules.ROW_ELEMENTS[node.tag]
        rows[node.tag] = [{c.tag: (c.text or "").strip() for c in el.iterchildren(*names)}
                          for el in business.iterchildren(node.tag)]
    return rules.Content(shape, texts(head) if head is not None else {}, rows)


def validate_sas(xml: bytes | str, *, with_rules: bool = True) -> list[str]:
    """Errors of a processing-trade message (INV101, EMS111, EMS101) against its XSD and the
    rules, as Chinese strings naming the element; ``[]`` when it is valid. ``with_rules=False``
    checks the XSD only: what the Single Window client checks on import (the simulator leaves
    the business rules to its customs audit, which answers them with coded check lines)."""
    with _lock:
        root, problems = read_for_validation(xml)
        if root is None:
            return problems
        shape, message_type = _shape_of(root)
        if shape is None:
            found = f"实为{message_type}" if message_type else "报文头(EnvelopInfo)缺少报文类型(message_type)"
            return [f"报文类型应为 {'、'.join(s.SHAPES)} 之一：{found}"]
        schema = _schema(shape.message_type)
        valid = schema.validate(root)
        entries = [] if valid else list(schema.error_log)
    errors = []
    for entry in entries:
        element = None if "No matching global declaration" in entry.message else _element_at(root, entry.path)
        position, field = _location(element, shape)
        where = " ".join(p for p in (position, field) if p)
        reason = _reason(entry.message, _content_block(element, entry.message))
        errors.append(f"{where}：{reason}" if where else reason)
    if with_rules and _local(root.tag) == "Signature":
        errors += rules.check(_content(root, shape))
    return errors
