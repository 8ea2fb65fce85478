"""English descriptions (issue 18: "optionally ... an English name"): read word by word against the
归类词典's English rows; a brand or a model number beside a Chinese name changes nothing."""

from __future__ import annotations

import random

import pytest

from guanwu.classify import english, glossary, knowledge, services

pytestmark = pytest.mark.django_db


def codes(q: str) -> list[str]:
    return [s.code_ts for s in services.suggest(None, q, 5)]


def test_words_are_folded():
    assert english.words("Men's Cotton T-Shirts, for boys") == ["men", "cotton", "tshirt", "boy"]
    assert english.words("x-ray o-ring heat-resistant") == ["xray", "oring", "heat", "resistant"]
    assert english.words("Batteries & Boxes") == ["battery", "box"]
    assert english.is_english("car brake pads") and not english.is_english("刹车片 brake pads")


def test_an_english_description_finds_its_code_and_names_the_match():
    first = services.suggest(None, "Men's cotton knitted T-shirt")[0]
    assert first.code_ts == "6109100021"  # 其他棉制针织或钩编男式T恤衫
    assert any(r.startswith(glossary.LABEL) for r in first.reasons)


def test_english_rows_bring_their_code_back():
    rows = [(n, c) for n, c in glossary.rows() if english.is_english(n)]
    assert len(rows) >= 2000
    sample = random.Random(18).sample(rows, 200)
    hits = sum(any(g[:6] == c[:6] for g in codes(n)[:3]) for n, c in sample)
    assert hits / len(sample) >= 0.8


def test_a_brand_beside_a_chinese_name_changes_nothing():
    assert codes("Lancome 小黑瓶精华肌底液") == codes("小黑瓶精华肌底液")
    assert codes("iPhone 15 Pro 手机壳") == codes("手机壳")


def test_one_english_word_beside_a_chinese_name_is_not_an_english_name(monkeypatch):
    """``ENGLISH_MIN_WORDS``: `LED 台灯` is a Chinese name with an attribute, not an English name."""
    before = codes("LED 台灯")
    monkeypatch.setattr(knowledge, "ENGLISH_WEIGHT", 0.0)
    assert codes("LED 台灯") == before


def test_english_words_unknown_to_the_glossary_answer_nothing():
    assert codes("zxqv wplk") == []


def test_an_english_name_beside_a_vague_chinese_one_brings_its_goods_forward(monkeypatch):
    """零件 says only "a part"; the English name beside it (brake pads) brings 8708301000 (刹车片)
    into the first three. Without the English share it is not there."""
    assert "8708301000" in codes("零件 brake pads")[:3]
    monkeypatch.setattr(knowledge, "ENGLISH_WEIGHT", 0.0)
    assert "8708301000" not in codes("零件 brake pads")[:3]
