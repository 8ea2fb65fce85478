"""海关预裁定 as names of their lines (issue 18): customs' own classification of goods in the
applicant's words, with the ruling number the broker can cite. The file is shipped data: each row
is an eight-digit code with lines in the tariff, it keeps out of the evaluation set, and a ruling's
name brings its code back with the ruling named in the reasons."""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

import pytest

from guanwu.classify import knowledge, rulings, services
from guanwu.params import index as params_index

pytestmark = pytest.mark.django_db

EVAL = Path(__file__).resolve().parents[2] / "benchmarks" / "data"
RULING_NO = re.compile(r"^R-2-\d{4}-20\d\d-\d{4}$")


def _bigrams(s: str) -> set[str]:
    s = knowledge.text.fold(s).replace(" ", "")
    return {s[i : i + 2] for i in range(len(s) - 1)} or {s}


def near(a: str, b: str) -> bool:
    """The same goods in other words: equal, one inside the other, half their character pairs
    shared, or six in ten of the shorter one's."""
    fa, fb = knowledge.text.fold(a).replace(" ", ""), knowledge.text.fold(b).replace(" ", "")
    if fa == fb or (min(len(fa), len(fb)) >= 2 and (fa in fb or fb in fa)):
        return True
    ga, gb = _bigrams(a), _bigrams(b)
    return len(ga & gb) / len(ga | gb) >= 0.5 or len(ga & gb) / min(len(ga), len(gb)) >= 0.6


def _eval_rows() -> list[dict[str, str]]:
    out = []
    for name in ("hs_suggest_eval.csv", "hs_suggest_eval_rulings.csv"):
        with (EVAL / name).open(encoding="utf-8", newline="") as fh:
            out += list(csv.DictReader(fh))
    return out


def test_every_ruling_is_well_formed_and_most_name_lines_of_the_2020_tariff():
    rows = rulings.rows()
    assert len(rows) >= 1000
    lines = sorted(t.code_ts for t in params_index.tariff_by_version(params_index.version_for()).items)
    assert [no for _, _, no in rows if not RULING_NO.match(no)] == []
    assert [n for n, _, _ in rows if not 1 <= len(n) <= 80 or re.search(r"\d{8,}", n)] == []
    # codes of the rulings' own (2022+) tariffs that the 2020 tariff lacks (85249110 display
    # modules, 8541.4x LEDs, 8806 drones ...) are kept for a later tariff and skipped with this one
    absent = [c for _, c, _ in rows if not rulings.lines_of(c, lines)]
    assert len(absent) <= 0.1 * len(rows)
    assert len({no for _, _, no in rows}) == len(rows)  # one row per ruling


def test_no_ruling_of_the_evaluation_set_and_no_name_close_to_one_of_its_descriptions():
    """The evaluation set (``benchmarks/data``) took some 300 rulings of the same public table:
    they, and any ruling whose name is close to an evaluation description (a sibling ruling of the
    same goods), are not in the shipped file."""
    evals = _eval_rows()
    numbers = {r["ruling"] for r in evals if r.get("ruling")}
    assert len(numbers) >= 300
    assert [no for _, _, no in rulings.rows() if no in numbers] == []
    names = [n for n, _, _ in rulings.rows()] + [e for e, _, _ in rulings.english_rows()]
    close = [(n, e["description"]) for n in names for e in evals if near(n, e["description"])]
    assert close == []


def test_no_bare_name_of_other_goods():
    """A ruling decided on the goods' description; its name alone must not teach what the name
    generally means. Not kept: a name the file gives under two headings (控制器, 遥控器), a name the
    归类词典 puts under another heading (连接器 ruled 8507 for one battery's part, 8536 in general),
    a one-character name (桶, 煤)."""
    from collections import defaultdict

    from guanwu.classify import glossary

    def fold(s: str) -> str:
        return knowledge.text.fold(s).replace(" ", "")

    headings = defaultdict(set)
    for name, code, _ in rulings.rows():
        headings[fold(name)].add(code[:4])
    assert {n: h for n, h in headings.items() if len(h) > 1} == {}
    assert [n for n in headings if len(n) < 2] == []
    general = defaultdict(set)
    for name, code in glossary.rows():
        general[fold(name)].add(code[:4])
    assert {n: (h, general[n]) for n, h in headings.items() if n in general and not h & general[n]} == {}


def test_near_is_the_rule_it_says():
    assert near("南阳妙脆酸奶饮品翻趣杯（含蜂蜜）", "南阳妙脆酸奶饮品翻趣杯（含蓝莓果酱&枫糖杏仁燕麦）")
    assert near("速食蒜片", "速食蒜片 25kg")
    assert not near("速食蒜片", "脱水洋葱粒")


def test_a_ruling_name_brings_its_code_back_with_the_ruling_in_the_reasons():
    """Resubstitution over a seeded sample: the first three suggestions share the ruling's six
    digits for most names (the names view); the first suggestion under the ruling's code names the
    ruling."""
    rows = rulings.rows()
    sample = random.Random(18).sample(list(rows), 200)
    known = knowledge.current()
    hits = 0
    for name, code, _ in sample:
        got = knowledge.diversify([c for c, _ in known.top(knowledge.prepare(name))])[:3]
        hits += any(g[:6] == code[:6] for g in got)
    assert hits / len(sample) >= 0.8
    name, code, no = next(r for r in rows if r[0] == "电子纸点亮接通设备")
    first = services.suggest(None, name, 5)
    under = [s for s in first if s.code_ts.startswith(code)]
    assert under, (name, code, [s.code_ts for s in first])
    assert f"{rulings.label(no)}: {name}" in under[0].reasons


def test_an_eight_digit_ruling_names_its_residual_line_else_every_line_and_none_when_the_tariff_lacks_it():
    """3926909010 (dual-use preforms) and 3926909020 (condoms) are listed goods: a ruling of
    39269090 names 3926909090 其他塑料制品. 0207132101-04 split chicken wings by cut, with no
    residual line: a ruling of 02071321 names all four. 00000000 is no code: nothing."""
    version_id = params_index.version_for()
    items, rows, _, fingerprint = knowledge._inputs(version_id)
    named = [("量子纠缠灯笼", "00000000", rulings.label("R-2-0000-2099-0001")),
             ("量子纠缠口罩", "39269090", rulings.label("R-2-0000-2099-0002")),
             ("量子纠缠鸡翅", "02071321", rulings.label("R-2-0000-2099-0003"))]
    known = knowledge.build(version_id, (items, rows, named, fingerprint + "-test"))
    shown = list(zip(known.name_text, (known.codes[i] for i in known.name_code), strict=True))

    def under(name: str) -> list[str]:
        return sorted(code for (_, shown_name), code in shown if shown_name == name)

    assert under("量子纠缠口罩") == ["3926909090"]
    assert {label for (label, name), _ in shown if name == "量子纠缠口罩"} == {"海关预裁定 R-2-0000-2099-0002"}
    wings = sorted(t.code_ts for t in items if t.code_ts.startswith("02071321"))
    assert len(wings) == 4 and under("量子纠缠鸡翅") == wings
    assert under("量子纠缠灯笼") == []
    assert known.top(knowledge.prepare("量子纠缠口罩"), 1)[0][0] == "3926909090"


def test_the_residual_line_is_the_one_other_line():
    names = {"8543709930": "模/数转换器", "8543709990": "其他未列名的具有独立功能的电气设备及装置",
             "0101290010": "非改良种用濒危野马", "0101290090": "非改良种用其他马",
             "0510002010": "海狸香、灵猫香", "0510002020": "龙涎香"}
    lines = sorted(names)
    assert rulings.lines_of("85437099", lines, names) == ["8543709990"]
    assert rulings.lines_of("01012900", lines, names) == ["0101290090"]  # 其他 inside the name
    assert rulings.lines_of("05100020", lines, names) == ["0510002010", "0510002020"]  # no residual line
    assert rulings.lines_of("85437099", lines) == ["8543709930", "8543709990"]  # without names: all


def test_an_english_ruling_name_is_read_by_the_english_view_and_named_with_its_ruling():
    """The applicant's English name (as on his invoice) brings the ruling's code back through the
    English view; the reason names the ruling, not the 归类词典."""
    rows = rulings.english_rows()
    assert len(rows) >= 1000
    name, code, no = next(r for r in rows if r[0] == "Heat-shrinkable soft sleeve")
    first = services.suggest(None, name, 5)
    under = [s for s in first if s.code_ts.startswith(code)]
    assert under, (name, code, [s.code_ts for s in first])
    assert f"{rulings.label(no)}: {name}" in under[0].reasons


def test_the_rulings_are_part_of_the_fingerprint(monkeypatch):
    version_id = params_index.version_for()
    before = knowledge._inputs(version_id)[3]
    monkeypatch.setattr(rulings, "_table", lambda: (("量子纠缠口罩", "39269090", "R-2-0000-2099-0002", ""),))
    changed = knowledge._inputs(version_id)[3]
    assert changed != before
    monkeypatch.setattr(rulings, "_table", lambda: (("量子纠缠口罩", "39269090", "R-2-0000-2099-0002", "mask"),))
    assert knowledge._inputs(version_id)[3] != changed  # the English name too
