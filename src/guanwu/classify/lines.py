"""Which line of a heading a description names: within each four-digit heading, a linear
classifier over the character n-grams of the names of its ten-digit lines (tariff names,
检验检疫名称, the 归类词典), one class per line.

The heading classifier (``headings``) and the views of ``knowledge`` decide the heading; telling
sibling lines apart is another problem: 针织 against 机织, 棉 against 合成纤维, 电动 against
手动, a power or a size. Cosine similarity weighs an n-gram by how rare it is in the whole tariff;
a model fitted on one heading's names alone learns which n-grams split that heading. Its score
only ranks the lines of a heading among themselves: each line's score minus the best line's of
its heading (0 for the best, down to -2), so that it never moves one heading above another.

One scikit-learn ``SGDClassifier`` (modified Huber loss, one-vs-rest) per heading with at least
two lines that have names; fitted when the index is built (about 4 s; ``stored`` keeps it on
disk). On the dev split (``benchmarks/dev_hs_suggest.py``), at ``knowledge.LINE_MODEL_WEIGHT`` 0.1
and ``LINE_FLOOR`` 0.5: held-out glossary names top-1 at 10 digits 64.8 -> 67.7 %, top-3 85.2 ->
86.3 %, at 6 digits top-1 71.1 -> 73.0 %; held-out CIQ words top-3 at 10 digits 33.1 -> 33.5 %,
the rest within 0.6 point. Unfloored (a line down to -0.2 below its heading's best) it lost
1.5 points of top-3 at 6 digits on CIQ words: siblings fell below other headings' lines.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from . import grouped, linear

ALPHA = 1e-2  # dev split: 1e-4 and 1e-3 within 0.5 point, 1e-5 lower on CIQ words
EPOCHS = 10  # small problems: a few hundred names a heading
KEEP_WEIGHT = 0.1  # smaller weights are dropped (dev split: 0.02, 0.05 and 0.1 within 0.4 point; 0.1 keeps ~12 MB)


@dataclass
class LineModel:
    weights: sparse.csr_matrix  # the index's features x codes
    intercept: np.ndarray  # per code
    modelled: np.ndarray  # per code: its heading has a model (bool)
    heading_of: np.ndarray  # code -> heading row (non-decreasing)
    _starts: np.ndarray
    _counts: np.ndarray

    @classmethod
    def train(cls, names: sparse.csr_matrix, code_of_name: np.ndarray, heading_of: np.ndarray) -> LineModel:
        """``names``: the names' TF-IDF rows, grouped by code (``code_of_name`` non-decreasing);
        ``heading_of``: each code's heading row, non-decreasing (codes in tariff order)."""
        n_codes = len(heading_of)
        code_of_name = np.asarray(code_of_name, dtype=np.int64)
        heading_of = np.asarray(heading_of, dtype=np.int64)
        name_heading = heading_of[code_of_name] if len(code_of_name) else np.zeros(0, dtype=np.int64)
        n_headings = int(heading_of.max()) + 1 if n_codes else 0
        starts, counts = grouped.layout(name_heading, n_headings)
        x_all = sparse.csr_matrix(names, dtype=np.float64)
        rows, cols, values = [], [], []
        intercept = np.zeros(n_codes, dtype=np.float32)
        modelled = np.zeros(n_codes, dtype=bool)
        for h in np.flatnonzero(counts):
            part = slice(int(starts[h]), int(starts[h] + counts[h]))
            labels = code_of_name[part]
            if len(np.unique(labels)) < 2:
                continue
            x = x_all[part]
            columns = np.unique(x.indices).astype(np.int32)
            classes, coef, bias = linear.fit(x[:, columns], labels, ALPHA, EPOCHS)
            for k, code in enumerate(classes):
                keep = np.flatnonzero(np.abs(coef[k]) >= KEEP_WEIGHT)
                rows.append(columns[keep])
                cols.append(np.full(len(keep), code, dtype=np.int32))
                values.append(coef[k, keep].astype(np.float32))
            members = np.flatnonzero(heading_of == h)
            modelled[members] = True
            intercept[members] = -1.0  # a line of the heading no name taught
            intercept[classes] = bias
        empty = np.zeros(0, dtype=np.int32)
        weights = sparse.csr_matrix(
            (np.concatenate(values) if values else np.zeros(0, dtype=np.float32),
             (np.concatenate(rows) if rows else empty, np.concatenate(cols) if cols else empty)),
            shape=(names.shape[1], n_codes), dtype=np.float32)
        code_starts, code_counts = grouped.layout(heading_of, n_headings)
        return cls(weights, intercept, modelled, heading_of, code_starts, code_counts)

    def scores(self, vec: sparse.csr_matrix) -> np.ndarray:
        """Per code, how far the description is from naming it rather than the heading's best
        line: 0 for that line (and for every line of a heading without a model), down to -2."""
        raw = np.clip((vec @ self.weights).toarray().ravel() + self.intercept, -1.0, 1.0)
        best = grouped.best(raw, self._starts, self._counts)
        return np.where(self.modelled, raw - best[self.heading_of], 0.0).astype(np.float32)

