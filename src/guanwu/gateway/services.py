"""File exchange with the single window (ARCHITECTURE.md §4): outbox, receipts, quarantine.

Sending::

    with transaction.atomic():
        declaration.status = "declared"; declaration.save()
        enqueue("DecMessage", declaration.client_seq_no, xml)   # same transaction

``enqueue`` stores the message under its key (ClientSeqNo) in the caller's transaction; the file
is written after commit (``transaction.on_commit``) and, should that fail or the process die,
by the next ``flush_outbox`` (the worker's poller). The same key twice stores and writes once,
and a file already present in ``outbox/`` or ``sent/`` is never written again, so a crash
between writing the file and recording it cannot send twice.

Receiving: ``poll_inbox`` reads ``inbox/*.xml``, finds the handler registered for the root
element (:mod:`guanwu.gateway.registry`), calls it in its own transaction and moves the file to
``done/``; a file that is not XML, has no handler or whose handler raises goes to ``failed/``
with a :class:`GatewayError` row for platform staff. One bad file never stops the others.
"""

from __future__ import annotations

import codecs
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from guanwu.core import aftercommit
from guanwu.core.errors import ServiceError
from guanwu.messages.registry import identify

from . import folders
from .models import GatewayError, OutboxMessage, OutboxStatus
from .registry import (
    BatchHandler,
    Handler,
    get_batch_handler,
    get_handler,
    register_handler,
    registered_tags,
    unregister_handler,
)

__all__ = [
    "PollResult", "enqueue", "flush_outbox", "outbox_counts", "outbox_file_name", "poll_inbox", "poll_once",
    "register_handler", "registered_tags", "resolve_errors", "retry_error", "sniff_root", "unregister_handler",
    "write_message",
]

log = logging.getLogger(__name__)

MAX_RECEIPT_BYTES = 20 * 1024 * 1024  # larger files are quarantined unread
MAX_RAW_BYTES = 1024 * 1024  # what a GatewayError keeps of the content
MAX_FILES_PER_POLL = 1000  # a poll stays short; the rest waits for the next one
POLL_CHUNK = 200  # receipts applied per transaction

# ----------------------------------------------------------------------------------- outbox


def outbox_file_name(kind: str, key: str) -> str:
    """``DecMessage_610193000100000001.xml``: deterministic, so a rewrite finds the first file."""
    return f"{folders.safe_name(kind)}_{folders.safe_name(key)}.xml"


def enqueue(kind: str, key: str, payload: bytes) -> OutboxMessage:
    """Store ``payload`` for sending under ``key``; the file is written once the caller commits.

    Call inside the transaction that records the sending (e.g. the declaration's status
    change). A second call with the same key returns the stored row and writes nothing.
    """
    key = (key or "").strip()
    if not key:
        raise ValueError("enqueue needs a key (ClientSeqNo)")
    if not isinstance(payload, bytes | bytearray | memoryview):
        raise TypeError("payload must be bytes")
    message, created = OutboxMessage.objects.get_or_create(
        key=key, defaults={"kind": kind, "file_name": outbox_file_name(kind, key), "payload": bytes(payload)}
    )
    if created:
        pk = message.pk
        transaction.on_commit(lambda: _write_after_commit(pk))
    elif message.kind != kind:
        log.warning("outbox key %s already used for %s, not %s; nothing sent", key, message.kind, kind)
    return message


def _write_after_commit(pk: int) -> None:
    try:
        write_message(pk)
    except Exception:  # the caller has committed; the poller writes it later
        log.exception("writing outbox message %s failed; the gateway poller will retry", pk)


def write_message(pk: int) -> bool:
    """Write one pending message to ``outbox/`` and mark it written; False when not pending.

    The row is locked while the file is written, so two flushers never both write it; a file of
    that name already in ``outbox/`` or ``sent/`` (written before a crash) only marks the row.
    """
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(pk=pk, status=OutboxStatus.PENDING)
            .only("pk", "file_name", "payload", "status")
            .first()
        )
        if message is None:
            return False
        outbox = folders.folder(folders.OUTBOX)
        already = (outbox / message.file_name).exists() or (folders.folder(folders.SENT) / message.file_name).exists()
        if already:
            log.info("outbox file %s already exists; marking it written", message.file_name)
        else:
            folders.atomic_write(outbox, message.file_name, bytes(message.payload))
        message.status = OutboxStatus.WRITTEN
        message.written_at = timezone.now()
        message.save(update_fields=["status", "written_at"])
    return True


def flush_outbox() -> int:
    """Write every pending message; returns how many were written (or found written)."""
    written = 0
    pending = list(
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING).order_by("id").values_list("pk", flat=True)
    )
    for pk in pending:
        try:
            written += write_message(pk)
        except OSError:
            log.exception("writing outbox message %s failed; retrying at the next poll", pk)
    return written


def outbox_counts() -> dict[str, int]:
    counts = {status: 0 for status in OutboxStatus.values}
    for row in OutboxMessage.objects.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


# ---------------------------------------------------------------------------------- receipts


@dataclass
class PollResult:
    """What one ``poll_inbox`` did: ``counts["done"]``, ``counts["failed"]``, ``counts["retry"]``
    (left in inbox because the database was unavailable)."""

    counts: dict[str, int] = field(default_factory=lambda: {"done": 0, "failed": 0, "retry": 0})

    @property
    def done(self) -> int:
        return self.counts["done"]

    @property
    def failed(self) -> int:
        return self.counts["failed"]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def sniff_root(data: bytes) -> tuple[str, str]:
    """``(root local name, "")`` for well-formed XML, ``("", Chinese reason)`` otherwise.

    Read by the message registry (:func:`guanwu.messages.registry.identify`, the one safe
    reader: no DTD, no entity declarations, no external references, GB encodings transcoded).
    """
    found = identify(data, what="文件", max_bytes=MAX_RECEIPT_BYTES)
    return found.root, found.problem


def _raw_text(data: bytes) -> tuple[str, bool]:
    """The first MAX_RAW_BYTES as text (UTF-8, else GB18030, else UTF-8 with replacements)."""
    truncated = len(data) > MAX_RAW_BYTES
    chunk = data[:MAX_RAW_BYTES]
    text = None
    for encoding in ("utf-8", "gb18030"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(chunk, final=not truncated)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        text = chunk.decode("utf-8", errors="replace")
    return text.replace("\x00", "\ufffd"), truncated


def _failure_text(exc: BaseException) -> str:
    """Service and receipt errors carry Chinese messages; anything else names its type too."""
    message = str(exc).strip()
    if isinstance(exc, ServiceError | ValueError) and message:
        return f"回执处理失败：{message}"
    return f"回执处理失败（{exc.__class__.__name__}）：{message or '无详细信息'}"


def _quarantine(path: Path, data: bytes, reason: str, root_tag: str = "") -> GatewayError | None:
    """Record the error, then move the file to ``failed/``. Recording first means a crash in
    between leaves the file in inbox (read again) rather than an unlisted file in failed/."""
    raw, truncated = _raw_text(data)
    error = GatewayError.objects.create(
        file_name=path.name, root_tag=root_tag[:100], reason=reason, raw=raw, size=len(data), truncated=truncated
    )
    try:
        target = folders.move_to(path, folders.FAILED)
    except FileNotFoundError:
        log.warning("receipt %s vanished before it could be quarantined", path.name)
        return error
    error.stored_name = target.name
    error.save(update_fields=["stored_name"])
    log.warning("receipt %s quarantined: %s", path.name, reason)
    return error


def poll_inbox(limit: int = MAX_FILES_PER_POLL) -> PollResult:
    """Apply each finished ``inbox/*.xml`` once, oldest first; never raises for a bad file.

    Receipts are applied in chunks of ``POLL_CHUNK``, each chunk one transaction with a
    savepoint per file (one bad file rolls back only itself), and the files are moved to
    ``done/`` or ``failed/`` once the chunk has committed. Work the handlers leave for after
    commit (``guanwu.core.aftercommit``) runs once for the whole poll.
    """
    result = PollResult()
    paths = folders.ready_files(folders.INBOX)[:limit]
    with aftercommit.collecting():
        for start in range(0, len(paths), POLL_CHUNK):
            if not _apply_chunk(paths[start:start + POLL_CHUNK], result):
                break
    return result


@dataclass
class _File:
    path: Path
    data: bytes
    root_tag: str
    handler: Handler
    batch: BatchHandler | None


def _apply_chunk(paths: list[Path], result: PollResult) -> bool:
    """Apply ``paths`` in one transaction; False when the database failed (the rest waits)."""
    files: list[_File] = []
    bad: list[tuple[Path, bytes, str, str]] = []
    for path in paths:
        try:
            data = path.read_bytes()
        except FileNotFoundError:  # taken by another reader
            continue
        root_tag, problem = sniff_root(data)
        if problem:
            bad.append((path, data, problem, ""))
            continue
        handler = get_handler(root_tag)
        if handler is None:
            bad.append((path, data, f"不认识的回执类型：根元素为{root_tag}，没有对应的处理程序", root_tag))
            continue
        files.append(_File(path, data, root_tag, handler, get_batch_handler(root_tag)))
    applied: list[Path] = []
    healthy = True
    try:
        with transaction.atomic():
            start = 0
            while start < len(files) and healthy:
                end = start + 1
                batch = files[start].batch
                while batch is not None and end < len(files) and files[end].batch is batch:
                    end += 1
                group, start = files[start:end], end
                if batch is not None and len(group) > 1 and _apply_batch(batch, group, applied, bad):
                    continue
                for item in group:
                    if not _apply_one(item, applied, bad):
                        result.counts["retry"] += 1
                        healthy = False
                        break
    except DatabaseError:  # the commit itself failed: nothing of the chunk was applied
        log.exception("database unavailable while committing %d receipts; retrying at the next poll", len(paths))
        result.counts["retry"] += 1
        return False
    for path in applied:
        try:
            folders.move_to(path, folders.DONE)
        except FileNotFoundError:
            log.warning("receipt %s vanished after it was applied", path.name)
        result.counts["done"] += 1
    for path, data, reason, root_tag in bad:
        _quarantine(path, data, reason, root_tag)
        result.counts["failed"] += 1
    return healthy


def _apply_batch(batch: BatchHandler, group: list[_File], applied: list[Path], bad: list) -> bool:
    """The batch handler on ``group`` in a savepoint; False (nothing applied) when it raised."""
    try:
        with transaction.atomic():
            outcomes = batch([(item.data, item.path.name) for item in group])
            if len(outcomes) != len(group):
                raise RuntimeError(f"batch handler answered {len(outcomes)} outcomes for {len(group)} files")
    except Exception:
        log.warning("batch handler failed on %d receipts; applying them one by one", len(group), exc_info=True)
        return False
    for item, outcome in zip(group, outcomes, strict=True):
        if isinstance(outcome, BaseException):
            bad.append((item.path, item.data, _failure_text(outcome), item.root_tag))
        else:
            applied.append(item.path)
    return True


def _apply_one(item: _File, applied: list[Path], bad: list) -> bool:
    """The single handler on one file in a savepoint; False when the database (not the file) failed."""
    try:
        with transaction.atomic():
            item.handler(item.data, item.path.name)
    except IntegrityError as exc:
        bad.append((item.path, item.data, _failure_text(exc), item.root_tag))
    except DatabaseError:
        # The database, not the file: leave it for the next poll and stop this one.
        log.exception("database unavailable while applying %s; retrying at the next poll", item.path.name)
        return False
    except Exception as exc:
        log.warning("handler for %s failed on %s", item.root_tag, item.path.name, exc_info=True)
        bad.append((item.path, item.data, _failure_text(exc), item.root_tag))
    else:
        applied.append(item.path)
    return True


def poll_once() -> dict[str, int]:
    """Flush the outbox, then read the inbox: one round of the poller."""
    written = flush_outbox()
    result = poll_inbox()
    return {"written": written, **result.counts}


# ------------------------------------------------------------------------------ staff actions


def resolve_errors(user: Any, ids: list[int]) -> int:
    """Mark errors as handled; returns how many changed."""
    return GatewayError.objects.filter(pk__in=ids, resolved=False).update(
        resolved=True, resolved_at=timezone.now(), resolved_by=user
    )


def retry_error(user: Any, error: GatewayError) -> Path:
    """Put the quarantined file back into ``inbox/`` (e.g. after a handler fix) and resolve it."""
    if not error.stored_name:
        raise ServiceError("该文件未进入failed目录，无法重新处理")
    source = folders.folder(folders.FAILED) / error.stored_name
    if not source.exists():
        raise ServiceError(f"failed目录中已没有文件 {error.stored_name}，无法重新处理")
    target = folders.unique_target(folders.folder(folders.INBOX), error.file_name)
    source.replace(target)  # a rename within the gateway folder: the poller sees all or nothing
    resolve_errors(user, [error.pk])
    return target
