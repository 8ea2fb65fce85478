"""The line classifier (``classify.lines``): within a heading it learns which n-grams tell the
sibling lines apart, and it only ranks the lines of a heading among themselves."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from guanwu.classify import knowledge
from guanwu.classify.lines import LineModel

# heading 0: knitted (line 0) against woven (line 1) shirts, and a line no name teaches (2);
# heading 1: one line only (no model); heading 2: pumps by drive (lines 4, 5)
NAMES = [
    (0, "针织男衬衫"), (0, "针织女式衬衫"), (0, "钩编针织衬衫"), (0, "针织长袖衬衫"),
    (1, "机织男衬衫"), (1, "梭织女式衬衫"), (1, "机织长袖衬衫"), (1, "梭织短袖衬衫"),
    (3, "手提包"), (3, "皮革手提包"),
    (4, "电动离心泵"), (4, "电动潜水泵"), (4, "电动齿轮泵"),
    (5, "手摇泵"), (5, "手动压水泵"), (5, "脚踏手动泵"),
]
HEADING_OF = np.array([0, 0, 0, 1, 2, 2])


def trained():
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)
    rows = vectorizer.fit_transform([n for _, n in NAMES]).tocsr()
    model = LineModel.train(rows, np.array([c for c, _ in NAMES]), HEADING_OF)
    return vectorizer, model


@pytest.mark.parametrize("description, line",
                         [("针织翻领衬衫", 0), ("机织衬衫 纯棉", 1), ("电动自吸泵", 4), ("手动抽水泵", 5)])
def test_a_description_ranks_the_sibling_line_it_names_first(description, line):
    vectorizer, model = trained()
    scores = model.scores(vectorizer.transform([description]).tocsr())
    siblings = np.flatnonzero(np.equal(HEADING_OF, HEADING_OF[line]))
    assert siblings[np.argmax(scores[siblings])] == line
    assert scores[line] == 0.0  # the best line of its heading


def test_it_never_moves_one_heading_above_another():
    """The best line of every heading scores 0 and the others less (down to -2): added to the
    suggester's scores it reorders siblings, never headings. A heading with one line has no
    model and scores 0; a line no name taught comes last in its heading."""
    vectorizer, model = trained()
    for description in ["针织短袖衬衫", "电动自吸泵", "手提包", "完全无关的词"]:
        scores = model.scores(vectorizer.transform([description]).tocsr())
        assert scores.shape == (6,) and scores.max() == 0.0 and scores.min() >= -2.0
        for heading in range(3):
            assert scores[np.equal(HEADING_OF, heading)].max() == 0.0
        assert scores[3] == 0.0
        if description != "完全无关的词":
            assert scores[2] == scores[:3].min()


def test_no_heading_with_two_taught_lines_gives_a_model_that_says_nothing():
    vectorizer = TfidfVectorizer(analyzer="char_wb").fit(["手提包", "皮革手提包"])
    rows = vectorizer.transform(["手提包", "皮革手提包"]).tocsr()
    model = LineModel.train(rows, np.array([0, 0]), np.array([0, 0]))
    assert not model.modelled.any()
    assert (model.scores(vectorizer.transform(["手提包"]).tocsr()) == 0).all()


@pytest.mark.django_db
def test_the_suggester_reads_the_model(monkeypatch):
    """In the built index the line model answers for every code, and the suggester's scores move
    by its weight times its score floored at ``LINE_FLOOR``."""
    known = knowledge.current()
    assert known.line_model is not None and known.line_model.modelled.any()
    query = knowledge.prepare("男式针织棉制圆领T恤衫")
    lines = known.line_model.scores(known.vector(query))
    assert lines.shape == (len(known.codes),)
    with_model, weight = known.scores(query), knowledge.LINE_MODEL_WEIGHT
    assert weight > 0
    monkeypatch.setattr(knowledge, "LINE_MODEL_WEIGHT", 0.0)
    without = known.scores(query)
    np.testing.assert_allclose(with_model - without, weight * np.maximum(lines, -knowledge.LINE_FLOOR), atol=1e-5)
    # knitted T-shirts of cotton: the line model prefers 6109.10 to its sibling lines of 6109.90
    t_shirts = [i for i, c in enumerate(known.codes) if c.startswith("6109")]
    best = t_shirts[int(np.argmax(lines[t_shirts]))]
    assert known.codes[best].startswith("610910")
