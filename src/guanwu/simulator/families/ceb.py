"""The customs side of the 跨境电商 (CEB) family, for now: every CEB file is answered with the
processing-error receipt of its type (CEB303 -> CEB304 returnStatus -1, returnInfo saying why)
and moved to ``sent/``; the platform sends no CEB messages yet (issue 14: the seam, not the
module). A CEB file that no receipt answers goes to the unknown-family answer."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from guanwu.gateway import folders
from guanwu.messages.ceb import CebParseError, build_ceb, parse_ceb
from guanwu.messages.ceb.receipts import failure_receipt
from guanwu.messages.registry import identify

from ..exchange import write_receipt

NAME = "ceb"
NOT_HANDLED = "模拟海关暂不处理跨境电商报文（{kind}），未受理"


def _keys(data: bytes) -> dict[str, Any]:
    """The fields of the sent message's first block (its head where it has one): the receipt
    repeats its keys (orderNo, copNo, ...). Empty when the file does not parse."""
    try:
        message = parse_ceb(data)
    except CebParseError:
        return {}
    for f in dataclasses.fields(message):
        rows = getattr(message, f.name)
        if isinstance(rows, list) and rows and dataclasses.is_dataclass(rows[0]):
            first = rows[0]
            head = next((getattr(first, h.name) for h in dataclasses.fields(first) if h.name.endswith("_head")),
                        first)
            return dict(vars(head))
    return {}


def refuse(path: Path, data: bytes, text: str, now: dt.datetime) -> bool:
    """The processing-error receipt of the file's type; False when its type has no receipt."""
    kind = identify(data).message_type
    keys = _keys(data)
    receipt = failure_receipt(kind, keys, text, when=now)
    if receipt is None:
        return False
    key = str(keys.get("order_no") or keys.get("cop_no") or keys.get("logistics_no") or path.stem)
    write_receipt(build_ceb(receipt), receipt.TYPE, key, now)
    with contextlib.suppress(FileNotFoundError):  # taken meanwhile
        folders.move_to(path, folders.SENT)
    return True


def take(path: Path, data: bytes, now: dt.datetime) -> bool:
    kind = identify(data).message_type
    return refuse(path, data, NOT_HANDLED.format(kind=kind), now)


def advance(now: dt.datetime) -> int:
    return 0
