"""Goods in measured doses and food supplements (``classify.doses``): the chapters the tariff's notes
shut. 《进出口税则》 chapter 28 note 1 and chapter 29 note 1 (those chapters cover only separate
chemically defined compounds, with nothing added but what the notes list: a tablet, capsule or oral
liquid is made up with binders, a shell, sweeteners) and chapter 30 note 1(a) (no foods or food
supplements, other than nutrition for intravenous use, in chapter 30)."""

from __future__ import annotations

import pytest

from guanwu.classify import doses, knowledge, services, text


@pytest.mark.parametrize("description, shut", [
    ("维生素C咀嚼片", ("28", "29")), ("辅酶Q10软胶囊", ("28", "29")), ("钙镁锌片 营养补充剂", ("28", "29", "30")),
    ("褪黑素软糖", ("28", "29")), ("维生素D3滴剂", ("28", "29")), ("胶原蛋白肽口服液", ("28", "29")),
    ("Vitamin C 1000mg Tablets", ("28", "29")), ("fish oil softgels", ("28", "29")),
    ("蛋白粉 膳食补充剂", ("30",)),  # a supplement named without a dosage form: 28/29 stay open
    # nothing shut: a bare 片 or tablets of an industrial compound, empty capsules, microcapsules
    # (a stabilising coating: 速溶VC微胶囊 stays 2936.27 by a ruling), pesticide granules, a
    # dispersant, intravenous nutrition, medicinal wine with a 保健食品 approval (listed so under 3004)
    ("冰片", ()), ("苯酐片", ()), ("锌片", ()), ("TCCA tablets 200g", ()), ("明胶空心胶囊", ()),
    ("速溶VC微胶囊", ()), ("毒死蜱颗粒剂", ()), ("EBS分散剂", ()), ("静脉输液用营养补充剂", ()),
    ("人参中药酒 保健食品", ()), ("不锈钢保温杯", ()),
])
def test_the_chapters_a_description_shuts(description, shut):
    assert doses.excluded(text.fold(description)) == shut


@pytest.mark.django_db
def test_a_vitamin_in_a_dosage_form_is_never_the_chapter_29_vitamin():
    """Chapter 29 note 1: 维生素C咀嚼片 is no separate chemically defined compound. Before this
    rule the suggester put it first under 2936 (the vitamin itself); now no chapter 28/29 line is
    suggested before a line of another chapter, and 30.04 or 21.06 leads."""
    known = knowledge.current()
    for description in ("维生素C咀嚼片", "复合维生素片", "维生素D3滴剂"):
        query = knowledge.prepare(description)
        parts = known.evidence(query)
        assert parts["excluded"][known.codes.index("2936270010")] == -1.0
        assert parts["excluded"][known.codes.index("2106909090")] == 0.0
        codes = [s.code_ts for s in services.suggest(None, description)]
        assert codes and codes[0][:4] in ("3004", "2106"), (description, codes)
        first = services.suggest(None, description)[0]
        assert any("两章注释一" in r for r in first.reasons), first.reasons  # the broker sees why
        chapters = [c[:2] for c in codes]
        shut = [i for i, ch in enumerate(chapters) if ch in ("28", "29")]
        assert all(i > j for i in shut for j, ch in enumerate(chapters) if ch not in ("28", "29")), codes


@pytest.mark.django_db
def test_the_vitamin_itself_still_goes_to_chapter_29():
    """The rule shuts nothing when no dosage form is named: the vitamin as a raw material is 2936."""
    query = knowledge.prepare("维生素C原粉")
    assert "excluded" not in knowledge.current().evidence(query)
    assert services.suggest(None, "维生素C原粉")[0].code_ts.startswith("2936")


@pytest.mark.django_db
def test_a_food_supplement_is_no_chapter_30_medicament():
    """Chapter 30 note 1(a): a description calling the goods a food supplement shuts chapter 30."""
    known = knowledge.current()
    parts = known.evidence(knowledge.prepare("维生素C咀嚼片 膳食补充剂"))
    assert parts["excluded"][known.codes.index("3004500000")] == -1.0
    codes = [s.code_ts for s in services.suggest(None, "维生素C咀嚼片 膳食补充剂")]
    assert codes[0].startswith("2106") and not any(c.startswith("30") for c in codes[:3]), codes
    assert any("第三十章注释一" in r for r in services.suggest(None, "维生素C咀嚼片 膳食补充剂")[0].reasons)


@pytest.mark.django_db
def test_an_english_description_is_shut_alike():
    """The English view alone answers an English description; the notes shut its lines the same way."""
    known = knowledge.current()
    query = knowledge.prepare("Vitamin C chewable tablets")
    parts = known.evidence(query)
    assert "excluded" in parts
    scores = known.scores(query)
    assert scores[known.codes.index("2936270010")] < 0
