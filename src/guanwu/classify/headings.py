"""Which heading a description names: a linear classifier over the character n-grams of every
name the index knows (tariff names, 检验检疫名称, the 归类词典), one class per four-digit heading.

The names view finds the codes whose own names a description resembles; this model learns which
n-grams tell the headings apart (阀 for 8481, 粒子 for chapter 39 primary forms, 模组 for parts of
8517/8529), so that a description whose words no single name carries still leans towards the
right heading. scikit-learn's ``SGDClassifier`` (modified Huber loss, one-vs-rest), trained when
the index is built (about 30 s on the two cores of the CI machine; the index then lives on disk,
``stored``); its weights are kept sparse (small weights dropped). On the dev split
(``benchmarks/dev_hs_suggest.py``), at ``knowledge.HEADING_MODEL_WEIGHT`` 0.1: held-out glossary
names top-1 at 6 digits +5.4 points, top-3 +2.5 (as product titles +6.3 / +3.4); held-out CIQ
words top-3 -0.2, top-5 +0.8; English names unchanged (the model reads the Chinese view only).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import SGDClassifier

MIN_NAMES = 3  # an n-gram in fewer names is not learned from (noise, and memory)
ALPHA = 1e-5  # dev split: 3e-5 lost 1 point on glossary names
EPOCHS = 4  # dev split: 8 epochs within 0.2 points, twice the time
KEEP_WEIGHT = 1e-3  # smaller weights are dropped: 2 % of the matrix is kept, the scores do not move


@dataclass
class HeadingModel:
    weights: sparse.csr_matrix  # the index's features x headings (rows of unread features empty)
    intercept: np.ndarray  # per heading (-1 for a heading no name taught)

    @classmethod
    def train(cls, names: sparse.csr_matrix, heading: np.ndarray, n_headings: int) -> HeadingModel | None:
        """``names``: the names' TF-IDF rows; ``heading``: each name's heading row."""
        if names.shape[0] == 0 or len(np.unique(heading)) < 2:
            return None
        in_names = np.asarray((names > 0).sum(axis=0)).ravel()
        columns = np.flatnonzero(in_names >= MIN_NAMES).astype(np.int32)
        model = SGDClassifier(loss="modified_huber", alpha=ALPHA, max_iter=EPOCHS, tol=None, random_state=18,
                              n_jobs=2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # a fixed number of epochs is the point
            model.fit(names[:, columns], heading)
        coef = model.coef_.astype(np.float32)
        coef[np.abs(coef) < KEEP_WEIGHT] = 0.0
        classes = model.classes_.astype(np.int64)
        if len(classes) == 2:  # scikit-learn keeps one row for two classes
            coef = np.vstack([-coef, coef])
        learned = sparse.csr_matrix(coef).T @ _spread(classes, n_headings)  # columns x headings
        place = sparse.csr_matrix((np.ones(len(columns), dtype=np.float32), (columns, np.arange(len(columns)))),
                                  shape=(names.shape[1], len(columns)))
        weights = sparse.csr_matrix(place @ learned, dtype=np.float32)
        intercept = np.full(n_headings, -1.0, dtype=np.float32)
        intercept[classes] = model.intercept_ if len(classes) > 2 else [-model.intercept_[0], model.intercept_[0]]
        return cls(weights, intercept)

    def scores(self, vec: sparse.csr_matrix) -> np.ndarray:
        """Per heading, how much the description looks like it, in [-1, 1]."""
        raw = (vec @ self.weights).toarray().ravel() + self.intercept
        return np.clip(raw, -1.0, 1.0)


def _spread(classes: np.ndarray, n_headings: int) -> sparse.csr_matrix:
    """class number -> heading row, as a (classes x headings) 0/1 matrix."""
    return sparse.csr_matrix((np.ones(len(classes), dtype=np.float32), (np.arange(len(classes)), classes)),
                             shape=(len(classes), n_headings))
