"""The exchange folders of the single-window automatic import client, and safe file moves.

Layout under ``settings.GATEWAY_DIR`` (default ``DATA_DIR/gateway``)::

    outbox/   messages the platform sends; the client (or the simulator) takes them from here
    sent/     messages the client has taken
    inbox/    receipts the client (or the simulator) delivers
    done/     receipts the platform has applied
    failed/   receipts the platform could not read or apply (see GatewayError)

Writers never leave a half-written file under a name a reader takes: they write a hidden temp
file (``.name.<random>.tmp``) in the target folder, fsync it and ``os.replace`` it into place.
Readers skip hidden files and ``*.tmp``.

Pure module (settings only, no models): the simulator uses it too.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from django.conf import settings

OUTBOX, INBOX, SENT, DONE, FAILED = "outbox", "inbox", "sent", "done", "failed"
FOLDERS = (OUTBOX, INBOX, SENT, DONE, FAILED)

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def gateway_dir() -> Path:
    configured = getattr(settings, "GATEWAY_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "gateway"


def folder(name: str) -> Path:
    """``outbox`` / ``inbox`` / ``sent`` / ``done`` / ``failed``, created on demand."""
    if name not in FOLDERS:
        raise ValueError(f"unknown gateway folder {name!r}")
    path = gateway_dir() / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def safe_name(text: str) -> str:
    """A file-name fragment from ``text``: letters, digits, ``.``, ``_`` and ``-`` only."""
    cleaned = _UNSAFE.sub("-", text).strip(".-")
    return cleaned or "x"


def is_temp(path: Path) -> bool:
    """Files a writer has not finished: hidden (leading ``.``) or ``*.tmp``."""
    return path.name.startswith(".") or path.name.lower().endswith(".tmp")


def ready_files(name: str, suffix: str = ".xml") -> list[Path]:
    """Finished files of a folder with ``suffix`` (any case), oldest first (mtime, then name)."""
    out = []
    for entry in os.scandir(folder(name)):
        path = Path(entry.path)
        if not entry.is_file() or is_temp(path) or not path.name.lower().endswith(suffix):
            continue
        try:
            out.append((entry.stat().st_mtime_ns, path.name, path))
        except FileNotFoundError:  # taken by another reader meanwhile
            continue
    out.sort(key=lambda t: (t[0], t[1]))
    return [t[2] for t in out]


def atomic_write(directory: Path, name: str, data: bytes, *, fsync: bool = True) -> Path:
    """Write ``data`` to ``directory/name`` so that no reader ever sees a partial file.

    ``fsync=False`` skips flushing to disk (still atomic, not durable across a power cut):
    for the simulator, whose receipts can be produced again.
    """
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / name
    tmp = directory / f".{name}.{secrets.token_hex(4)}.tmp"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def unique_target(directory: Path, name: str) -> Path:
    """``directory/name``, or ``stem.2.xml``, ``stem.3.xml``, ... when taken."""
    target = directory / name
    if not target.exists():
        return target
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    n = 2
    while True:
        candidate = directory / (f"{stem}.{n}.{ext}" if ext else f"{name}.{n}")
        if not candidate.exists():
            return candidate
        n += 1


def move_to(path: Path, name: str) -> Path:
    """Move ``path`` into folder ``name`` without overwriting; return where it went.

    FileNotFoundError when another reader took it first.
    """
    target = unique_target(folder(name), path.name)
    os.replace(path, target)
    return target
