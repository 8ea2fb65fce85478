"""How a description is read (issue 18): the name decides the heading, its head word names the
goods, materials and Latin attribute words only qualify them; the fast TF-IDF transform gives
what scikit-learn's gives."""

from __future__ import annotations

import numpy as np
import pytest

from guanwu.classify import knowledge, services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def built():
    """How a description is read depends on the words the index knows (``_known_trade_words``)."""
    knowledge.current()


def kinds(q: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for kind, text in knowledge.prepare(q).parts:
        out.setdefault(kind, []).append(text)
    return out


def test_what_follows_yong_is_the_head():
    """自行车用链条 is a chain (a bicycle part), not a bicycle."""
    assert kinds("自行车用链条")["head"] == ["链条"]


def test_the_last_word_of_the_name_is_the_head_and_the_rest_is_spec():
    parts = kinds("智能手表表带 米兰尼斯表带, 38mm")
    # 智能手表 is a trade word the 归类词典 uses itself: kept, with the tariff's words beside it
    assert parts["name"] == ["智能手表 表带 手表 无线"]
    assert parts["head"] == ["表带"]
    assert parts["spec"] == ["米兰尼斯表带"]


def test_materials_and_latin_words_are_modifiers_not_the_name():
    parts = kinds("不锈钢 tpu 保温杯")
    assert parts["name"] == ["保温杯 保温瓶 真空容器"]  # the trade word, and the tariff's words
    assert "不锈钢 钢铁" in parts["modifier"][0] and "塑料" in parts["modifier"][0]


def test_a_description_of_materials_only_is_still_read():
    parts = kinds("不锈钢")
    assert parts == {"name": ["不锈钢 钢铁"]}
    assert knowledge.current().top(knowledge.prepare("不锈钢"), 5)


def test_fast_transform_equals_scikit_learn():
    """The query-time transform (n-grams found by their digests, no dictionary kept) gives what
    the fitted vectorizer gives, unknown n-grams included."""
    from guanwu.classify.tfidf import Tfidf

    corpus = ["圆领男式针织t恤衫", "保温瓶及其他真空容器", "不锈钢保温杯", "手表表带", "针织或钩编的男式衬衫"]
    vectorizer = knowledge._analyzer().fit(corpus)
    fast = Tfidf.of(vectorizer)
    texts = ["圆领 男式 针织或钩编 t恤衫", "保温瓶 真空容器", "", "zzz 没有的词", "表带 表带 表带"]
    ours = fast.transform(texts).toarray()
    theirs = vectorizer.transform(texts).toarray()
    assert ours.shape == theirs.shape
    assert np.abs(ours - theirs).max() < 1e-5
    assert not hasattr(fast.vectorizer, "vocabulary_") and hasattr(vectorizer, "vocabulary_")
    known = knowledge.current()  # the index keeps its n-grams as digests only
    assert not hasattr(known.tfidf.vectorizer, "vocabulary_") and known.transform(["不锈钢保温杯"]).nnz


def test_two_n_grams_with_one_digest_are_refused(monkeypatch):
    """A digest shared by two n-grams would read one as the other: the index is not built."""
    from guanwu.classify import tfidf

    vectorizer = knowledge._analyzer().fit(["保温杯", "表带"])
    monkeypatch.setattr(tfidf, "digests", lambda grams: np.zeros(len(list(grams)), dtype=np.uint64))
    with pytest.raises(ValueError):
        tfidf.Tfidf.of(vectorizer)


def test_heading_view_reads_modifiers_less_than_the_item_view():
    """Both views of 不锈钢保温杯 are unit vectors; the heading view weighs 不锈钢 less."""
    known = knowledge.current()
    item, heading = known._views(knowledge.prepare("不锈钢 保温杯"))
    steel = known.transform(["钢铁"]).indices
    assert abs(float(item.multiply(item).sum()) - 1) < 1e-4 and abs(float(heading.multiply(heading).sum()) - 1) < 1e-4
    assert heading[0, steel].sum() < item[0, steel].sum()


def test_a_trade_word_the_tariff_uses_itself_is_kept():
    """台灯 is in the tariff's own names (其他电气台灯、床头灯、落地灯): the description keeps it
    besides the lexicon's 灯具; 靴子 is in no tariff, CIQ or glossary name, and is read as the
    tariff's 鞋靴 only."""
    knowledge.current()
    assert "台灯" in knowledge.prepare("台灯").han
    assert "灯具" in knowledge.prepare("台灯").expansion
    assert "靴子" not in knowledge.prepare("靴子").han
    assert "鞋靴" in knowledge.prepare("靴子").expansion


def test_a_kept_trade_word_does_not_expand_twice():
    from guanwu.classify import lexicon

    rest, _, words = lexicon.expand("智能手机", [], keep=frozenset({"智能手机", "手机"}))
    assert words == ["智能手机"] and rest.strip() == "智能手机"


def test_diversify_gives_other_subheadings_a_place():
    codes = ["6109100021", "6109100022", "6109100010", "6109909050", "6110200090"]
    assert knowledge.diversify(codes, cap=2) == ["6109100021", "6109100022", "6109909050", "6110200090",
                                                 "6109100010"]
    assert knowledge.diversify(codes, cap=0) == codes


def test_general_suggestions_come_from_several_subheadings():
    """6109.10 has many ten-digit lines like the description: at most SUBHEADING_CAP of them come
    before the other subheadings' best codes."""
    got = [s.code_ts for s in services.suggest(None, "男士纯棉针织圆领T恤", 5)]
    assert got[0] == "6109100021"
    assert knowledge.SUBHEADING_CAP > 0
    assert sum(1 for code in got if code.startswith("610910")) <= knowledge.SUBHEADING_CAP


def test_the_head_prior_reads_what_kind_of_goods_a_name_ends_in(monkeypatch):
    """灭菌剂 ends in 剂 (an agent: chapter 38), though its words also name sterilising machines
    (8419.20 医用或实验室用的消毒器具) and the fungicide 灭菌丹 (2930.90). The head prior counts the
    headings of every name ending in 菌剂/剂; without it (and without the heading classifier, which
    learns the same from the names) another heading comes first."""
    assert services.suggest(None, "灭菌剂")[0].code_ts.startswith("3808")
    monkeypatch.setattr(knowledge, "HEADING_MODEL_WEIGHT", 0.0)
    assert services.suggest(None, "灭菌剂")[0].code_ts.startswith("3808")  # the head prior alone
    monkeypatch.setattr(knowledge, "HEAD_PRIOR_WEIGHT", 0.0)
    assert not services.suggest(None, "灭菌剂")[0].code_ts.startswith("3808")


def test_head_of_a_description_is_the_end_of_its_first_segment():
    assert knowledge.head_of("工业用聚氨酯胶粘剂, 桶装 200kg") == "聚氨酯胶粘剂"  # what follows 用
    assert knowledge.head_of("自行车用链条 通用") == "链条"
    assert knowledge.head_of("") == ""
    prior = knowledge.current().head_prior
    p = prior.probabilities("某某滤芯")
    assert p is not None and abs(float(p.sum()) - 1) < 1e-4
    assert prior.probabilities("😀") is None


def test_selling_words_of_a_product_title_are_not_read():
    """新款, 韩版, 夏季, 包邮 decide nothing; their characters would pull towards names sharing them."""
    assert knowledge.text.strip_selling_words("2024新款韩版夏季纯棉男士t恤 包邮").split() == ["2024", "纯棉男士t恤"]
    title = [s.code_ts for s in services.suggest(None, "2024新款韩版夏季纯棉男士T恤 包邮")]
    assert title == [s.code_ts for s in services.suggest(None, "纯棉男士T恤")]
    assert knowledge.text.strip_selling_words("家用 男女通用 儿童") == "家用 男女通用 儿童"  # words that decide stay


def test_the_fixed_declaration_elements_are_not_read():
    """规范申报目录 (海关总署公告2016年第20号): every line's 申报要素 begin with 品牌类型 and 出口享惠情况,
    whatever the goods; their labels and fixed values decide nothing, the values of other elements
    stay (用途:家用 keeps 家用)."""
    strip = knowledge.text.strip_element_boilerplate
    assert strip("品牌类型:境外品牌(其他)|出口享惠情况:出口货物在最终目的国(地区)不享受优惠关税").strip(" |") == ""
    assert strip("4|0|毛巾|棉|无品牌").split("|")[:4] == ["4", "0", "毛巾", "棉"]
    assert strip("用途:家用|材质：不锈钢").replace(" ", "") == "家用|不锈钢"
    assert services.suggest(None, "品牌类型:境外品牌(其他)|出口享惠情况:出口货物在最终目的国(地区)不享受优惠关税") == []
    keyed = "不锈钢保温杯|3|0|境内自主品牌|出口货物在最终目的国(地区)不享受优惠关税|用途:家用|品牌:无"
    assert [s.code_ts for s in services.suggest(None, keyed)] == [
        s.code_ts for s in services.suggest(None, "不锈钢保温杯|3|0|用途:家用|无")
    ]

def test_a_tariff_version_with_the_same_text_reuses_the_index(monkeypatch):
    """A tariff reloaded with the same names, CIQ rows and glossary (a new version row, same text)
    keeps the fitted index: only the fingerprint is computed, nothing is refitted."""
    first = knowledge.current()
    same = knowledge._inputs(first.version_id)
    monkeypatch.setattr(knowledge.params_index, "version_for", lambda *a, **k: first.version_id + 1000)
    monkeypatch.setattr(knowledge, "_inputs", lambda version_id: same)
    monkeypatch.setattr(knowledge, "_cache", dict(knowledge._cache))
    again = knowledge.current()
    assert again.version_id == first.version_id + 1000
    assert again.tfidf is first.tfidf and again.names_t is first.names_t


def test_a_trade_word_that_ends_the_name_is_its_head():
    """手表保护套 is a case (保护套: 塑料制品), not a watch: the heading view reads the case."""
    assert kinds("手表保护套 pc保护套")["head"] == ["保护套 塑料制品"]
    assert kinds("自行车用链条")["head"] == ["链条"]  # what follows 用 when no trade word ends it


def test_a_codes_score_is_the_weighted_evidence_of_the_views():
    """``scores`` is the sum of each view's evidence times its weight (``weights``); a view with
    nothing to say (no size, no fibre, no English name) is left out of the evidence."""
    known = knowledge.current()
    query = knowledge.prepare("纯棉针织男式T恤 500g")
    parts = known.evidence(query)
    assert {"item", "heading", "name", "prior", "heading_model", "lines", "fibre"} <= set(parts)
    assert "english" not in parts
    weights = knowledge.weights()
    expected = sum(weights[name] * value for name, value in parts.items())
    np.testing.assert_allclose(known.scores(query), expected, atol=1e-5)
    # a description in English only: the English view at full weight, and the tariff's rules
    english_only = known.evidence(knowledge.prepare("stainless steel vacuum flask"))
    assert set(english_only) - knowledge.RULES == {"english"}
    rules = sum(weights[name] * english_only[name] for name in knowledge.RULES & set(english_only))
    np.testing.assert_allclose(known.scores(knowledge.prepare("stainless steel vacuum flask")),
                               english_only["english"] + rules, atol=1e-6)
    assert known.evidence(knowledge.prepare("😀")) is None
