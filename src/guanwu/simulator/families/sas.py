"""The customs side of the 加工贸易 (SAS/NEMS) family, for now: every file is answered as the
Single Window client answers a file it does not import, a CommonResponeMessage with DealFlag -1
(导入失败) and the reason in CheckInfo, then moved to ``sent/``; the platform sends no SAS
messages yet (issue 14: the seam, not the module)."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from pathlib import Path

from guanwu.gateway import folders
from guanwu.messages.registry import identify
from guanwu.messages.sas import CommonResponse, build_common_response

from ..exchange import write_receipt

NAME = "sas"
NOT_HANDLED = "模拟海关暂不处理加工贸易报文（{kind}），导入失败"
FAILED = "-1"  # DealFlag: 0 导入成功, anything else 导入失败 (messages/sas/data/codes.csv, deal_flag)
_INNER_NO = re.compile(rb"<(?:\w+:)?(?:EtpsInnerInvtNo|EtpsPreentNo)>\s*([^<\s]{1,64})\s*<")


def refuse(path: Path, data: bytes, text: str, now: dt.datetime) -> bool:
    m = _INNER_NO.search(data)
    inner_no = m.group(1).decode("utf-8", errors="replace") if m else ""
    response = CommonResponse(etps_preent_no=inner_no, check_info=text, deal_flag=FAILED)
    write_receipt(build_common_response(response), "CommonResponeMessage", inner_no or path.stem, now)
    with contextlib.suppress(FileNotFoundError):  # taken meanwhile
        folders.move_to(path, folders.SENT)
    return True


def take(path: Path, data: bytes, now: dt.datetime) -> bool:
    kind = identify(data).message_type or "未知类型"
    return refuse(path, data, NOT_HANDLED.format(kind=kind), now)


def advance(now: dt.datetime) -> int:
    return 0
