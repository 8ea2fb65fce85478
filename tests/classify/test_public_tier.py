"""The public 规范申报 library as the suggester's second tier (issue 18: "the enterprise's own
commodity library and released declarations first, then the public standards library, then tariff
and 检验检疫名称 knowledge"; 智能回填 proposes element values "from the enterprise's own history and
the public 规范 library"). Only 规范 rows their enterprise left public, only their public fields,
and only for an enterprise that confirmed the library's authorisation (seed 002, 5.1)."""

from __future__ import annotations

import pytest

from guanwu.classify import services
from guanwu.datacenter.commodities import services as commodities
from guanwu.standards.models import LibraryEntry
from guanwu.standards.services import library
from tests.standards.helpers import CHLORINE, CHLORINE_OK, authorise, publish, raw

pytestmark = pytest.mark.django_db

PUBLIC = "规范申报公共库"
NAME = "高纯液氯 钢瓶装"


def reasons(found, code):
    return next((s.reasons for s in found if s.code_ts == code), [])


@pytest.fixture
def b_published(actor_b, ent_b):
    """B confirmed the authorisation; customs reviewed B's 高纯液氯 as 规范: public by default."""
    authorise(actor_b)
    publish([raw(ent_b, g_name="高纯液氯", g_model=CHLORINE_OK),
             raw(ent_b, g_name="高纯液氯钢瓶", g_model=CHLORINE_OK.replace("钢瓶", "槽车"), conclusion="不规范",
                 reasons="包装:未申报")])
    return LibraryEntry.objects.get(enterprise=ent_b, g_name="高纯液氯")


def test_a_public_standard_row_leads_with_the_library_named_once_the_enterprise_is_authorised(
        b_published, actor_a, ent_a):
    before = services.suggest(ent_a.pk, NAME)
    assert not any(PUBLIC in r for s in before for r in s.reasons)  # A not authorised yet: nothing public
    authorise(actor_a)
    found = services.suggest(ent_a.pk, NAME)
    assert found[0].code_ts == CHLORINE
    assert f"{PUBLIC}: 高纯液氯" in found[0].reasons
    assert not any("高纯液氯钢瓶" in r for s in found for r in s.reasons)  # the 不规范 row is never public


def test_a_row_its_enterprise_closed_is_not_used(b_published, actor_a, actor_b, ent_a):
    authorise(actor_a)
    library.set_visibility(actor_b, b_published.pk, False)
    assert not any(PUBLIC in r for s in services.suggest(ent_a.pk, NAME) for r in s.reasons)


def test_the_enterprise_s_own_history_ranks_before_the_public_library(b_published, actor_a, ent_a):
    authorise(actor_a)
    commodities.create_commodity(actor_a, {"ie_flag": "E", "code_ts": "2804100000", "g_name": "高纯液氯"})
    found = services.suggest(ent_a.pk, NAME)
    assert [s.code_ts for s in found[:2]] == ["2804100000", CHLORINE]
    assert any("本企业商品库" in r for r in found[0].reasons)
    assert f"{PUBLIC}: 高纯液氯" in reasons(found, CHLORINE)


def test_element_proposals_come_from_the_public_library_only_for_an_authorised_enterprise(
        b_published, actor_a, ent_a):
    def proposed():
        out = services.element_proposals(ent_a.pk, CHLORINE)
        return {e["name"]: [(p["value"], p["source"]) for p in e["proposals"]] for e in out["elements"]}

    assert all(not v for v in proposed().values())
    authorise(actor_a)
    got = proposed()
    assert got["成分含量"] == [("氯99.5%", PUBLIC)]
    assert got["包装"] == [("钢瓶", PUBLIC)]  # not 槽车: the 不规范 row proposes nothing
