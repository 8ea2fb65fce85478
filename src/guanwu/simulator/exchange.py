"""What every customs-side family shares: the simulator's settings and writing receipts into
``inbox/`` (atomically, under unique time-ordered names
``<yyyyMMddHHmmssffffff>_<n>_<kind>_<key>[_<channel>].xml``)."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets

from django.conf import settings

from guanwu.gateway import folders

CHINA = dt.timezone(dt.timedelta(hours=8))

_counter = itertools.count(1)


def delay_seconds() -> float:
    return max(0.0, float(getattr(settings, "GUANWU_SIMULATOR_DELAY_SECONDS", 3)))


def inspection_rate() -> float:
    return min(1.0, max(0.0, float(getattr(settings, "GUANWU_SIMULATOR_INSPECTION_RATE", 0))))


def rejection_rate() -> float:
    return min(1.0, max(0.0, float(getattr(settings, "GUANWU_SIMULATOR_REJECTION_RATE", 0))))


def seed() -> str:
    return str(getattr(settings, "GUANWU_SIMULATOR_SEED", "guanwu"))


def _stamp(now: dt.datetime) -> str:
    return now.astimezone(CHINA).strftime("%Y%m%d%H%M%S%f")


def receipt_name(kind: str, key: str, now: dt.datetime, channel: str = "") -> str:
    """A unique, time-ordered name for a receipt (``write_receipt`` names its file so)."""
    parts = [_stamp(now), f"{next(_counter):09d}{secrets.token_hex(2)}", kind, folders.safe_name(key)]
    if channel:
        parts.append(channel)
    return "_".join(parts) + ".xml"


def write_named(name: str, data: bytes) -> None:
    """Write a receipt named by ``receipt_name`` into ``inbox/`` atomically."""
    folders.atomic_write(folders.folder(folders.INBOX), name, data, fsync=False)


def write_receipt(data: bytes, kind: str, key: str, now: dt.datetime, channel: str = "") -> str:
    """Write a receipt into ``inbox/`` atomically under a unique, time-ordered name."""
    name = receipt_name(kind, key, now, channel)
    write_named(name, data)
    return name
