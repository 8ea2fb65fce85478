"""The gateway's customs port (issue 14, point 2): tenant apps ask manifests and arrivals through
``guanwu.gateway.customs`` and never import the customs simulator, which implements the port."""

from __future__ import annotations

import ast
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

import guanwu
from guanwu.gateway.customs import (
    ArrivalInfo,
    DemoCustoms,
    ManifestInfo,
    ManifestSource,
    bill_candidates,
    demo_customs,
    get_source,
)

SRC = Path(guanwu.__file__).parent


def test_no_app_but_the_simulator_imports_the_simulator():
    found = []
    for path in SRC.rglob("*.py"):
        if path.is_relative_to(SRC / "simulator"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else [])
            found += [f"{path.relative_to(SRC)}: {n}" for n in names if n.startswith("guanwu.simulator")]
    assert found == []


@pytest.mark.parametrize(("bill_no", "expected"), [
    ("MEDU1234", ["MEDU1234"]), ("999-1234_H1", ["999-1234_H1", "999-1234"]), ("M*H", ["M*H", "M"]),
    ("  ", []), ("", []),
])
def test_bill_candidates(bill_no, expected):
    assert bill_candidates(bill_no) == expected


@pytest.mark.django_db
def test_the_simulator_answers_through_the_port():
    source = get_source()
    assert isinstance(source, ManifestSource) and demo_customs() is source and isinstance(source, DemoCustoms)
    assert source.manifest("PORT0001") is None and source.arrival("PORT0001") is None
    info = ManifestInfo(bill_no="PORT0001", ie_flag="E", traf_mode="2", traf_name="MAERSK EDMONTON",
                        voyage_no="216W", gross_wt=Decimal("12.5"), pack_no=3, customs_code="2248")
    assert source.record_manifest(info) is True and source.record_manifest(info) is False
    assert source.manifest("PORT0001_H1") == info
    when = dt.datetime(2024, 11, 4, 2, 0, tzinfo=dt.UTC)
    assert source.record_arrival(ArrivalInfo("PORT0001", when, "2248", "洋山深水港四期码头")) is True
    assert source.arrival("PORT0001").arrived_at == when
    source.forget_arrival("PORT0001")
    assert source.arrival("PORT0001") is None
