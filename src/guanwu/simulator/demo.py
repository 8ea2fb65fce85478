"""Demo manifests and arrival reports, so demo declarations by sea and air find their bills."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from guanwu.core.demo import demo_step

from .models import ArrivalReport, Manifest

# bill_no, traf_mode, traf_name, voyage_no, gross_wt, pack_no, i_e_flag, customs_code, arrival location
DEMO_MANIFESTS: tuple[tuple[str, str, str, str, str, int, str, str, str], ...] = (
    ("COSU6201234560", "2", "COSCO SHIPPING ARIES", "062E", "12500.5", 320, "I", "2248", "洋山深水港四期码头"),
    ("MSKU7788990011", "2", "MAERSK EDMONTON", "215W", "2890", 340, "E", "2248", "洋山深水港一期码头"),
    ("MSKU7788990022", "2", "MAERSK EDMONTON", "215W", "1650", 150, "E", "2248", "洋山深水港一期码头"),
    ("MEDUXY123456", "2", "MSC OSCAR", "FE446W", "1520.5", 120, "I", "2248", "洋山深水港四期码头"),
    ("999-12345675", "5", "CA1043", "20241104", "520.3", 24, "I", "2233", "浦东机场西货运区"),
)
# 运抵报告: the imports' goods arrived, and the exports' goods reached the port (customs releases
# an export only after its 运抵).
DEMO_ARRIVALS = ("COSU6201234560", "MEDUXY123456", "999-12345675", "MSKU7788990011", "MSKU7788990022")


def create_demo_manifests() -> tuple[int, int]:
    """Create or refresh the demo manifests and arrival reports; returns (manifests, arrivals) created."""
    manifests = arrivals = 0
    locations = {}
    for bill_no, traf_mode, traf_name, voyage, gross, pack, ie, customs, location in DEMO_MANIFESTS:
        _, created = Manifest.objects.update_or_create(
            bill_no=bill_no,
            defaults={"traf_mode": traf_mode, "traf_name": traf_name, "voyage_no": voyage,
                      "gross_wt": Decimal(gross), "pack_no": pack, "i_e_flag": ie, "customs_code": customs},
        )
        manifests += created
        locations[bill_no] = (customs, location)
    for bill_no in DEMO_ARRIVALS:
        customs, location = locations[bill_no]
        _, created = ArrivalReport.objects.get_or_create(
            bill_no=bill_no, defaults={"customs_code": customs, "location": location, "arrived_at": timezone.now()}
        )
        arrivals += created
    return manifests, arrivals


@demo_step
def demo_manifests(enterprises: dict[str, Any], users: dict[str, Any], say: Callable[[str], None]) -> None:
    manifests, arrivals = create_demo_manifests()
    say(
        f"海关模拟器: 演示舱单 {len(DEMO_MANIFESTS)} 票 (新增 {manifests}), "
        f"运抵报告 {len(DEMO_ARRIVALS)} 票 (新增 {arrivals})"
    )
