"""Fixtures of 智能辅助申报: an enabled enterprise A, drafts from the realistic payloads, manifests."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from guanwu.autodeclare import services
from guanwu.declarations import services as declarations
from guanwu.simulator.models import ArrivalReport, Manifest
from tests.declarations.payloads import export_payload, import_payload


@pytest.fixture
def enabled(actor_a):
    services.enable(actor_a, accept_notice=True, accept_promise=True)
    return actor_a


def make_draft(actor, kind: str = "export", **head):
    raw = export_payload(**head) if kind == "export" else import_payload(**head)
    return declarations.create_draft(actor, raw)


def make_manifest(bill_no: str = "COSU6201234560", *, ie_flag: str = "E", gross: str = "2890", pack: int = 340,
                  arrived: bool = True) -> Manifest:
    manifest = Manifest.objects.create(bill_no=bill_no, traf_mode="2", traf_name="COSCO SHIPPING ARIES",
                                       voyage_no="042W", gross_wt=Decimal(gross), pack_no=pack, i_e_flag=ie_flag,
                                       customs_code="5316")
    if arrived:
        arrive(bill_no)
    return manifest


def arrive(bill_no: str) -> ArrivalReport:
    return ArrivalReport.objects.create(bill_no=bill_no, arrived_at=timezone.now(), customs_code="5316",
                                        location="盐田港区")


def profile_data(actor, **overrides) -> dict:
    data = {
        "name": "出口自动申报", "enabled": True, "ie_flag": "E", "scope": "enterprise",
        "agent_code": actor.enterprise.customs_code, "trade_code": "", "auto_confirm": True,
        "auto_agreement": True, "manifest_required": False, "arrival_required": False, "compare_required": False,
        "batch_wait_seconds": 60,
    }
    data.update(overrides)
    return data
