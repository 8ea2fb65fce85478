"""The heading classifier (``classify.headings``): it learns which n-grams tell headings apart,
so that a description no single name carries still leans to the right heading; and in the
suggester it moves such descriptions up (HEADING_MODEL_WEIGHT)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from guanwu.classify import knowledge, services
from guanwu.classify.headings import HeadingModel

VALVES = ["液压换向阀", "气动电磁阀", "不锈钢球阀", "黄铜闸阀", "燃气调压阀", "锅炉安全阀"]
PUMPS = ["齿轮油泵", "离心水泵", "潜水泵", "柱塞泵", "隔膜计量泵", "真空泵"]
FANS = ["轴流风扇", "离心风机", "排气扇", "吊扇", "台式电风扇", "工业风扇"]


def trained(groups):
    names = [n for g in groups for n in g]
    labels = np.array([i for i, g in enumerate(groups) for _ in g])
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)
    rows = vectorizer.fit_transform(names).tocsr()
    return vectorizer, HeadingModel.train(rows, labels, len(groups) + 1)


@pytest.mark.parametrize("description, heading", [("蝶阀", 0), ("化工泵", 1), ("换气扇", 2)])
def test_a_goods_word_no_name_carries_whole_leans_to_its_heading(description, heading):
    vectorizer, model = trained([VALVES, PUMPS, FANS])
    scores = model.scores(vectorizer.transform([description]).tocsr())
    assert int(np.argmax(scores)) == heading
    assert scores.shape == (4,) and scores[3] == -1.0  # a heading no name taught never leads
    assert scores.min() >= -1.0 and scores.max() <= 1.0


def test_two_headings_and_too_little_to_learn_from():
    vectorizer, model = trained([VALVES, PUMPS])
    assert model.scores(vectorizer.transform(["蝶阀"]).tocsr())[:2].argmax() == 0
    assert model.scores(vectorizer.transform(["化工泵"]).tocsr())[:2].argmax() == 1
    one = TfidfVectorizer(analyzer="char_wb").fit_transform(VALVES).tocsr()
    assert HeadingModel.train(one, np.zeros(len(VALVES), dtype=int), 3) is None


@pytest.mark.django_db
def test_the_suggester_reads_the_model(monkeypatch):
    """In the built index the model answers for every heading, and the suggester's scores move
    with it: without it (weight 0) they are the other views' alone."""
    known = knowledge.current()
    assert known.heading_model is not None
    query = knowledge.prepare("液压多路换向阀组件")
    heading = known.heading_model.scores(known.vector(query))
    assert heading.shape == (known.headings_t.shape[1],)
    with_model, weight = known.scores(query), knowledge.HEADING_MODEL_WEIGHT
    assert weight > 0
    monkeypatch.setattr(knowledge, "HEADING_MODEL_WEIGHT", 0.0)
    without = known.scores(query)
    np.testing.assert_allclose(with_model - without, weight * heading[known.heading_of], atol=1e-5)
    assert services.suggest(None, "液压多路换向阀组件")[0].code_ts.startswith("8481")
