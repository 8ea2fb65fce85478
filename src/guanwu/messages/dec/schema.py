"""Validate a DecMessage against DecMessage.xsd, with errors a customs broker can read.

The schema is compiled once per process (lxml/libxml2, fast); the XML is parsed with a
hardened parser (no entity expansion, no network, no huge trees) and a document with a DTD
is refused, so this is also safe on messages received from elsewhere (the simulator).
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from lxml import etree

from ..xsderrors import element_at, read_for_validation, reason, strip_ns
from . import structure as s
from .fields import block

XSD_PATH = Path(__file__).with_name("xsd") / "DecMessage.xsd"

_lock = threading.Lock()


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_PATH)))


# Where an element sits -> which dictionary block names it; wrappers and rows read in Chinese.
_BLOCK_OF_ROW = {node.tag: node.block for node in s.walk()}
_ROW_LABEL = {
    "DecHead": "表头", "DecList": "表体第{n}项", "DecGoodsLimit": "产品资质第{n}条",
    "DecGoodsLimitVin": "VIN信息第{n}条", "Container": "集装箱第{n}条", "LicenseDocu": "随附单证第{n}条",
    "DecRequestCert": "申请单证第{n}条", "DecOtherPack": "其他包装第{n}条", "DecCopLimit": "企业资质第{n}条",
    "DecUser": "使用人第{n}条", "DecFreeTxt": "自由文本", "DecSign": "签名", "DecCopPromise": "企业承诺第{n}条",
    "DecTpAccess": "两段准入", "EdocRealation": "随附单据第{n}条", "EcoRelation": "单证对应关系第{n}条",
}
# What a wrapper, the root or a missing row is called.
_NOUNS = {
    "DecMessage": "报文", "DecLists": "表体", "DecList": "商品项", "DecGoodsLimits": "产品资质",
    "DecGoodsLimit": "产品资质", "DecGoodsLimitVin": "VIN信息", "DecContainers": "集装箱", "Container": "集装箱",
    "DecLicenseDocus": "随附单证", "LicenseDocu": "随附单证", "DecRequestCerts": "申请单证",
    "DecRequestCert": "申请单证", "DecOtherPacks": "其他包装", "DecOtherPack": "其他包装", "DecCopLimits": "企业资质",
    "DecCopLimit": "企业资质", "DecUsers": "使用人", "DecUser": "使用人", "DecFreeTxt": "自由文本", "DecSign": "签名",
    "DecCopPromises": "企业承诺", "DecCopPromise": "企业承诺", "DecTpAccess": "两段准入", "DecHead": "表头",
    "EdocRealation": "随附单据", "EcoRelation": "单证对应关系",
}
_MAX_ROWS = {node.tag: node.max_occurs for node in s.walk() if node.max_occurs and node.max_occurs > 1}
_strip_ns = strip_ns


def _location(element: etree._Element | None) -> tuple[str, str]:
    """(Chinese position, field label) of an element: ('表体第2项', '商品编号(CodeTS)')."""
    if element is None:
        return "", ""
    parts = []
    node = element
    field = ""
    while node is not None:
        tag = _strip_ns(node.tag)
        if tag in _ROW_LABEL:
            n = sum(1 for sib in node.itersiblings(preceding=True) if sib.tag == node.tag) + 1
            parts.append(_ROW_LABEL[tag].format(n=n))
            if node is element.getparent() and tag in _BLOCK_OF_ROW:
                try:
                    field = block(_BLOCK_OF_ROW[tag]).get(_strip_ns(element.tag)).label
                except KeyError:
                    field = _strip_ns(element.tag)
        node = node.getparent()
    tag = _strip_ns(element.tag)
    if not field and tag not in _ROW_LABEL:
        field = f"{_NOUNS[tag]}({tag})" if tag in _NOUNS else tag
    return " ".join(reversed(parts)), field


def _reason(message: str, block_name: str | None = None) -> str:
    """Chinese for the libxml2 schema messages (see :mod:`guanwu.messages.xsderrors`).

    ``block_name`` is the block whose children a content error names (for their labels)."""
    return reason(message, lambda name: _element_title(name, block_name), root_hint=_ROOT_HINT,
                  attributes={"version": "接口版本号"})


_ROOT_HINT = "根元素应为 DecMessage（命名空间 http://www.chinaport.gov.cn/dec）"


def _element_title(name: str, block_name: str | None) -> str:
    try:
        label = block(block_name).get(name).label if block_name else ""
    except KeyError:
        label = ""
    return label or (f"{_NOUNS[name]}({name})" if name in _NOUNS else name)


def validate_dec_message(xml: bytes | str) -> list[str]:
    """Errors of ``xml`` against DecMessage.xsd as Chinese strings; ``[]`` when it is valid."""
    with _lock:
        root, problems = read_for_validation(xml)
        if root is None:
            return problems
        schema = _schema()
        if schema.validate(root):
            return []
        entries = list(schema.error_log)
    errors = []
    for entry in entries:
        element = None if "No matching global declaration" in entry.message else _element_at(root, entry.path)
        position, field = _location(element)
        where = " ".join(p for p in (position, field) if p)
        reason = _reason(entry.message, _content_block(element, entry.message))
        if element is not None and reason == "不应出现在此处" and _strip_ns(element.tag) in _MAX_ROWS:
            reason = f"超过上限，最多{_MAX_ROWS[_strip_ns(element.tag)]}项"
        errors.append(f"{where}：{reason}" if where else reason)
    return errors


def _content_block(element: etree._Element | None, message: str) -> str | None:
    """The block whose children a content error is about: the row itself when a child is
    missing, the parent row when an element is unexpected."""
    if element is None:
        return None
    row = element.getparent() if "is not expected" in message else element
    return _BLOCK_OF_ROW.get(_strip_ns(row.tag)) if row is not None else None


def _element_at(root: etree._Element, path: str | None) -> etree._Element | None:
    return element_at(root, path, {"dec": s.NAMESPACE})
