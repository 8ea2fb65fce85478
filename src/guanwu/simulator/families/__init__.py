"""The customs side per message family: which part of the simulator answers an outbox file.

The message registry (:mod:`guanwu.messages.registry`) says by root element and namespace which
family a file is; each family here is a module with

- ``NAME``: the family's registry name (``dec``, ``ceb``, ``sas``)
- ``take(path, data, now) -> bool``: answer the file (import response, later receipts) and move
  it to ``sent/``
- ``refuse(path, data, text, now) -> bool``: answer it with a failure in the family's own
  import-response form (DecImportResponse ResponseCode 1, CEB304 returnStatus -1,
  CommonResponeMessage DealFlag -1); False when the family has no such form for the file
- ``advance(now) -> int``: move what it has received one step (DEC_RESULT ...)

A file no family owns, and an unreadable one, is refused in the 报关单 form (the outbox's
historical answer: a DecImportResponse named by the file's ClientSeqNo). No file ever stops the
simulator. Add a family: write ``families/<name>.py`` with the four names and list it in
:data:`FAMILIES`.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from types import ModuleType

from guanwu.messages.registry import identify

from . import ceb, dec, sas

log = logging.getLogger(__name__)

FAMILIES: dict[str, ModuleType] = {module.NAME: module for module in (dec, ceb, sas)}
FALLBACK = dec  # answers unknown and unreadable files
NO_ANSWER = "模拟海关无法以此报文类别（{family}）的回执答复，未受理"
UNKNOWN = "模拟海关不认识此报文：根元素为{root}{ns}，没有对应的报文类别"


def side_of(data: bytes) -> tuple[ModuleType, str]:
    """(customs side, "" or the reason to refuse) for a file's content."""
    found = identify(data, what="报文")
    if found.problem:
        return FALLBACK, ""  # the dec side answers an unreadable file as it always has
    side = FAMILIES.get(found.family_name)
    if side is None:
        ns = f"（命名空间 {found.namespace}）" if found.namespace else ""
        return FALLBACK, UNKNOWN.format(root=found.root, ns=ns)
    return side, ""


def take_file(path: Path, now: dt.datetime) -> bool:
    """Take one outbox file by its family; False when it vanished meanwhile."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return False
    side, reason = side_of(data)
    done = side.refuse(path, data, reason, now) if reason else side.take(path, data, now)
    if not done and side is not FALLBACK:  # the family has no answer for this file
        return FALLBACK.refuse(path, data, NO_ANSWER.format(family=side.NAME), now)
    return done


def refuse_after_error(path: Path, now: dt.datetime, exc: Exception) -> bool:
    """Answer a file whose taking raised with a failure in its family's form (else the 报关单
    form) and take it away; False when even that failed (the file stays in the outbox)."""
    text = f"模拟海关处理报文出错（{exc.__class__.__name__}）：{exc}"
    try:
        data = path.read_bytes()
        side, _reason = side_of(data)
        if side is FALLBACK or not side.refuse(path, data, text, now):
            FALLBACK.refuse(path, data, text, now)
    except Exception:
        log.exception("simulator could not refuse %s either; it stays in the outbox", path.name)
        return False
    return True


def advance(now: dt.datetime) -> int:
    """Every family's due steps."""
    return sum(side.advance(now) for side in FAMILIES.values())
