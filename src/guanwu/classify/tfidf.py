"""The index's TF-IDF transform at query time, without scikit-learn's n-gram dictionary.

A fitted ``TfidfVectorizer`` keeps ``vocabulary_``, a dict of its ~250,000 character n-grams: about
33 MB of Python objects in every process that holds the index, which no two processes can share.
Here the n-grams are kept as sorted 64-bit BLAKE2b digests beside their columns: two arrays, which
``stored`` maps read-only and the processes of a machine share. A description's n-grams are
digested and looked up by binary search; an n-gram the index does not know has no column, as in
scikit-learn. Two n-grams with one digest would be told apart by nothing, so ``of`` refuses them
(with 250,000 n-grams the chance is about 10⁻⁹).

``transform`` is ``vectorizer.transform`` without scikit-learn's per-call checks (they cost a few
ms a query): the same n-grams (the vectorizer's own analyzer), sublinear tf, idf and L2 norm.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer


def digests(grams: Iterable[str]) -> np.ndarray:
    """The 64-bit BLAKE2b digest of each n-gram (UTF-8), as unsigned integers."""
    joined = b"".join(hashlib.blake2b(g.encode(), digest_size=8).digest() for g in grams)
    return np.frombuffer(joined, dtype="<u8").astype(np.uint64)


@dataclass
class Tfidf:
    vectorizer: TfidfVectorizer  # fitted; without ``vocabulary_`` (its analyzer and idf are read)
    keys: np.ndarray  # sorted digests of the n-grams (uint64)
    columns: np.ndarray  # the column of each key (int32)
    _analyze: Callable[[str], list[str]] = field(init=False, repr=False)
    _idf: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._analyze = self.vectorizer.build_analyzer()
        self._idf = self.vectorizer.idf_.astype(np.float32)

    @classmethod
    def of(cls, vectorizer: TfidfVectorizer) -> Tfidf:
        """Of a fitted vectorizer, which is left as it is (a copy without its dictionary is kept)."""
        vocabulary = vectorizer.vocabulary_
        keys = digests(vocabulary)
        columns = np.fromiter(vocabulary.values(), dtype=np.int32, count=len(vocabulary))
        order = np.argsort(keys, kind="stable")
        keys, columns = keys[order], columns[order]
        if len(keys) > 1 and bool((keys[1:] == keys[:-1]).any()):
            raise ValueError("two n-grams of the index have one digest")
        light = copy.copy(vectorizer)
        del light.vocabulary_
        return cls(light, keys, columns)

    @property
    def n_features(self) -> int:
        return len(self._idf)

    def columns_of(self, grams: list[str]) -> np.ndarray:
        """The column of each n-gram, -1 for one the index does not know."""
        if not grams or not len(self.keys):
            return np.full(len(grams), -1, dtype=np.int64)
        wanted = digests(grams)
        at = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        return np.where(self.keys[at] == wanted, self.columns[at], -1)

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        indptr, indices, values = [0], [], []
        for value in texts:
            found = self.columns_of(self._analyze(value))
            cols, counts = np.unique(found[found >= 0], return_counts=True)
            row = (1.0 + np.log(counts)).astype(np.float32) * self._idf[cols]
            norm = float(np.sqrt((row * row).sum())) if len(cols) else 0.0
            indices += cols.tolist()
            values += list(row / norm) if norm else []
            indptr.append(len(indices))
        return sparse.csr_matrix((np.array(values, dtype=np.float32), np.array(indices, dtype=np.int32), indptr),
                                 shape=(len(texts), self.n_features))
