"""English names: a description written in English (``men's cotton knitted t-shirt``) or one
with an English name beside the Chinese, read word by word against the 归类词典's English rows and
the English names applicants gave in their 海关预裁定 (``rulings``).

The tariff in memory has Chinese names only, so the English view knows what the glossary's
English rows teach it (as on commercial invoices: ``stainless steel vacuum flask``, ``car brake
pads``). Words are lower case, plural ``s`` folded; little words (of, for, with ...) and units
carry no class. TF-IDF over words and word pairs; a code scores its best-matching English name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from . import grouped

STOP = frozenset({
    "a", "an", "the", "of", "for", "and", "or", "with", "in", "on", "to", "by", "from", "as", "at", "its",
    "other", "others", "made", "type", "use", "used", "kind", "pcs", "pc", "set", "sets", "new",
})
_WORD = re.compile(r"[a-z][a-z\-']*[a-z]|[a-z]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def is_english(name: str) -> bool:
    return not _HAN.search(name) and bool(_WORD.search(name.lower()))


def _stem(word: str) -> str:
    word = word.replace("'s", "").strip("-'")
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("es") and word[-3] in "sxz":
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def words(value: str) -> list[str]:
    out = []
    for word in _WORD.findall(value.lower()):
        parts = word.split("-")
        if len(parts) > 1 and min(len(p) for p in parts) == 1:
            parts = ["".join(parts)]  # t-shirt, x-ray, o-ring: one word
        for part in parts:
            part = _stem(part)
            if len(part) >= 2 and part not in STOP:
                out.append(part)
    return out


def text_of(value: str) -> str:
    return " ".join(words(value))


@dataclass
class EnglishView:
    vectorizer: TfidfVectorizer
    rows: sparse.csr_matrix  # English names x features, grouped by code (``grouped``)
    names: list[str]
    starts: np.ndarray  # code index -> first row
    counts: np.ndarray  # code index -> number of rows
    labels: list[str] = field(default_factory=list)  # where each name comes from (for the reasons)

    @classmethod
    def build(cls, rows: list[tuple[str, int, str]], n_codes: int) -> EnglishView | None:
        """``rows``: (English name, code index, label: 归类词典, 海关预裁定 R-2-...)."""
        kept = sorted(((i, text_of(n), n, label) for n, i, label in rows if text_of(n)), key=lambda k: k[0])
        if not kept:
            return None
        vectorizer = TfidfVectorizer(analyzer="word", token_pattern=r"\S+", ngram_range=(1, 2), sublinear_tf=True,
                                     dtype=np.float32)
        matrix = sparse.csr_matrix(vectorizer.fit_transform([t for _, t, _, _ in kept]))
        starts, counts = grouped.layout(np.array([i for i, _, _, _ in kept]), n_codes)
        return cls(vectorizer, matrix, [n for _, _, n, _ in kept], starts, counts, [label for *_, label in kept])

    def known_words(self, latin: list[str]) -> list[str]:
        vocabulary = self.vectorizer.vocabulary_
        return [w for w in words(" ".join(latin)) if w in vocabulary]

    def vector(self, latin: list[str]) -> sparse.csr_matrix | None:
        query = text_of(" ".join(latin))
        vec = self.vectorizer.transform([query]) if query else None
        return vec if vec is not None and vec.nnz else None

    def best(self, vec: sparse.csr_matrix) -> np.ndarray:
        """Per code, the similarity of its best English name."""
        return grouped.best((self.rows @ vec.T).toarray().ravel(), self.starts, self.counts)

    def best_name(self, vec: sparse.csr_matrix, i: int) -> tuple[str, str, float] | None:
        """(label, name, similarity) of code ``i``'s English name most like ``vec``."""
        row, sim = grouped.best_row(self.rows, vec, int(self.starts[i]), int(self.counts[i]))
        return (self.labels[row], self.names[row], sim) if row >= 0 else None
