"""The shape of DecMessage: which blocks, in which order, how often, under which wrapper.

Shared by the XSD generator, the builder and the parser so that the three agree. Field order
inside a block comes from :mod:`.fields` (dictionary order).

Top-level order follows the single-window import samples we could find (DecHead, DecLists,
DecContainers, DecLicenseDocus, DecRequestCerts, DecOtherPacks, DecCopLimits, DecUsers,
DecFreeTxt, DecSign, DecCopPromises, DecTpAccess, EdocRealation*, EcoRelation*); DecGoodsLimits
sits inside each DecList after CiqName, DecGoodsLimitVin inside each DecGoodsLimit.
"""

from __future__ import annotations

from dataclasses import dataclass

NAMESPACE = "http://www.chinaport.gov.cn/dec"
# Interface version written in DecMessage/@version; the dictionary's fields (RCEP origin,
# 禁限管制识别码) belong to the 2022+ interface.
DEC_MESSAGE_VERSION = "5.0"
MAX_ITEMS = 50  # a declaration carries at most 50 goods items

# Required elements that may still be written empty: the single-window client signs the
# message with the operator card (DecSign/Sign), and a general declaration writes blanks in
# DecHead/Type ("前两位：一般报关单填空值").
REQUIRED_MAY_BE_EMPTY = frozenset({
    ("DecHead", "Type"),
    ("DecSign", "Sign"),
    # 第二法定数量 is required only when the tariff has a second unit (a rule, not a schema matter).
    ("DecList", "SecondQty"),
    # 启运港 and 货物存放地点 are import fields (填制规范 2019 No. 18); the dictionary flags them
    # 申报必填 for both directions, so the element stays but an export leaves it empty.
    ("DecHead", "DespPortCode"),
    ("DecHead", "GoodsPlace"),
})


@dataclass(frozen=True)
class Node:
    """One repeating (or single) element whose content is the fields of ``block``."""

    tag: str
    block: str
    min_occurs: int = 0
    max_occurs: int | None = 1  # None = unbounded
    wrapper: str | None = None  # list element around the rows, e.g. DecLists
    # (element after which the nested node goes, or None for the end of the block, node)
    children: tuple[tuple[str | None, Node], ...] = ()

    @property
    def wrapper_min_occurs(self) -> int:
        return 1 if self.min_occurs else 0


GOODS_LIMIT_VIN = Node("DecGoodsLimitVin", "DecGoodsLimitVin", 0, None)
GOODS_LIMIT = Node(
    "DecGoodsLimit", "DecGoodsLimit", 0, None, wrapper="DecGoodsLimits", children=((None, GOODS_LIMIT_VIN),)
)

HEAD = Node("DecHead", "DecHead", 1, 1)
ITEM = Node("DecList", "DecList", 1, MAX_ITEMS, wrapper="DecLists", children=(("CiqName", GOODS_LIMIT),))
CONTAINER = Node("Container", "DecContainer", 0, None, wrapper="DecContainers")
LICENCE = Node("LicenseDocu", "DecLicenseDocus", 0, None, wrapper="DecLicenseDocus")
REQUEST_CERT = Node("DecRequestCert", "DecRequestCert", 0, None, wrapper="DecRequestCerts")
OTHER_PACK = Node("DecOtherPack", "DecOtherPack", 0, None, wrapper="DecOtherPacks")
COP_LIMIT = Node("DecCopLimit", "DecCopLimit", 0, None, wrapper="DecCopLimits")
USER = Node("DecUser", "DecUser", 0, None, wrapper="DecUsers")
FREE_TXT = Node("DecFreeTxt", "DecFreeTxt", 0, 1)
SIGN = Node("DecSign", "DecSign", 1, 1)
COP_PROMISE = Node("DecCopPromise", "DecCopPromise", 0, None, wrapper="DecCopPromises")
TP_ACCESS = Node("DecTpAccess", "DecTpAccess", 0, 1)
EDOC = Node("EdocRealation", "EdocRealation", 0, None)
ECO = Node("EcoRelation", "EcoRelation", 0, None)

MESSAGE: tuple[Node, ...] = (
    HEAD, ITEM, CONTAINER, LICENCE, REQUEST_CERT, OTHER_PACK, COP_LIMIT, USER, FREE_TXT, SIGN, COP_PROMISE,
    TP_ACCESS, EDOC, ECO,
)


def walk(nodes: tuple[Node, ...] = MESSAGE):
    """Every node, depth first."""
    for node in nodes:
        yield node
        yield from walk(tuple(child for _after, child in node.children))


def qname(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"
