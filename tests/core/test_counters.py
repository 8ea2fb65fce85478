"""Counter rows: one number after the other, created on first use, kept apart by key."""

from __future__ import annotations

import pytest

from guanwu.core import counters
from guanwu.simulator.models import SimCounter

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("returning", [True, False])
def test_next_value_counts_per_key_from_one(monkeypatch, returning):
    monkeypatch.setattr(counters, "_returning", lambda: returning)
    assert [counters.next_value(SimCounter, {"name": "a"}) for _ in range(3)] == [1, 2, 3]
    assert counters.next_value(SimCounter, {"name": "b"}) == 1
    assert dict(SimCounter.objects.values_list("name", "last")) == {"a": 3, "b": 1}
