"""One-vs-rest linear fits shared by the heading classifier (``headings``) and the line
classifier (``lines``): scikit-learn's ``SGDClassifier`` with the modified Huber loss, a fixed
number of epochs and a fixed seed (the same index from the same names)."""

from __future__ import annotations

import warnings

import numpy as np
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import SGDClassifier


def fit(x: sparse.csr_matrix, labels: np.ndarray, alpha: float, epochs: int,
        n_jobs: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(classes, one weight row per class, intercepts) of one fit."""
    model = SGDClassifier(loss="modified_huber", alpha=alpha, max_iter=epochs, tol=None, random_state=18,
                          n_jobs=n_jobs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # a fixed number of epochs is the point
        model.fit(x, labels)
    coef, bias = model.coef_, model.intercept_
    if len(model.classes_) == 2:  # scikit-learn keeps one row for two classes: the second's
        coef, bias = np.vstack([-coef, coef]), np.array([-bias[0], bias[0]])
    return model.classes_, coef, bias
