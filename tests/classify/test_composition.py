"""Tariff rules a description is read by. Mixed textile fibres (《进出口税则》第十一类注释二(一),
HS Section XI Note 2(A)): goods of two or more textile materials are classified as if wholly of
the material predominating by weight; on a tie, of the one whose heading comes last in numerical
order; the suggester reads only that fibre. Unisex garments are women's (第六十一章注释九,
第六十二章注释八)."""

from __future__ import annotations

import pytest

from guanwu.classify import composition, services

pytestmark = pytest.mark.django_db


def first(q: str) -> str:
    return services.suggest(None, q, 5)[0].code_ts


def test_the_predominant_fibre_decides_the_subheading():
    assert first("女式针织连衣裙 65%涤纶35%棉") == "6104430000"  # 合纤制针织或钩编连衣裙
    assert first("女式针织连衣裙 65%棉35%涤纶") == "6104420000"  # 棉制针织或钩编连衣裙


def test_shares_written_after_the_fibre_count_too():
    assert composition.predominant("男式机织衬衫 棉60% 粘胶40%").split() == ["男式机织衬衫", "棉60%"]


def test_a_tie_goes_to_the_fibre_of_the_last_heading():
    """50% 棉 (5205) / 50% 涤纶 (5402): 涤纶 is read."""
    assert composition.predominant("50%棉50%涤纶").strip() == "50%涤纶"


def test_a_tie_is_weighed_by_heading_not_by_the_fibre_word():
    """第十一类注释二(一): no fibre predominating, the goods go with the heading that occurs last
    in numerical order: 50% 羊毛 (5106) / 50% 棉 (5205) is cotton, whatever order the words sort in."""
    assert composition.predominant("50%羊毛50%棉").strip() == "50%棉"
    assert composition.stated("50%羊毛 50%棉") == "棉"


def test_every_minor_fibre_goes_and_the_rest_of_the_text_stays():
    """Two minor shares: both are cut out, and the words after them (衬衫) are left as written."""
    assert composition.predominant("60%棉 20%涤纶 20%锦纶 衬衫").split() == ["60%棉", "衬衫"]


def test_fibres_of_one_heading_are_one_material():
    """涤纶 and 锦纶 are both synthetic filament (5402): nothing to weigh between them."""
    assert composition.predominant("60%涤纶40%锦纶") == "60%涤纶40%锦纶"


def test_other_mixtures_are_read_as_written():
    """木塑 (58% 木粉, 37% PE) is no textile: GRI 3(b) and chapter notes decide, not a share."""
    text = "塑料制柱子 58%木粉 37%pe塑料 5%化学助剂"
    assert composition.predominant(text) == text
    assert composition.predominant("纯棉t恤") == "纯棉t恤"


def test_unisex_garments_are_womens():
    """第六十一章注释九 / 第六十二章注释八: garments that cannot be identified as men's or women's
    are classified as women's."""
    assert first("男女通用纯棉针织T恤") == "6109100022"  # 其他棉制针织或钩编女式T恤衫
    assert first("男女同款化纤机织风衣").startswith("6202")  # 女式大衣、风衣 …


@pytest.mark.parametrize("description, fibre", [
    ("女式针织连衣裙 65%棉35%涤纶", "棉"),
    ("男式机织衬衫 棉40% 粘胶60%", "人纤"),
    ("男女通用纯棉针织T恤", "棉"),
    ("真丝围巾", "丝"),
    ("羊绒针织开衫", "毛"),
    ("珍珠棉包装材料", None),  # foam, not cotton: a single 棉 states nothing
    ("毛巾", None),
    ("纯棉涤纶混纺布", None),  # two classes and no shares: the text does not say which predominates
])
def test_the_fibre_a_description_states(description, fibre):
    assert composition.stated(description) == fibre


@pytest.mark.parametrize("code, name, fibre", [
    ("6104420000", "棉制针织或钩编连衣裙", "棉"),
    ("6104430000", "合纤制针织或钩编连衣裙", "合纤"),
    ("6109909050", "化纤制针织或钩编T恤衫", "化纤"),
    ("6109909022", "毛制针织或钩编女式其他T恤衫", "毛"),
    ("6104490000", "其他纺织材料制针织或钩编连衣裙", None),  # what is left, not a fibre
    # a name giving the kind besides 化纤 (both kinds of man-made fibre) is split by the kind
    ("6006310000", "合成纤维及其他化纤制针织物", "合纤"),
    ("6006410000", "人造纤维及其他化纤制针织物", "人纤"),
    ("9404909000", "其他棉制寝具", None),  # outside Section XI
])
def test_the_fibre_a_section_xi_line_is_split_by(code, name, fibre):
    assert composition.of_tariff_name(code, name) == fibre
    assert composition.agrees("合纤", "化纤") and composition.agrees("人纤", "化纤")
    assert not composition.agrees("棉", "化纤")


def test_the_stated_fibre_meets_its_line(monkeypatch):
    """纯棉 and 羊毛 knitted dresses are names one character apart; the line split by the stated
    fibre gets FIBRE_WEIGHT. Without it, a wool line can come first for a cotton dress."""
    from guanwu.classify import knowledge

    known = knowledge.current()
    query = knowledge.prepare("女式针织连衣裙 65%棉35%涤纶")
    codes = known.codes
    cotton, wool = codes.index("6104420000"), codes.index("6104410000")
    with_fibre = known.scores(query)
    monkeypatch.setattr(knowledge, "FIBRE_WEIGHT", 0.0)
    without = known.scores(query)
    assert with_fibre[cotton] - without[cotton] == pytest.approx(0.05, abs=1e-6)
    assert with_fibre[wool] == pytest.approx(without[wool])
