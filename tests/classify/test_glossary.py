"""The 归类词典 (issue 18): trade names with their codes, one more name of each code in the
suggester's names view. The file is data the product ships: each row must be a line of the
tariff it is read with, and a name the broker types as written must bring its code back."""

from __future__ import annotations

import random
import re
from collections import defaultdict

import pytest

from guanwu.classify import glossary, knowledge, services
from guanwu.params import index as params_index

pytestmark = pytest.mark.django_db


def test_every_row_is_a_line_of_the_2020_tariff_with_a_short_generic_name():
    rows = glossary.rows()
    assert len(rows) >= 3000
    codes = {t.code_ts for t in params_index.tariff_by_version(params_index.version_for()).items}
    assert [r for r in rows if r[1] not in codes] == []
    assert [n for n, _ in rows if not 2 <= len(n) <= 60 or re.search(r"\d{8,}", n)] == []  # no codes inside


def test_a_name_names_one_heading():
    """A trade name under two headings would answer two different goods for the same words."""
    headings = defaultdict(set)
    for name, code in glossary.rows():
        headings[knowledge.text.fold(name)].add(code[:4])
    assert {n: h for n, h in headings.items() if len(h) > 1} == {}


def test_glossary_names_bring_their_code_back_through_the_names_view():
    """Resubstitution over a seeded sample: the names view finds the row's subheading in the
    first three (without the names view, NAME_WEIGHT = 0, far fewer do)."""
    sample = random.Random(18).sample(list(glossary.rows()), 300)
    known = knowledge.current()
    hits = 0
    for name, code in sample:
        got = knowledge.diversify([c for c, _ in known.top(knowledge.prepare(name))])[:3]
        hits += any(g[:6] == code[:6] for g in got)
    assert hits / len(sample) >= 0.85


def test_a_glossary_match_is_named_in_the_reasons():
    name, code = next((n, c) for n, c in glossary.rows() if c == "8421230000")
    first = services.suggest(None, name, 5)[0]
    assert first.code_ts == code
    assert f"{glossary.LABEL}: {name}" in first.reasons or any(r.startswith("检验检疫名称") for r in first.reasons)


def test_a_row_whose_code_the_tariff_lacks_is_skipped():
    version_id = params_index.version_for()
    items, rows, _, fingerprint = knowledge._inputs(version_id)
    named = [("量子纠缠灯笼", "0000000000", glossary.LABEL), ("量子纠缠台灯", "9405200090", glossary.LABEL)]
    known = knowledge.build(version_id, (items, rows, named, fingerprint + "-test"))
    assert "0000000000" not in known.codes
    got = [c for c, _ in known.top(knowledge.prepare("量子纠缠台灯"), 5)]
    assert got[0] == "9405200090"
    assert all(label != glossary.LABEL or name != "量子纠缠灯笼" for label, name in known.name_text)


def test_the_glossary_is_part_of_the_fingerprint(monkeypatch):
    version_id = params_index.version_for()
    before = knowledge._inputs(version_id)[3]
    monkeypatch.setattr(glossary, "rows", lambda: (("量子纠缠台灯", "9405200090"),))
    assert knowledge._inputs(version_id)[3] != before
