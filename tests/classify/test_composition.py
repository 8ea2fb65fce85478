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
