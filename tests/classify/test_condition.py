"""Waste, scrap and used goods (``classify.condition``): the tariff's 废碎料 and 旧的 lines (Section XV
note 8(a) and chapter 40 note 6: waste and scrap is what is definitely not usable as such) only lead
when a description says the goods are waste, scrap or used."""

from __future__ import annotations

import numpy as np
import pytest

from guanwu.classify import condition, knowledge, services, text


@pytest.mark.parametrize("name, waste", [
    ("不锈钢废碎料", True), ("钽废碎料", True), ("汽车用旧的充气橡胶轮胎", True), ("旧衣物", True),
    ("电池废碎料及废电池", True), ("乙烯聚合物的废碎料及下脚料", True),
    # a product named with its waste: the product is there too
    ("锯末、木废料及碎片", False), ("可可荚、壳、皮及废料", False),
    ("其他锻轧钽及其制品", False), ("机动小客车用新的充气轮胎", False),
])
def test_the_lines_that_name_waste_or_used_goods(name, waste):
    assert condition.waste_line(name) is waste


@pytest.mark.parametrize("description, says", [
    ("不锈钢边角料", True), ("废铝", True), ("旧轮胎", True), ("二手服装", True), ("铜屑", True),
    ("PET回收料", True), ("回收铜 电机用", True), ("废旧电机", True),
    ("copper scrap", True), ("used tyres", True), ("second hand clothes", True),
    ("钽靶", False), ("不锈钢收边条", False), ("汽车轮胎 205/55R16", False), ("unused stamps", False),
    # a finish, or what a new machine treats: not waste goods
    ("做旧牛仔裤", False), ("仿旧木质相框", False), ("VOC废气处理设备", False), ("废水处理设备", False),
    ("塑料回收造粒机", False), ("waste water pump", False),
])
def test_what_a_description_says_of_waste(description, says):
    assert condition.says_waste(text.fold(description)) is says


@pytest.mark.django_db
def test_a_scrap_line_leads_only_when_the_description_says_scrap(monkeypatch):
    """钽靶 (a sputtering target) is usable as such: the tantalum 废碎料 line is taken down; 钽废料 is
    scrap: the same line is raised and leads."""
    known = knowledge.current()
    scrap = known.codes.index("8103300000")
    new = knowledge.prepare("钽靶")
    assert known.evidence(new)["condition"][scrap] == -1.0
    assert known.evidence(knowledge.prepare("钽废料"))["condition"][scrap] == 1.0
    assert known.evidence(new)["condition"][known.codes.index("8103909090")] == 0.0
    monkeypatch.setattr(knowledge, "CONDITION_WEIGHT", 0.0)
    without = known.scores(new)
    monkeypatch.undo()
    np.testing.assert_allclose(known.scores(new)[scrap] - without[scrap], -knowledge.CONDITION_WEIGHT, atol=1e-5)
    first = services.suggest(None, "钽废料")[0]
    assert first.code_ts == "8103300000" and any("第十五类注释八" in r for r in first.reasons), first
    assert "8103300000" not in [s.code_ts for s in services.suggest(None, "钽靶")[:3]]
