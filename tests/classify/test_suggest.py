"""HS-code suggestions (智能识别): clear cases, the enterprise's own history first, tenancy,
bad input, learning at once from released declarations and accepted suggestions."""

from __future__ import annotations

import pytest

from guanwu.audit.models import OperationLog
from guanwu.classify import services
from guanwu.classify.models import AcceptedSuggestion
from guanwu.core.errors import ServiceError
from guanwu.datacenter.commodities import services as commodities
from tests.datacenter.commodities.helpers import released_export

pytestmark = pytest.mark.django_db

THERMOS = "4|0|带外壳|不锈钢|象印|SM-SA48|无|无|无"


def codes(enterprise_id, q: str, limit: int = 5) -> list[str]:
    return [s.code_ts for s in services.suggest(enterprise_id, q, limit)]


@pytest.mark.parametrize(("description", "code"), [
    ("男士纯棉针织圆领T恤", "6109100021"),  # 其他棉制针织或钩编男式T恤衫
    ("不锈钢真空保温杯 500ml", "9617001900"),  # 其他保温瓶 (玻璃胆除外: a steel vacuum cup is a vacuum flask)
    ("锂电池充电宝 10000mAh", "8507600090"),  # 其他锂离子蓄电池
    ("蓝牙耳机", "8517629400"),  # 无线耳机
    ("冻带骨鸡块", "0207141100"),  # 冻的带骨鸡块
])
def test_clear_cases_rank_the_right_code_first(description, code):
    """What a broker classifies at a glance comes first on general knowledge alone."""
    assert codes(None, description)[0] == code


def test_answer_shape_name_score_reasons_and_ciq():
    first = services.suggest(None, "男士纯棉针织圆领T恤")[0].as_dict()
    assert first["name"] == "其他棉制针织或钩编男式T恤衫"
    assert 0 < first["score"] <= 1
    assert first["ciq_code"] == "999"  # the only CIQ name of the code
    assert any("纯棉" in r or "针织" in r for r in first["reasons"])


def test_at_most_limit_and_ten_digit_codes():
    out = codes(None, "不锈钢保温杯", limit=3)
    assert len(out) == 3 and all(len(c) == 10 and c.isdigit() for c in out)
    assert len(codes(None, "不锈钢保温杯", limit=50)) == services.MAX_LIMIT


@pytest.mark.parametrize("description", ["", "   ", "😀🎉👍", "!!!???。。。", "12345 500ml", "x" * 10_000,
                                         "保温杯" * 3_400])
def test_bad_input_answers_an_empty_list(description, ent_a):
    assert services.suggest(ent_a.pk, description) == []


def test_own_history_wins_over_general_knowledge(ent_a, ent_b, actor_a):
    """Enterprise A declares its vacuum cups as 9617009000 (其他真空容器); general knowledge points
    at 9617001900 (其他保温瓶). A sees its own choice first, with the example as the reason; B does not."""
    general = codes(ent_b.pk, "不锈钢真空保温杯 500ml")
    assert general[0] == "9617001900"
    commodities.create_commodity(actor_a, {"ie_flag": "E", "code_ts": "9617009000", "g_name": "不锈钢真空保温杯",
                                           "g_model": THERMOS})
    mine = services.suggest(ent_a.pk, "不锈钢真空保温杯 500ml")
    assert mine[0].code_ts == "9617009000"
    assert mine[0].score > mine[1].score
    assert any("本企业商品库" in r and "不锈钢真空保温杯" in r for r in mine[0].reasons)
    # another enterprise's history is neither used nor shown
    theirs = services.suggest(ent_b.pk, "不锈钢真空保温杯 500ml")
    assert [s.code_ts for s in theirs] == general
    assert not any("本企业" in r for s in theirs for r in s.reasons)


def test_a_word_only_the_enterprise_knows(ent_a, ent_b, actor_a):
    commodities.create_commodity(actor_a, {"ie_flag": "I", "code_ts": "3304990099", "g_name": "小黑瓶"})
    assert codes(ent_a.pk, "兰蔻小黑瓶 50ml")[0] == "3304990099"
    assert "3304990099" not in codes(ent_b.pk, "兰蔻小黑瓶 50ml")[:1]


def test_released_declarations_feed_the_suggestions_at_once(ent_a, ent_b, django_capture_on_commit_callbacks):
    """The export's goods (棉制针织背心 6109100092 among them) are learned on release: the next
    suggestion for the same goods uses them, with no retraining."""
    before = services.suggest(ent_a.pk, "棉制针织背心")
    released_export(ent_a, django_capture_on_commit_callbacks)
    after = services.suggest(ent_a.pk, "棉制针织背心")
    assert any("本企业商品库" in r for r in after[0].reasons)
    assert not any("本企业商品库" in r for s in before for r in s.reasons)
    assert not any("本企业商品库" in r for s in services.suggest(ent_b.pk, "棉制针织背心") for r in s.reasons)


def test_accepted_suggestion_is_learned_and_audited(actor_a, actor_b, ent_a, ent_b):
    assert codes(ent_a.pk, "象印焖烧罐")[0] != "9617009000"
    row = services.accept(actor_a, "象印焖烧罐", "9617009000")
    assert (row.code_ts, row.times) == ("9617009000", 1)
    assert codes(ent_a.pk, "象印焖烧罐")[0] == "9617009000"
    assert codes(ent_b.pk, "象印焖烧罐")[0] != "9617009000"
    assert services.accept(actor_a, "象印焖烧罐", "9617009000").times == 2
    assert AcceptedSuggestion.objects.filter(enterprise=ent_a).count() == 1
    assert OperationLog.objects.filter(enterprise=ent_a, action="采纳归类建议").count() == 2


@pytest.mark.parametrize(("description", "code", "field"), [
    ("象印焖烧罐", "1234567890", "code_ts"), ("象印焖烧罐", "", "code_ts"), ("😀", "9617001900", "description"),
])
def test_accept_refuses_bad_input_and_writes_nothing(actor_a, description, code, field):
    with pytest.raises(ServiceError) as err:
        services.accept(actor_a, description, code)
    assert field in {e.field for e in err.value.errors}
    assert not AcceptedSuggestion.objects.exists()
    assert not OperationLog.objects.filter(action="采纳归类建议").exists()
