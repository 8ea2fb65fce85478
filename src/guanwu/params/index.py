"""In-process search indexes over the code tables and the tariff.

Tables are small (at most a few thousand rows) and read far more often than written, so each
process keeps them in memory and matches in Python: a picker query over 4,270 ports costs well
under a millisecond. Indexes are rebuilt when a table is reloaded: the loader invalidates them
in-process, and other processes notice the changed table versions within a second.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Sum

from .models import CiqName, CodeEntry, CodeTable, TariffItem, TariffVersion

_lock = threading.RLock()
_state: dict[str, object] = {"generation": None, "checked": 0.0}
_tables: dict[str, TableIndex] = {}
_tariffs: dict[int, TariffIndex] = {}
_versions: list[tuple[dt.date, int]] = []
CHECK_EVERY = 1.0


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    en_name: str
    old_code: str
    old_ciq_code: str
    pinyin: str
    initials: str
    extra: dict

    def as_dict(self) -> dict:
        out = {"code": self.code, "name": self.name}
        for key in ("en_name", "old_code", "old_ciq_code"):
            value = getattr(self, key)
            if value:
                out[key] = value
        out.update(self.extra)
        return out


@dataclass
class TableIndex:
    slug: str
    name: str
    entries: list[Entry]
    by_code: dict[str, Entry] = field(default_factory=dict)
    by_old_code: dict[str, Entry] = field(default_factory=dict)
    exact: dict[str, Entry] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for e in self.entries:
            self.exact.setdefault(e.code, e)
            self.by_code.setdefault(e.code.upper(), e)
            if e.old_code:
                self.by_old_code.setdefault(e.old_code.upper(), e)

    def get(self, code: str) -> Entry | None:
        """The entry of a code: exact first (licence-docs has both ``x`` and ``X``), then any case."""
        code = code.strip()
        return self.exact.get(code) or self.by_code.get(code.upper())

    def search(self, q: str, limit: int) -> tuple[int, list[Entry]]:
        q = (q or "").strip()
        if not q:
            return len(self.entries), self.entries[:limit]
        upper, lower = q.upper(), q.lower()
        scored: list[tuple[int, int, str, Entry]] = []
        for e in self.entries:
            code = e.code.upper()
            if e.code == q:
                score = -1
            elif code == upper:
                score = 0
            elif e.old_code.upper() == upper or e.old_ciq_code.upper() == upper:
                score = 1
            elif code.startswith(upper):
                score = 2
            elif e.name == q or e.initials == lower or e.pinyin == lower:
                score = 3
            elif e.name.startswith(q) or e.initials.startswith(lower) or e.pinyin.startswith(lower):
                score = 4
            elif q in e.name:
                score = 5
            elif lower in e.pinyin or (e.en_name and lower in e.en_name.lower()):
                score = 6
            elif e.old_code.upper().startswith(upper):
                score = 7
            else:
                continue
            scored.append((score, len(e.name), e.code, e))
        scored.sort(key=lambda t: t[:3])
        return len(scored), [t[3] for t in scored[:limit]]


@dataclass(frozen=True)
class Tariff:
    code_ts: str
    name: str
    first_unit: str
    second_unit: str
    mfn_rate: Decimal | None
    general_rate: Decimal | None
    export_rate: Decimal | None
    vat_rate: Decimal | None
    consumption_rate: Decimal | None
    licence_codes: str
    elements: tuple[str, ...]
    note: str
    pinyin: str
    initials: str
    version_id: int


@dataclass
class TariffIndex:
    version_id: int
    items: list[Tariff]
    by_code: dict[str, Tariff] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_code = {t.code_ts: t for t in self.items}

    def search(self, q: str, limit: int) -> tuple[int, list[Tariff]]:
        q = (q or "").strip()
        if not q:
            return len(self.items), self.items[:limit]
        compact = q.replace(".", "").replace(" ", "")
        if compact.isdigit():
            hits = [t for t in self.items if t.code_ts.startswith(compact)]
            return len(hits), hits[:limit]
        words = [w.lower() for w in q.split() if w]
        hits = []
        for t in self.items:
            name = t.name
            if all(w in name or t.initials.startswith(w) or w in t.pinyin for w in words):
                hits.append(t)
        hits.sort(key=lambda t: (not t.name.startswith(words[0]), len(t.name), t.code_ts))
        return len(hits), hits[:limit]


def invalidate() -> None:
    with _lock:
        _tables.clear()
        _tariffs.clear()
        _versions.clear()
        _state["generation"] = None
        _state["checked"] = 0.0


def _generation() -> tuple:
    tables = CodeTable.objects.aggregate(n=Count("id"), v=Sum("version"), t=Max("loaded_at"))
    tariffs = TariffVersion.objects.aggregate(n=Count("id"), t=Max("loaded_at"))
    return (tables["n"], tables["v"], tables["t"], tariffs["n"], tariffs["t"])


def _fresh() -> None:
    now = time.monotonic()
    if now - float(_state["checked"]) < CHECK_EVERY and _state["generation"] is not None:
        return
    generation = _generation()
    with _lock:
        if generation != _state["generation"]:
            _tables.clear()
            _tariffs.clear()
            _versions.clear()
            _state["generation"] = generation
        _state["checked"] = now


def table(slug: str) -> TableIndex | None:
    _fresh()
    idx = _tables.get(slug)
    if idx is not None:
        return idx
    with _lock:
        ct = CodeTable.objects.filter(slug=slug).first()
        if ct is None:
            return None
        entries = [
            Entry(code, name, en, old, old_ciq, py, pyi, extra)
            for code, name, en, old, old_ciq, py, pyi, extra in CodeEntry.objects.filter(table=ct)
            .order_by("code", "id")
            .values_list("code", "name", "en_name", "old_code", "old_ciq_code", "pinyin", "initials", "extra")
        ]
        idx = TableIndex(slug=slug, name=ct.name, entries=entries)
        _tables[slug] = idx
        return idx


def tables() -> list[tuple[str, str, int]]:
    return list(
        CodeTable.objects.annotate(n=Count("entries")).order_by("slug").values_list("slug", "name", "n")
    )


def version_for(as_of: dt.date | None = None) -> int | None:
    _fresh()
    if not _versions:
        with _lock:
            _versions[:] = list(TariffVersion.objects.order_by("-effective_date").values_list("effective_date", "id"))
    as_of = as_of or dt.date.today()
    for effective, version_id in _versions:
        if effective <= as_of:
            return version_id
    return _versions[-1][1] if _versions else None


def tariff(as_of: dt.date | None = None) -> TariffIndex | None:
    version_id = version_for(as_of)
    if version_id is None:
        return None
    return tariff_by_version(version_id)


def tariff_by_version(version_id: int) -> TariffIndex | None:
    _fresh()
    idx = _tariffs.get(version_id)
    if idx is not None:
        return idx
    with _lock:
        rows = TariffItem.objects.filter(version_id=version_id).order_by("code_ts").values_list(
            "code_ts", "name", "first_unit", "second_unit", "mfn_rate", "general_rate", "export_rate", "vat_rate",
            "consumption_rate", "licence_codes", "elements", "note", "pinyin", "initials",
        )
        items = [Tariff(*r[:10], tuple(r[10] or ()), *r[11:], version_id=version_id) for r in rows]
        idx = TariffIndex(version_id=version_id, items=items)
        _tariffs[version_id] = idx
        return idx


def ciq_names(code_ts: str, version_id: int) -> list[tuple[str, str]]:
    return list(
        CiqName.objects.filter(version_id=version_id, code_ts=code_ts)
        .exclude(status="作废")
        .order_by("ciq_code")
        .values_list("ciq_code", "name")
    )
