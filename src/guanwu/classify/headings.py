"""Which heading a description names: a linear classifier over the character n-grams of every
name the index knows (tariff names, 检验检疫名称, the 归类词典), one class per four-digit heading.

The names view finds the codes whose own names a description resembles; this model learns which
n-grams tell the headings apart (阀 for 8481, 粒子 for chapter 39 primary forms, 模组 for parts of
8517/8529), so that a description whose words no single name carries still leans towards the
right heading. scikit-learn's ``SGDClassifier`` (modified Huber loss, one-vs-rest), trained when
the index is built (about 60 s for its ~90,000 names on the two cores of the CI machine; the
index then lives on disk, ``stored``); its weights are kept sparse (small weights dropped). On the dev split
(``benchmarks/dev_hs_suggest.py``), at ``knowledge.HEADING_MODEL_WEIGHT`` 0.1: held-out glossary
names top-1 at 6 digits +5.4 points, top-3 +2.5 (as product titles +6.3 / +3.4); held-out CIQ
words top-3 -0.2, top-5 +0.8; English names unchanged (the model reads the Chinese view only).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from . import linear

MIN_NAMES = 3  # an n-gram in fewer names is not learned from (noise, and memory)
ALPHA = 1e-5  # dev split: 3e-5 lost 1 point on glossary names
EPOCHS = 3  # dev split: 4 epochs within 0.2 points (+15 s), 2 lose 0.4 on glossary names, 8 no better
KEEP_WEIGHT = 1e-3  # smaller weights are dropped: 2 % of the matrix is kept, the scores do not move
CHUNK = 128  # headings per fit (memory: CHUNK x n-grams dense weights while fitting)


@dataclass
class HeadingModel:
    weights: sparse.csr_matrix  # the index's features x headings (rows of unread features empty)
    intercept: np.ndarray  # per heading (-1 for a heading no name taught)

    @classmethod
    def train(cls, names: sparse.csr_matrix, heading: np.ndarray, n_headings: int) -> HeadingModel | None:
        """``names``: the names' TF-IDF rows; ``heading``: each name's heading row.

        One-vs-rest, ``CHUNK`` headings at a time: each fit learns those headings against all the
        others (one more class, "the rest", whose weights are thrown away), so that the dense
        weights scikit-learn holds while fitting stay ~100 MB instead of headings x n-grams
        (1 GB); each heading's problem is the same as in one fit over all headings."""
        taught = np.unique(heading)
        if names.shape[0] == 0 or len(taught) < 2:
            return None
        in_names = np.asarray((names > 0).sum(axis=0)).ravel()
        columns = np.flatnonzero(in_names >= MIN_NAMES).astype(np.int32)
        x = sparse.csr_matrix(names[:, columns], dtype=np.float64)  # converted once, not per fit
        rows, cols, values = [], [], []
        intercept = np.full(n_headings, -1.0, dtype=np.float32)
        rest = n_headings  # a label no heading has
        for start in range(0, len(taught), CHUNK):
            chunk = taught[start:start + CHUNK]
            labels = np.where(np.isin(heading, chunk), heading, rest)
            classes, coef, bias = linear.fit(x, labels, ALPHA, EPOCHS, n_jobs=2)
            for k, h in enumerate(classes):
                if h == rest:
                    continue
                keep = np.flatnonzero(np.abs(coef[k]) >= KEEP_WEIGHT)
                rows.append(columns[keep])
                cols.append(np.full(len(keep), h, dtype=np.int32))
                values.append(coef[k, keep].astype(np.float32))
                intercept[h] = bias[k]
        weights = sparse.csr_matrix((np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))),
                                    shape=(names.shape[1], n_headings), dtype=np.float32)
        return cls(weights, intercept)

    def scores(self, vec: sparse.csr_matrix) -> np.ndarray:
        """Per heading, how much the description looks like it, in [-1, 1]."""
        raw = (vec @ self.weights).toarray().ravel() + self.intercept
        return np.clip(raw, -1.0, 1.0)

