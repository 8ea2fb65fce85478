"""The shape of the CEB family: every message is a record class (``orders``, ``logistics``,
``inventory``, ``summary``, ``refunds``; elements in official order, see :mod:`.fields`), and
each message the enterprise sends is answered by a receipt of the next number.

- :data:`MESSAGE_CLASSES` root element -> record class (export messages and their receipts)
- :data:`CLASS_OF_TYPE` message type -> record class
- :data:`RECEIPT_OF` sent message type -> its receipt type (spec 202205: CEB303 订单 -> CEB304
  订单回执, ..., CEB701 汇总申请单 -> CEB702; CEB792 汇总结果单 is sent by customs unasked)
"""

from __future__ import annotations

from .common import Message
from .parser import EXPORT_ROOTS, IMPORT_ROOTS, MESSAGE_CLASSES

__all__ = ["CLASS_OF_TYPE", "EXPORT_ROOTS", "IMPORT_ROOTS", "MESSAGE_CLASSES", "RECEIPT_OF"]

CLASS_OF_TYPE: dict[str, type[Message]] = {cls.TYPE: cls for cls in MESSAGE_CLASSES.values()}

RECEIPT_OF: dict[str, str] = {
    "CEB303": "CEB304", "CEB403": "CEB404", "CEB505": "CEB506", "CEB507": "CEB508", "CEB509": "CEB510",
    "CEB603": "CEB604", "CEB605": "CEB606", "CEB607": "CEB608", "CEB701": "CEB702", "CEB213": "CEB214",
    "CEB215": "CEB216",
}
