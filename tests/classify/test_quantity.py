"""Sizes that split tariff lines: a description giving the size fits the line whose stated range
holds it (税则 2204.21 小包装 = 装入两升及以下容器, 2204.22 两升以上但不超过十升; 8703.23 1.5＜排量≤2升)."""

from __future__ import annotations

import math

import pytest

from guanwu.classify import quantity, services

pytestmark = pytest.mark.django_db


def first(q: str) -> str:
    return services.suggest(None, q, 5)[0].code_ts


@pytest.mark.parametrize(("name", "note", "expected"), [
    ("仅装有1.5＜排量≤2升的点燃往复式活塞内燃发动机小轿车", "", ("volume", 1500, 2000, True, False)),
    ("750W<输出功率≤75KW的多相交流电动机", "", ("power", 750, 75000, True, False)),
    ("功率＜10千瓦其他交流稳压电源", "", ("power", -math.inf, 10000, False, True)),
    ("10≤重量<50千克的其他猪", "", ("mass", 10000, 50000, False, True)),
    ("输出功率在441千瓦及以上的柴油发动机", "", ("power", 441000, math.inf, False, False)),
    ("小包装的鲜葡萄酿造的酒", "小包装指装入两升及以下容器的", ("volume", -math.inf, 2000, False, False)),
    ("中等包装鲜葡萄酿造的酒", "中等包装是指装入两升以上但不超过十升容器的", ("volume", 2000, 10000, True, False)),
    ("1000伏≥额定电压＞80伏其他电缆", "", ("voltage", 80, 1000, True, False)),
    ("36伏<电压≤60伏的继电器", "", ("voltage", 36, 60, True, False)),
    ("1千伏＜额定电压≤35千伏的电缆", "", ("voltage", 1000, 35000, True, False)),
    ("12-16英寸的未列名自行车", "", ("inch", 12, 16, False, False)),
    ("10.1英寸＜尺寸≤32英寸的液晶显示板", "", ("inch", 10.1, 32, True, False)),
])
def test_ranges_as_the_tariff_words_them(name, note, expected):
    r = quantity.ranges(name, note)[0]
    assert (r.dimension, r.low, r.high, r.low_open, r.high_open) == expected


def test_amounts_a_description_gives():
    assert quantity.amounts("拉菲红酒 750ml") == {"volume": 750}
    assert quantity.amounts("2.0l汽油轿车 25kg") == {"volume": 2000, "mass": 25000}
    assert quantity.amounts("5g手机") == {}  # a network generation, not grams
    assert quantity.amounts("小轿车") == {}
    assert quantity.amounts("12v继电器 14寸") == {"voltage": 12, "inch": 14}
    assert quantity.amounts("v领t恤") == {}


def test_the_size_picks_the_line():
    assert first("拉菲红酒 750ml") == "2204210000"  # 小包装 (≤ 2 升)
    assert first("3L盒装干红葡萄酒") == "2204220000"  # 中等包装 (2-10 升)
    assert first("2.0L汽油小轿车") == "8703234110"  # 1.5＜排量≤2升
    assert first("12V继电器") == "8536411000"  # 电压≤36伏的继电器
    assert first("48V继电器") == "8536419000"  # 36伏<电压≤60伏的继电器


def test_a_boundary_belongs_to_the_closed_side():
    small = quantity.ranges("小包装的鲜葡萄酿造的酒", "小包装指装入两升及以下容器的")
    middle = quantity.ranges("中等包装鲜葡萄酿造的酒", "中等包装是指装入两升以上但不超过十升容器的")
    assert quantity.fit(small, {"volume": 2000}) == 1 and quantity.fit(middle, {"volume": 2000}) == -1
    assert quantity.fit(middle, {"mass": 5}) == 0  # another dimension: nothing to compare
