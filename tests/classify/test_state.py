"""The state of foods (``classify.state``): chapters 02-08 split goods by it before anything else
(《进出口税则》 0702-0709 fresh or chilled vegetables, 0710 frozen, 0712 dried; 0302 fresh or
chilled fish, 0303 frozen, 0305 dried, salted or smoked), so the state a description gives leans
to the line naming that state."""

from __future__ import annotations

import numpy as np
import pytest

from guanwu.classify import knowledge, services, state


@pytest.mark.parametrize("description, said", [
    ("冷冻芜菁", state.FROZEN), ("速冻西兰花", state.FROZEN), ("冻鸡爪", state.FROZEN),
    ("干香菇", state.DRIED), ("冻干草莓", state.DRIED), ("脱水胡萝卜片", state.DRIED),
    ("盐渍黄瓜", state.SALTED), ("咸鸭蛋", state.SALTED), ("烟熏三文鱼", state.SMOKED),
    ("冰鲜鸡翅", state.FRESH), ("新鲜芒果", state.FRESH),
    # no state: other words sharing a character, or two states at once
    ("果冻", None), ("干燥剂", None), ("海鲜", None), ("鲜活鳗鱼", None), ("咸味饼干", None),
    ("鲜奶", None), ("冷冻烟熏三文鱼", None), ("不锈钢保温杯", None),
])
def test_the_state_a_description_gives(description, said):
    assert state.stated(description) == said


@pytest.mark.parametrize("code, name, named", [
    ("0710809090", "冷冻的未列名蔬菜", {state.FROZEN}),
    ("0706100090", "鲜或冷藏的萝卜", {state.FRESH}),
    ("0306161100", "冻冷水小虾虾仁", {state.FROZEN}),  # 冷水小虾 is a shrimp, not a chilled one
    ("0406900000", "其他干酪", set()),  # cheese is no dried good
    ("0305410000", "熏大西洋鲑鱼", {state.SMOKED}),
    ("8418102000", "冷藏冷冻组合机", set()),  # outside chapters 02-08: never read
])
def test_the_states_a_tariff_line_names(code, name, named):
    assert state.of_tariff_name(code, name) == named


@pytest.mark.django_db
def test_the_suggester_leans_to_the_line_of_the_stated_state(monkeypatch):
    """+STATE_WEIGHT for the lines naming the state, -STATE_WEIGHT for lines naming only others:
    frozen vegetables are 0710 whatever the vegetable's own line in 0706."""
    known = knowledge.current()
    query = knowledge.prepare("冷冻芜菁")
    parts = known.evidence(query)
    frozen_veg = known.codes.index("0710809090")
    fresh_turnip = next(i for i, c in enumerate(known.codes) if c.startswith("0706"))
    assert parts["state"][frozen_veg] == 1.0 and parts["state"][fresh_turnip] == -1.0
    assert parts["state"][known.codes.index("8418102000")] == 0.0
    codes = [s.code_ts for s in services.suggest(None, "冷冻芜菁")]
    assert codes[0].startswith("0710")
    monkeypatch.setattr(knowledge, "STATE_WEIGHT", 0.0)
    without = known.scores(query)
    monkeypatch.undo()
    np.testing.assert_allclose(known.scores(query) - without, knowledge.STATE_WEIGHT * parts["state"], atol=1e-5)
