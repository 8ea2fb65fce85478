"""Validate a CEB export message against the official XSD, with errors a customs broker reads.

The schema (``xsd/ceb_export_202205.xsd`` importing ``xsd/xmldsig-core-schema.xsd``, both
shipped in the package) is compiled once per process with network access off. The message is
parsed with a hardened parser (no entities, no network, no DTD, no huge trees), so this is safe
on files received from elsewhere (the simulator). Each error names where it is and the
element in Chinese::

    清单第1条 清单表体第2项 商品编码(gcode)：长度为8，应为10
    订单第1条 订单表头：缺少必填项：订单编号(orderNo)
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from lxml import etree

from ..xsderrors import element_at, parser, read_for_validation, reason, strip_ns
from .common import NAMESPACE
from .fields import (
    CHILD,
    CHILDREN,
    DATE8,
    DECIMAL,
    INTEGER,
    LEAF_KINDS,
    SIGNATURE,
    TIME14,
    TIME17,
    Spec,
    spec_by_xml,
)
from .parser import EXPORT_ROOTS, IMPORT_ROOTS, MESSAGE_CLASSES

XSD_DIR = Path(__file__).with_name("xsd")
XSD_PATH = XSD_DIR / "ceb_export_202205.xsd"

_lock = threading.Lock()


_parser = parser


@cache
def schema() -> etree.XMLSchema:
    """The compiled official export schema (xmldsig imported from the same folder)."""
    return etree.XMLSchema(etree.parse(str(XSD_PATH), _parser()))


def _spec_path(element: etree._Element) -> tuple[list[str], Spec | None, type | None]:
    """(Chinese positions from the root down, the element's own spec, the record class the
    element holds) for ``element``; unknown elements stop the walk."""
    chain = []
    node = element
    while node is not None:
        chain.append(node)
        node = node.getparent()
    chain.reverse()
    cls = MESSAGE_CLASSES.get(strip_ns(chain[0].tag))
    positions: list[str] = []
    spec: Spec | None = None
    for node in chain[1:]:
        if cls is None:
            return positions, None, None
        spec = spec_by_xml(cls).get(etree.QName(node).localname)
        if spec is None:
            return positions, None, None
        if spec.kind == CHILDREN:
            n = sum(1 for sib in node.itersiblings(preceding=True) if sib.tag == node.tag) + 1
            positions.append(spec.label.format(n=n))
        elif spec.kind == CHILD:
            positions.append(spec.label)
        cls = spec.cls
    return positions, spec, cls


# Elements of the XSD that the records do not model.
_UNMODELLED = {"ExtendMessage": "扩展自定义数据实体(ExtendMessage)"}


def _title_in(cls: type | None):
    """Element name -> Chinese title, for the children of record class ``cls``."""

    def title(name: str) -> str:
        spec = spec_by_xml(cls).get(name) if cls is not None else None
        if spec is None:
            return _UNMODELLED.get(name, name)
        return f"{spec.noun}({spec.xml})" if spec.kind in (CHILD, CHILDREN, SIGNATURE) else spec.title

    return title


def _describe(element: etree._Element | None, message: str) -> str:
    if element is None:
        return reason(message, _title_in(None), root_hint=_ROOT_HINT)
    positions, spec, cls = _spec_path(element)
    is_leaf = spec is not None and spec.kind in LEAF_KINDS
    if "is not expected" in message:
        # the element is where it should not be: name it; its siblings are the expected ones
        parent = element.getparent()
        parent_cls = _spec_path(parent)[2] if parent is not None else None
        if spec is not None and spec.kind in (CHILD, CHILDREN):
            positions = positions[:-1]
        name = spec.title if is_leaf else (f"{spec.noun}({spec.xml})" if spec else etree.QName(element).localname)
        where = " ".join([*positions, name])
        if spec is not None and spec.kind == CHILDREN and spec.max_occurs is not None and parent is not None:
            count = sum(1 for sib in parent if sib.tag == element.tag)
            if count > spec.max_occurs:
                unit = "条" if spec.label.endswith("条") else "项"
                return f"{where}：共{count}{unit}，超过上限，最多{spec.max_occurs}{unit}"
        return f"{where}：{reason(message, _title_in(parent_cls))}"
    where = " ".join([*positions, spec.title] if is_leaf else positions)
    if element.getparent() is None:
        where = f"根元素{etree.QName(element).localname}"
    value_hint = _VALUE_HINTS.get(spec.kind, "") if spec else ""
    text = reason(message, _title_in(cls), root_hint=_ROOT_HINT, value_hint=value_hint, attributes=_ATTRIBUTES)
    return f"{where}：{text}" if where else text


_VALUE_HINTS = {
    DECIMAL: "应为数字（最多19位，其中小数最多5位）",
    INTEGER: "应为整数",
    DATE8: "应为YYYYMMDD格式的日期",
    TIME14: "应为YYYYMMDDhhmmss格式的时间",
    TIME17: "应为yyyyMMddHHmmssfff格式的时间",
}
_ATTRIBUTES = {"guid": "报文编号", "version": "版本号"}
_ROOT_HINT = f"根元素应为出口业务报文（CEB303Message等，命名空间 {NAMESPACE}）"


def _element_at(root: etree._Element, path: str | None) -> etree._Element | None:
    return element_at(root, path, {**{k: v for k, v in root.nsmap.items() if k}, "ceb": NAMESPACE})


def validate_ceb(xml: bytes | str) -> list[str]:
    """Errors of ``xml`` against the official CEB export XSD as Chinese strings; ``[]`` when valid."""
    root, problems = read_for_validation(xml)
    if root is None:
        return problems
    qname = etree.QName(root)
    if qname.namespace != NAMESPACE:
        return [f"根元素{qname.localname}的命名空间应为{NAMESPACE}"]
    if qname.localname in IMPORT_ROOTS:
        return [f"{qname.localname}是进口业务报文，不是出口业务报文"]
    if qname.localname not in EXPORT_ROOTS:
        return [_ROOT_HINT + f"，实际为{qname.localname}"]
    with _lock:
        compiled = schema()
        if compiled.validate(root):
            return []
        entries = list(compiled.error_log)
    return [
        _describe(None if "No matching global declaration" in e.message else _element_at(root, e.path), e.message)
        for e in entries
    ]
