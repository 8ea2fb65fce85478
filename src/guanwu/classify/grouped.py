"""Rows grouped by code (a code's names are consecutive, in code order): the best row per code.

The names view and the English view both score a code by its best-matching name; both lay their
rows out grouped by code and use these three functions.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse


def layout(code_of: np.ndarray, n_codes: int) -> tuple[np.ndarray, np.ndarray]:
    """(first row, number of rows) of each code; ``code_of`` must be non-decreasing."""
    code_of = np.asarray(code_of, dtype=np.int64)
    return np.searchsorted(code_of, np.arange(n_codes)), np.bincount(code_of, minlength=n_codes)


def best(dense: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Per code, the largest of its rows' values (0 for a code without rows)."""
    if not len(dense):
        return np.zeros(len(starts), dtype=np.float32)
    out = np.maximum.reduceat(dense, np.minimum(starts, len(dense) - 1))
    out[counts == 0] = 0.0
    return out


def best_row(rows: sparse.csr_matrix, vec: sparse.csr_matrix, start: int, count: int) -> tuple[int, float]:
    """The row of one code's group most alike ``vec`` and its similarity ((-1, 0) when none)."""
    if not count:
        return -1, 0.0
    sims = (rows[start : start + count] @ vec.T).toarray().ravel()
    j = int(np.argmax(sims))
    return start + j, float(sims[j])
