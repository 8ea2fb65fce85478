"""Where 舱单 and 运抵报告 come from: a small interface, so the engine does not care.

In production this data comes from the 舱单 system (the single window's manifest query); on
this platform the customs simulator holds it. The engine asks a :class:`ManifestSource` only
two questions: the manifest of a bill no., and whether the goods have arrived. Choose another
implementation with ``GUANWU_MANIFEST_SOURCE = "dotted.path.to.Class"``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class ManifestInfo:
    bill_no: str
    ie_flag: str
    traf_mode: str
    traf_name: str
    voyage_no: str
    gross_wt: Decimal | None
    pack_no: int | None
    customs_code: str


@dataclass(frozen=True)
class ArrivalInfo:
    bill_no: str
    arrived_at: dt.datetime
    customs_code: str
    location: str


class ManifestSource(Protocol):
    def manifest(self, bill_no: str) -> ManifestInfo | None:
        """The manifest of ``bill_no`` (its master bill for ``MASTER_HOUSE``), or None."""

    def arrival(self, bill_no: str) -> ArrivalInfo | None:
        """The arrival report of ``bill_no``, or None while the goods have not arrived."""


def bill_candidates(bill_no: str) -> list[str]:
    """The bill no. as declared, then its master part (``MASTER_HOUSE`` / ``MASTER*HOUSE``)."""
    bill_no = (bill_no or "").strip()
    out = [bill_no] if bill_no else []
    for sep in ("_", "*"):
        if sep in bill_no:
            master = bill_no.split(sep, 1)[0].strip()
            if master and master not in out:
                out.append(master)
    return out


class SimulatorManifestSource:
    """The customs simulator's manifests and arrival reports (guanwu.simulator.models)."""

    def manifest(self, bill_no: str) -> ManifestInfo | None:
        from guanwu.simulator.models import Manifest

        candidates = bill_candidates(bill_no)
        if not candidates:
            return None
        rows = {m.bill_no: m for m in Manifest.objects.filter(bill_no__in=candidates)}
        row = next((rows[c] for c in candidates if c in rows), None)
        if row is None:
            return None
        return ManifestInfo(
            bill_no=row.bill_no, ie_flag=row.i_e_flag, traf_mode=row.traf_mode, traf_name=row.traf_name,
            voyage_no=row.voyage_no, gross_wt=row.gross_wt, pack_no=row.pack_no, customs_code=row.customs_code,
        )

    def arrival(self, bill_no: str) -> ArrivalInfo | None:
        from guanwu.simulator.models import ArrivalReport

        candidates = bill_candidates(bill_no)
        if not candidates:
            return None
        row = ArrivalReport.objects.filter(bill_no__in=candidates).order_by("arrived_at", "id").first()
        if row is None:
            return None
        return ArrivalInfo(
            bill_no=row.bill_no, arrived_at=row.arrived_at, customs_code=row.customs_code, location=row.location
        )


@lru_cache(maxsize=4)
def _load(path: str) -> ManifestSource:
    return import_string(path)()


def get_source() -> ManifestSource:
    path = getattr(settings, "GUANWU_MANIFEST_SOURCE", "") or "guanwu.autodeclare.manifests.SimulatorManifestSource"
    return _load(path)
