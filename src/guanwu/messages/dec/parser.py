"""Read a received DecMessage back into plain data (the customs simulator's side).

``parse_dec_message(bytes) -> DecMessageData``: element names as keys, text values as
written (no type conversion), rows in message order. Validate with ``validate_dec_message``
first when the content matters; this only needs the shape. Received bytes are read with
:func:`guanwu.messages.common.read_untrusted` (no DTD, no entities, no external references); every failure raises
:class:`DecMessageFormatError` with a Chinese message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from ..common import leaf_values, local_name, read_untrusted
from . import structure as s

MAX_MESSAGE_BYTES = 20 * 1024 * 1024

Row = dict[str, str]


class DecMessageFormatError(ValueError):
    """Not a readable DecMessage."""


@dataclass(frozen=True)
class DecMessageData:
    version: str
    head: Row
    items: tuple[Row, ...]
    goods_limits: tuple[Row, ...] = ()  # each with its GoodsNo
    goods_limit_vins: tuple[Row, ...] = ()  # each with the GoodsNo of its licence line
    containers: tuple[Row, ...] = ()
    licences: tuple[Row, ...] = ()
    request_certs: tuple[Row, ...] = ()
    other_packs: tuple[Row, ...] = ()
    cop_limits: tuple[Row, ...] = ()
    users: tuple[Row, ...] = ()
    free_txt: Row = field(default_factory=dict)
    sign: Row = field(default_factory=dict)
    cop_promises: tuple[Row, ...] = ()
    tp_access: Row = field(default_factory=dict)
    documents: tuple[Row, ...] = ()
    eco_relations: tuple[Row, ...] = ()

    @property
    def client_seq_no(self) -> str:
        return self.sign.get("ClientSeqNo", "")

    @property
    def oper_type(self) -> str:
        return self.sign.get("OperType", "")

    @property
    def ie_flag(self) -> str:
        return self.head.get("IEFlag", "")


_local = local_name


def _row(el: ET.Element) -> Row:
    """The leaf children of ``el`` as {element: text}; nested blocks are read separately."""
    return leaf_values(el)


def _rows(root: ET.Element, node: s.Node) -> tuple[Row, ...]:
    parent = root
    if node.wrapper:
        parent = next((c for c in root if _local(c.tag) == node.wrapper), None)
        if parent is None:
            return ()
    return tuple(_row(c) for c in parent if _local(c.tag) == node.tag)


def parse_dec_message(data: bytes) -> DecMessageData:
    """The content of a DecMessage; DecMessageFormatError when it is not one."""
    try:
        return _parse(data)
    except DecMessageFormatError:
        raise
    except Exception as exc:  # any surprise is a bad message, not a crash
        raise DecMessageFormatError(f"报文无法解析：{exc.__class__.__name__}") from exc


def _parse(data: bytes) -> DecMessageData:
    root = read_untrusted(data, what="报文", max_bytes=MAX_MESSAGE_BYTES, error=DecMessageFormatError)
    if _local(root.tag) != "DecMessage":
        raise DecMessageFormatError(f"根元素应为DecMessage，实为{_local(root.tag)}")
    head = next((c for c in root if _local(c.tag) == s.HEAD.tag), None)
    if head is None:
        raise DecMessageFormatError("报文缺少表头(DecHead)")

    items_el = next((c for c in root if _local(c.tag) == s.ITEM.wrapper), None)
    items: list[Row] = []
    limits: list[Row] = []
    vins: list[Row] = []
    for item_el in items_el if items_el is not None else ():
        if _local(item_el.tag) != s.ITEM.tag:
            continue
        item = _row(item_el)
        items.append(item)
        for limit_el in _rows_el(item_el, s.GOODS_LIMIT):
            limit = {"GoodsNo": item.get("GNo", ""), **_row(limit_el)}
            limits.append(limit)
            vins += [
                {"GoodsNo": limit["GoodsNo"], **_row(v)} for v in limit_el if _local(v.tag) == s.GOODS_LIMIT_VIN.tag
            ]

    def single(node: s.Node) -> Row:
        el = next((c for c in root if _local(c.tag) == node.tag), None)
        return _row(el) if el is not None else {}

    return DecMessageData(
        version=root.get("version", "") or root.get("Version", ""),
        head=_row(head),
        items=tuple(items),
        goods_limits=tuple(limits),
        goods_limit_vins=tuple(vins),
        containers=_rows(root, s.CONTAINER),
        licences=_rows(root, s.LICENCE),
        request_certs=_rows(root, s.REQUEST_CERT),
        other_packs=_rows(root, s.OTHER_PACK),
        cop_limits=_rows(root, s.COP_LIMIT),
        users=_rows(root, s.USER),
        free_txt=single(s.FREE_TXT),
        sign=single(s.SIGN),
        cop_promises=_rows(root, s.COP_PROMISE),
        tp_access=single(s.TP_ACCESS),
        documents=_rows(root, s.EDOC),
        eco_relations=_rows(root, s.ECO),
    )


def _rows_el(parent: ET.Element, node: s.Node) -> list[ET.Element]:
    wrapper = next((c for c in parent if _local(c.tag) == node.wrapper), None)
    return [c for c in wrapper if _local(c.tag) == node.tag] if wrapper is not None else []
