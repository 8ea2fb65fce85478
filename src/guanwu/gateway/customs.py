"""The customs side as the platform sees it: a small port, so no tenant app knows who answers.

Tenant apps (the auto-declaration engine, the demo data) ask customs-held data through here and
never import the customs simulator. In production the 舱单 data comes from the 舱单 system (the
single window's manifest query); on this platform the customs simulator holds it and implements
the port (``guanwu.simulator.customs.SimulatorCustoms``). Choose another implementation with
``GUANWU_MANIFEST_SOURCE = "dotted.path.to.Class"``.

- :class:`ManifestSource`: ``manifest(bill_no)`` and ``arrival(bill_no)``, plain data out
  (:class:`ManifestInfo`, :class:`ArrivalInfo`); ``get_source()`` the configured one
- :class:`DemoCustoms`: what demo data needs from a customs side it may drive (record manifests
  and arrivals, answer the outbox now); ``demo_customs()`` is the configured source when it can
  do that, else None

Pure module (no models), importable before the app registry is ready.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_SOURCE = "guanwu.simulator.customs.SimulatorCustoms"


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


@runtime_checkable
class ManifestSource(Protocol):
    def manifest(self, bill_no: str) -> ManifestInfo | None:
        """The manifest of ``bill_no`` (its master bill for ``MASTER_HOUSE``), or None."""

    def arrival(self, bill_no: str) -> ArrivalInfo | None:
        """The arrival report of ``bill_no``, or None while the goods have not arrived."""


@runtime_checkable
class DemoCustoms(ManifestSource, Protocol):
    def record_manifest(self, manifest: ManifestInfo) -> bool:
        """Create or update the manifest of ``manifest.bill_no``; True when created."""

    def record_arrival(self, arrival: ArrivalInfo) -> bool:
        """Record the arrival of ``arrival.bill_no`` unless one is in; True when created."""

    def forget_arrival(self, bill_no: str) -> None:
        """The goods of ``bill_no`` have not arrived (yet)."""

    def answer_outbox(self) -> int:
        """Answer everything sent so far, to the end, now (no delays, no inspections or random
        rejections); returns how many actions it took."""


def bill_candidates(bill_no: str) -> list[str]:
    """The bill no. as declared, then its master part (``MASTER_HOUSE`` air / ``MASTER*HOUSE`` sea)."""
    bill_no = (bill_no or "").strip()
    out = [bill_no] if bill_no else []
    for sep in ("_", "*"):
        if sep in bill_no:
            master = bill_no.split(sep, 1)[0].strip()
            if master and master not in out:
                out.append(master)
    return out


@lru_cache(maxsize=4)
def _load(path: str) -> ManifestSource:
    return import_string(path)()


def get_source() -> ManifestSource:
    """The configured manifest source (``GUANWU_MANIFEST_SOURCE``, default the simulator)."""
    return _load(getattr(settings, "GUANWU_MANIFEST_SOURCE", "") or DEFAULT_SOURCE)


def demo_customs() -> DemoCustoms | None:
    """The configured source when demo data may drive it (the simulator), else None."""
    source = get_source()
    return source if isinstance(source, DemoCustoms) else None
