"""Whatever a broker pastes, the suggester answers: never an error, at most ``limit`` ten-digit
codes of the tariff with scores in [0, 1], the same answer twice. Mixed scripts, percentages,
sizes, full-width forms and hyphenated English go through the readers added for issue 18
(fibre shares, sizes, selling words, the English view)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guanwu.classify import knowledge, services

pytestmark = pytest.mark.django_db

PIECES = st.sampled_from([
    "65%", "35%", "棉", "涤纶", "750ml", "2.0L", "5kw", "25kg", "5g", "两升", "≤", "＜", "新款", "男女通用",
    "t-shirt", "men's", "brake pads", "不锈钢", "保温杯", "手机壳", "ＴＰＵ", "襯衫", "用", "配件", "😀", " ", ",",
    "|", "0", "%", "-", "x-ray", "iphone", "零件", "灭菌剂",
])
TEXT = st.one_of(st.lists(PIECES, max_size=12).map("".join), st.text(max_size=60))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=TEXT, limit=st.integers(min_value=-3, max_value=20))
def test_any_text_gets_a_well_formed_answer(q, limit):
    knowledge.current()
    out = services.suggest(None, q, limit)
    assert len(out) <= services.MAX_LIMIT
    assert all(len(s.code_ts) == 10 and s.code_ts.isdigit() and 0 <= s.score <= 1 for s in out)
    assert len({s.code_ts for s in out}) == len(out)
    assert [s.code_ts for s in services.suggest(None, q, limit)] == [s.code_ts for s in out]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=TEXT)
def test_an_authorised_enterprise_s_sources_answer_any_text(q, actor_a, ent_a):
    """The enterprise's sources and the public 规范 library are searched with the description's
    pieces (full-text OR queries on SQLite and PostgreSQL): whatever the text, no error."""
    from tests.standards.helpers import authorise

    knowledge.current()
    authorise(actor_a)
    out = services.suggest(ent_a.pk, q, 5)
    assert len(out) <= 5 and all(0 <= s.score <= 1 for s in out)
