"""CEB receipts (回执): the answer to each sent message (:data:`.structure.RECEIPT_OF`).

The receipts are typed records like every CEB message (``CEB304Message(order_return=[...])``,
built with ``build_ceb`` and read with ``parse_ceb``); this module adds what a customs side
needs to answer any sent message without knowing its type:

- ``failure_receipt(sent_type, keys, info, *, when)``: the receipt of ``sent_type`` with one
  return row saying the message was not processed: ``returnStatus`` :data:`PROCESSING_ERROR`
  (the official XSD's returnStatus documentation: "若小于0数字表示处理异常回执"), ``returnInfo``
  ``info``, the key fields (ebpCode, orderNo, copNo, ...) taken from ``keys`` where given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from .common import Message
from .fields import CHILDREN, specs
from .structure import CLASS_OF_TYPE, RECEIPT_OF

# A negative returnStatus is a processing-error receipt (XSD documentation); -1 is the
# simulator's own choice where spec table 7-2 has no code for the message type.
PROCESSING_ERROR = "-1"


def failure_receipt(sent_type: str, keys: Mapping[str, Any], info: str, *, when: dt.datetime,
                    status: str = PROCESSING_ERROR) -> Message | None:
    """The processing-error receipt of a ``sent_type`` message (``returnStatus`` ``status``, a
    negative code: spec 202205 §7 table 7-2 where it has one for the type); None for a type no
    receipt answers."""
    receipt_type = RECEIPT_OF.get(sent_type)
    if receipt_type is None:
        return None
    cls = CLASS_OF_TYPE[receipt_type]
    rows = next(spec for spec in specs(cls) if spec.kind == CHILDREN)
    row_cls = rows.cls
    assert row_cls is not None
    values: dict[str, Any] = {}
    for spec in specs(row_cls):
        if spec.name == "return_status":
            values[spec.name] = status
        elif spec.name == "return_info":
            values[spec.name] = info
        elif spec.name == "return_time":
            values[spec.name] = when
        elif spec.name in keys and keys[spec.name] not in (None, ""):
            values[spec.name] = keys[spec.name]
    return cls(**{rows.name: [row_cls(**values)]})
