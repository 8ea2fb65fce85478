"""The customs side of the 报关单 family: DecMessage in, DecImportResponse and DEC_RESULT out.

``take(path, data, now)`` takes one outbox DecMessage like the real client does: XSD-validated
and parsed, answered with a DecImportResponse in ``inbox/`` (ResponseCode 0 with the 统一编号
SeqNo, or 1 with a Chinese ErrorMessage), then moved to ``sent/``. A ClientSeqNo seen before is
answered again with the same SeqNo and not processed twice (one that failed import may be sent
again corrected). ``refuse(path, data, text, now)`` answers a file with a failed import.

``advance(now)`` moves each received declaration whose next event is due one step and writes
its DEC_RESULT: first the business checks (:mod:`..checks`): problems -> ``E`` 不被受理 with the
coded reasons; a planned random rejection -> ``Z`` 退回修改; otherwise ``L`` 海关已接收 with the
海关编号. Then optionally 查验 (``C`` 出口查验通知 / ``W`` 进出口审结/查验/放行通知 for an
import), ``P`` 放行, ``R`` 结关, each ``GUANWU_SIMULATOR_DELAY_SECONDS`` after the previous.
An export by sea or air is released only once the 运抵报告 of its bill is in (海关
出口货物 "运抵" before 放行); until then it waits, sending nothing.

Decisions (inspection, random rejection and its reason) come from
``random.Random(f"{GUANWU_SIMULATOR_SEED}{client_seq_no}")``, so the same declaration gets the
same fate for the same seed. Receipt names: ``..._<DecImportResponse|DecResult>_<key>[_<channel>].xml``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import random
import re
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from guanwu.gateway import folders
from guanwu.messages.dec import (
    DecMessageData,
    DecMessageFormatError,
    DecResult,
    ImportResponse,
    build_dec_result,
    build_import_response,
    channel_text,
    parse_dec_message,
    validate_dec_message,
)

from ..checks import MANIFEST_TRAF_MODES, arrival_reported, check_declaration
from ..exchange import CHINA, delay_seconds, inspection_rate, rejection_rate, seed, write_receipt
from ..models import ACTIVE_STATES, SimCounter, SimDeclaration, SimState

log = logging.getLogger(__name__)

NAME = "dec"  # the message family (guanwu.messages.registry) this customs side answers

# CHANNEL codes used, all from the public code lists of messages/dec/data/dec_result_channel.csv
# (sources S1-S3 there) with the status receipts.CHANNEL_STATUS gives them.
CHANNEL_NOT_ACCEPTED = "E"  # 不被受理 -> rejected: business checks failed (S1 S2 S3)
CHANNEL_RETURNED = "Z"  # 退回修改 -> rejected: random rejection at audit (S2 S3)
CHANNEL_ACCEPTED = "L"  # 海关已接收 -> accepted, entry_id assigned (S1 S2 S3)
# 查验: 出口查验通知 C (S1 S2); the lists have no import-only inspection code, and S1 gives W as
# 进出口审结/查验/放行通知, so an import's inspection notice is a W (-> accepted).
CHANNEL_INSPECTION = {"I": "W", "E": "C"}
CHANNEL_RELEASED = "P"  # 报关单放行 -> released (S1 S2 S3)
CHANNEL_CLOSED = "R"  # 已结关 -> closed (S1 S2 S3)

IMPORT_FAILED_CODE = "1"
MAX_ERRORS_IN_RESPONSE = 20
ADVANCE_CHUNK = 200  # declarations moved per transaction

# Reasons of a random 退回修改 (code Z): the kinds of reasons customs gives, under codes of the
# simulator's own (no public list of such codes exists; see checks.py).
RANDOM_REJECTIONS = (
    "[SIM-0510] 申报价格与同类商品差异较大，请核实成交价格后重新申报",
    "[SIM-0521] 商品归类有误，请核实商品编号后重新申报",
    "[SIM-0530] 申报要素填报不规范，请补充品牌、型号等要素后重新申报",
    "[SIM-0540] 随附单据不完整，请补充发票、装箱单后重新申报",
    "[SIM-0550] 境内收发货人信息与备案不符，请核实后重新申报",
)
INSPECTION_NOTE = "海关查验通知：请联系现场海关办理查验手续"

_CLIENT_SEQ_NO = re.compile(rb"<(?:\w+:)?ClientSeqNo>\s*([^<\s]{1,64})\s*</(?:\w+:)?ClientSeqNo>")


# ------------------------------------------------------------------------------------ settings


def plan_for(client_seq_no: str) -> dict[str, Any]:
    """The fate of a declaration: reproducible from the seed and its ClientSeqNo."""
    rng = random.Random(f"{seed()}{client_seq_no}")
    reject = rng.random() < rejection_rate()
    inspect = rng.random() < inspection_rate()
    reason = RANDOM_REJECTIONS[rng.randrange(len(RANDOM_REJECTIONS))]
    return {"reject": reject, "inspect": inspect, "reason": reason if reject else ""}


# ------------------------------------------------------------------------------------- numbers


def next_seq_no(ie_flag: str, year: int) -> str:
    """统一编号, 18 characters: I/E + year + 13-digit running number."""
    letter = "E" if ie_flag == "E" else "I"
    number = SimCounter.next(f"seq:{year}")
    return f"{letter}{year:04d}{number:013d}"


def next_entry_id(custom_master: str, ie_flag: str, year: int) -> str:
    """海关编号, 18 digits: 4-digit customs + year + I/E digit (1 import, 0 export) + 9 digits."""
    customs = (custom_master or "0000")[:4].rjust(4, "0")
    ie_digit = "0" if ie_flag == "E" else "1"
    number = SimCounter.next(f"entry:{customs}:{year}:{ie_digit}")
    return f"{customs}{year:04d}{ie_digit}{number:09d}"


# ------------------------------------------------------------------------------------ receipts


def _record(row: SimDeclaration, now: dt.datetime, event: str, file_name: str, **extra: Any) -> None:
    entry = {"at": now.astimezone(CHINA).isoformat(timespec="seconds"), "event": event, "file": file_name}
    entry.update({k: v for k, v in extra.items() if v not in (None, "")})
    row.history = [*(row.history or []), entry]


# -------------------------------------------------------------------------------------- intake


def _guess_client_seq_no(data: bytes, path: Path) -> str:
    m = _CLIENT_SEQ_NO.search(data)
    if m:
        return m.group(1).decode("utf-8", errors="replace")
    stem = path.stem
    return stem.split("_", 1)[1] if stem.startswith("DecMessage_") else stem


def _head_summary(message: DecMessageData) -> dict[str, str]:
    head = message.head
    keys = (
        "IEFlag", "CustomMaster", "IEPort", "AgentName", "TradeCode", "TradeName", "BillNo", "TrafMode",
        "TrafName", "NetWt", "GrossWet", "PackNo", "IEDate",
    )
    out = {k: head.get(k, "") for k in keys}
    out["VoyNo"] = message.free_txt.get("VoyNo", "")
    return out


def _error_message(errors: list[str]) -> str:
    shown = errors[:MAX_ERRORS_IN_RESPONSE]
    text = "报文校验未通过：" + "；".join(shown)
    if len(errors) > len(shown):
        text += f"；等共{len(errors)}处错误"
    return text


def take(path: Path, data: bytes, now: dt.datetime | None = None) -> bool:
    """Take one outbox DecMessage: answer it with a DecImportResponse and move it to ``sent/``."""
    now = now or timezone.now()
    errors = validate_dec_message(data)
    message: DecMessageData | None = None
    if not errors:
        try:
            message = parse_dec_message(data)
        except DecMessageFormatError as exc:
            errors = [str(exc)]
    client_seq_no = (message.client_seq_no if message else "") or _guess_client_seq_no(data, path)
    if message and not message.client_seq_no:
        errors, message = ["签名(DecSign) 客户端编号(ClientSeqNo)：不能为空"], None

    with transaction.atomic():
        row = SimDeclaration.objects.select_for_update().filter(client_seq_no=client_seq_no).first()
        if row is not None and row.state != SimState.FAILED:
            # Sent again: same answer, nothing processed twice.
            response = ImportResponse(client_seq_no=client_seq_no, response_code="0", seq_no=row.seq_no)
            name = write_receipt(build_import_response(response), "DecImportResponse", client_seq_no, now)
            row.duplicates += 1
            _record(row, now, "duplicate", name, text="重复报文，按原统一编号回执")
            row.save(update_fields=["duplicates", "history", "updated_at"])
        elif errors:
            row = row or SimDeclaration(client_seq_no=client_seq_no)
            text = _error_message(errors)
            response = ImportResponse(client_seq_no=client_seq_no, response_code=IMPORT_FAILED_CODE, error_message=text)
            name = write_receipt(build_import_response(response), "DecImportResponse", client_seq_no, now)
            row.state, row.next_event_at, row.file_name = SimState.FAILED, None, path.name
            row.message = data
            _record(row, now, "import_failed", name, code=IMPORT_FAILED_CODE, text=text)
            row.save()
        else:
            assert message is not None
            row = row or SimDeclaration(client_seq_no=client_seq_no)
            plan = plan_for(client_seq_no)
            row.ie_flag = message.ie_flag
            row.custom_master = message.head.get("CustomMaster", "")
            row.seq_no = next_seq_no(row.ie_flag, now.astimezone(CHINA).year)
            row.state = SimState.DECLARED
            row.next_event_at = now + dt.timedelta(seconds=delay_seconds())
            row.plan_inspect, row.plan_reject, row.reject_reason = plan["inspect"], plan["reject"], plan["reason"]
            row.file_name = path.name
            row.message = data
            row.head = _head_summary(message)
            response = ImportResponse(client_seq_no=client_seq_no, response_code="0", seq_no=row.seq_no)
            name = write_receipt(build_import_response(response), "DecImportResponse", client_seq_no, now)
            _record(row, now, "imported", name, code="0", text="导入成功", seq_no=row.seq_no)
            row.save()
    with contextlib.suppress(FileNotFoundError):  # taken meanwhile
        folders.move_to(path, folders.SENT)
    return True


def refuse(path: Path, data: bytes, text: str, now: dt.datetime) -> bool:
    """Answer a file this side cannot take with a failed import (DecImportResponse, ResponseCode
    1, ``text`` as ErrorMessage) and move it to ``sent/``."""
    client_seq_no = _guess_client_seq_no(data, path)
    response = ImportResponse(client_seq_no=client_seq_no, response_code=IMPORT_FAILED_CODE, error_message=text)
    write_receipt(build_import_response(response), "DecImportResponse", client_seq_no, now)
    with contextlib.suppress(FileNotFoundError):  # taken meanwhile
        folders.move_to(path, folders.SENT)
    return True


# ----------------------------------------------------------------------------------- decisions


def _dec_result(row: SimDeclaration, channel: str, now: dt.datetime, note: str = "") -> DecResult:
    head = row.head or {}
    return DecResult(
        seq_no=row.seq_no,
        channel=channel,
        entry_id=row.entry_id,
        notice_date=now,
        note=note or channel_text(channel),
        custom_master=row.custom_master,
        decl_port=head.get("IEPort", ""),
        agent_name=head.get("AgentName", ""),
        trade_co=head.get("TradeCode", ""),
        ie_date=head.get("IEDate", ""),
        pack_no=head.get("PackNo", ""),
        bill_no=head.get("BillNo", ""),
        traf_mode=head.get("TrafMode", ""),
        voyage_no=head.get("VoyNo", ""),
        net_wt=head.get("NetWt", ""),
        gross_wt=head.get("GrossWet", ""),
        d_date=row.created_at.astimezone(CHINA).strftime("%Y%m%d") if row.created_at else "",
        result_info=note,
    )


def awaits_arrival(row: SimDeclaration) -> bool:
    """An export by sea or air is not released before its 运抵报告 (arrival at the supervised
    location) is in."""
    head = row.head or {}
    if row.ie_flag != "E" or head.get("TrafMode", "") not in MANIFEST_TRAF_MODES:
        return False
    return not arrival_reported(head.get("BillNo", ""))


def _next_step(row: SimDeclaration, now: dt.datetime) -> tuple[str, str, str] | None:
    """(channel, note, new state) for the due event of ``row``; None when it must wait."""
    if row.state == SimState.DECLARED:
        try:
            problems = check_declaration(parse_dec_message(bytes(row.message)))
        except DecMessageFormatError as exc:
            problems = [f"[SIM-0001] {exc}"]
        if problems:
            return CHANNEL_NOT_ACCEPTED, "；".join(problems), SimState.REJECTED
        if row.plan_reject:
            return CHANNEL_RETURNED, row.reject_reason or RANDOM_REJECTIONS[0], SimState.REJECTED
        row.entry_id = next_entry_id(row.custom_master, row.ie_flag, now.astimezone(CHINA).year)
        return CHANNEL_ACCEPTED, "", SimState.ACCEPTED
    if row.state == SimState.ACCEPTED and row.plan_inspect:
        return CHANNEL_INSPECTION.get(row.ie_flag, "I"), INSPECTION_NOTE, SimState.INSPECTION
    if row.state in (SimState.ACCEPTED, SimState.INSPECTION):
        if awaits_arrival(row):
            return None
        return CHANNEL_RELEASED, "", SimState.RELEASED
    return CHANNEL_CLOSED, "", SimState.CLOSED


def _step(row: SimDeclaration, now: dt.datetime) -> bool:
    """Move ``row`` (locked, due) one step and write its DEC_RESULT; False when it waits (for
    its 运抵报告): it is looked at again after the delay, and nothing is written."""
    step = _next_step(row, now)
    if step is None:
        row.next_event_at = now + dt.timedelta(seconds=delay_seconds())
        if not any(h.get("event") == "awaiting_arrival" for h in row.history or []):
            _record(row, now, "awaiting_arrival", "", text="等待运抵报告")
        row.save(update_fields=["next_event_at", "history", "updated_at"])
        return False
    channel, note, state = step
    name = write_receipt(build_dec_result(_dec_result(row, channel, now, note)), "DecResult", row.seq_no, now, channel)
    row.state = state
    row.next_event_at = now + dt.timedelta(seconds=delay_seconds()) if state in ACTIVE_STATES else None
    _record(row, now, state, name, channel=channel, text=note or channel_text(channel), entry_id=row.entry_id)
    row.save(update_fields=["state", "next_event_at", "entry_id", "history", "updated_at"])
    return True


def _due(now: dt.datetime) -> QuerySet[SimDeclaration]:
    return SimDeclaration.objects.filter(state__in=ACTIVE_STATES, next_event_at__lte=now)


def advance_many(pks: list[int], now: dt.datetime | None = None) -> int:
    """Move each of ``pks`` that is due one step, ADVANCE_CHUNK per transaction (a savepoint
    each: one that fails is logged and left for the next round); returns how many moved."""
    now = now or timezone.now()
    moved = 0
    for start in range(0, len(pks), ADVANCE_CHUNK):
        with transaction.atomic():
            rows = _due(now).filter(pk__in=pks[start:start + ADVANCE_CHUNK]).select_for_update().order_by(
                "next_event_at", "id")
            for row in rows:
                try:
                    with transaction.atomic():
                        stepped = _step(row, now)
                except Exception:
                    log.exception("simulator could not advance declaration %s", row.pk)
                else:
                    moved += stepped
    return moved


def advance(now: dt.datetime) -> int:
    """Move every due declaration one step; returns how many moved."""
    due = list(_due(now).order_by("next_event_at", "id").values_list("pk", flat=True))
    return advance_many(due, now)
