"""Parts against whole machines (``classify.machine_parts``): Section XVI note 2(b) and Section XVII
note 3 put a part suitable for one kind of machine with that machine's parts (8431, 8466, 8473, 8708
...), so a description that says it is a part leans away from the lines of whole machines; note
2(a) keeps a part that is goods of its own heading there, so it is a lean, not a shut."""

from __future__ import annotations

import numpy as np
import pytest

from guanwu.classify import knowledge, machine_parts, services, text


@pytest.mark.parametrize("description, says", [
    ("洗衣机零件", True), ("挖机配件", True), ("空调压缩机零部件", True), ("excavator spare parts", True),
    ("叉车备件 货叉", True),
    # a machine and its parts names the machine too; no part said at all
    ("电动机及其零件", False), ("缝纫机及配件", False), ("pumps and parts", False), ("洗衣机", False),
])
def test_what_a_description_says_of_parts(description, says):
    assert machine_parts.says_part(text.fold(description)) is says


@pytest.mark.parametrize("code, name, lean", [
    ("8450111000", "干衣量≤10kg全自动波轮式洗衣机", -1),
    ("8450901000", "其他干衣量≤10kg的洗衣机零件", 1),
    ("8431499900", "品目8426、8429、8430所列机械的其他零件", 1),  # a parts heading (note 2(b))
    ("8708309990", "其他机动车辆用制动器(包括助力制动器)及其零件", 1),  # 8708: parts and accessories
    ("8708911000", "水箱散热器", 1),  # a line of a parts heading whose own name says no 零件
    ("8501320000", "750W<输出功率≤75KW的直流电动机、发电机", -1),
    ("7326901900", "其他工业用钢铁制品", 0),  # outside chapters 84-90: never read
])
def test_which_lines_are_parts_and_which_whole_goods(code, name, lean):
    assert machine_parts.parts_line(code, name) - machine_parts.whole_machine_line(code, name) == lean


@pytest.mark.django_db
def test_a_part_leans_to_the_parts_line_of_its_machine(monkeypatch):
    """洗衣机零件: before the rule the whole washing machines took places two to four; now both parts
    lines of 8450.90 lead (the third place goes to another subheading: ``SUBHEADING_CAP``)."""
    known = knowledge.current()
    query = knowledge.prepare("洗衣机零件")
    lean = known.evidence(query)["parts"]
    assert lean[known.codes.index("8450901000")] == 1.0 and lean[known.codes.index("8450111000")] == -1.0
    monkeypatch.setattr(knowledge, "PARTS_WEIGHT", 0.0)
    without = known.scores(query)
    monkeypatch.undo()
    np.testing.assert_allclose(known.scores(query) - without, knowledge.PARTS_WEIGHT * lean, atol=1e-5)
    codes = [s.code_ts for s in services.suggest(None, "洗衣机零件")]
    assert [c[:6] for c in codes[:2]] == ["845090", "845090"], codes
    assert any("第十六类注释二(二)" in r for r in services.suggest(None, "洗衣机零件")[0].reasons)
    assert any("第十七类注释三" in r for r in services.suggest(None, "汽车配件 刹车盘")[0].reasons)
    assert not any("注释" in r for s in services.suggest(None, "洗衣机") for r in s.reasons)
    assert "parts" not in known.evidence(knowledge.prepare("洗衣机"))
