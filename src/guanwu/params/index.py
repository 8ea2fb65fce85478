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
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Sum
from django.utils import timezone

from .models import CiqName, CodeEntry, CodeTable, TariffItem, TariffVersion
from .prior import weights

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
    # per entry, what a query is compared with: (entry, CODE, name, OLD, OLD CIQ, english name), case-folded
    folded: list[tuple[Entry, str, str, str, str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for e in self.entries:
            self.exact.setdefault(e.code, e)
            self.by_code.setdefault(e.code.upper(), e)
            if e.old_code:
                self.by_old_code.setdefault(e.old_code.upper(), e)
        self.folded = [
            (e, e.code.upper(), e.name.lower(), e.old_code.upper(), e.old_ciq_code.upper(), e.en_name.lower())
            for e in self.entries
        ]

    def get(self, code: str) -> Entry | None:
        """The entry of a code: exact first (licence-docs has both ``x`` and ``X``), then any case."""
        code = code.strip()
        return self.exact.get(code) or self.by_code.get(code.upper())

    def search(self, q: str, limit: int, usage: Mapping[str, int] | None = None) -> tuple[int, list[Entry]]:
        """Entries matching ``q`` (code, name, pinyin, initials, old codes, English name; any case),
        best first:

        1. the entry whose code (or old code) is exactly ``q``;
        2. then what this enterprise uses most (``usage``: ``{code: uses}``), then the prior of
           what customs declarations use most (``prior.py``), then an exact match of the whole
           name or its initials, then the code; first among the entries ``q`` begins (code,
           name, pinyin or initials start with it), then among those that only contain it.

        ``mg`` offers 美国 before 蒙古, ``my`` 美元 before 马来西亚林吉特 (code MYR), ``cif`` the
        成交方式 CIF. An empty query lists the table in the same order (most used first).
        """
        q = (q or "").strip()
        usage = usage or {}
        prior = weights(self.slug)
        if not q:
            favoured = [e for e in self.entries if e.code in usage or e.code in prior]
            if not favoured:
                return len(self.entries), self.entries[:limit]
            favoured.sort(key=lambda e: (-usage.get(e.code, 0), -prior.get(e.code, 0), e.code))
            if len(favoured) < limit:
                seen = {id(e) for e in favoured}
                favoured += [e for e in self.entries if id(e) not in seen][: limit - len(favoured)]
            return len(self.entries), favoured[:limit]
        upper, lower = q.upper(), q.lower()
        scored: list[tuple[tuple, Entry]] = []
        for e, code, name, old, old_ciq, en in self.folded:
            if e.code == q:
                group, tier = 0, 0
            elif code == upper:
                group, tier = 0, 1
            elif old == upper or old_ciq == upper:
                group, tier = 0, 2
            elif name == lower or e.initials == lower or e.pinyin == lower:
                group, tier = 1, 3  # the whole name, or all its initials
            elif code.startswith(upper):
                group, tier = 1, 4
            elif name.startswith(lower) or e.initials.startswith(lower) or e.pinyin.startswith(lower):
                group, tier = 1, 5
            elif lower in name:
                group, tier = 2, 6
            elif lower in e.pinyin or (en and lower in en):
                group, tier = 2, 7
            elif old.startswith(upper):
                group, tier = 2, 8
            else:
                continue
            if group == 0:
                key: tuple = (0, tier, 0, 0, 0, e.code)
            else:
                key = (group, -usage.get(e.code, 0), -prior.get(e.code, 0), tier, len(e.name), e.code)
            scored.append((key, e))
        scored.sort(key=lambda t: t[0])
        return len(scored), [t[1] for t in scored[:limit]]


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
            if all(w in name or w in t.initials or w in t.pinyin for w in words):
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
    as_of = as_of or timezone.localdate()
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
