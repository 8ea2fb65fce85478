"""English names: a description written in English (``men's cotton knitted t-shirt``) or one
with an English name beside the Chinese, read word by word against the 归类词典's English rows.

The tariff in memory has Chinese names only, so the English view knows what the glossary's
English rows teach it (as on commercial invoices: ``stainless steel vacuum flask``, ``car brake
pads``). Words are lower case, plural ``s`` folded; little words (of, for, with ...) and units
carry no class. TF-IDF over words and word pairs; a code scores its best-matching English name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

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
    rows: sparse.csr_matrix  # English names x features
    names: list[str]
    code_of: np.ndarray  # name row -> code index

    @classmethod
    def build(cls, pairs: list[tuple[str, int]]) -> EnglishView | None:
        """``pairs``: (English name, code index)."""
        kept = [(text_of(n), n, i) for n, i in pairs if text_of(n)]
        if not kept:
            return None
        vectorizer = TfidfVectorizer(analyzer="word", token_pattern=r"\S+", ngram_range=(1, 2), sublinear_tf=True,
                                     dtype=np.float32)
        rows = sparse.csr_matrix(vectorizer.fit_transform([t for t, _, _ in kept]))
        return cls(vectorizer, rows, [n for _, n, _ in kept], np.array([i for _, _, i in kept], dtype=np.int64))

    def known_words(self, latin: list[str]) -> list[str]:
        vocabulary = self.vectorizer.vocabulary_
        return [w for w in words(" ".join(latin)) if w in vocabulary]

    def best(self, latin: list[str], n_codes: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Per code, the similarity of its best English name and that name's row (-1: none)."""
        query = text_of(" ".join(latin))
        if not query:
            return None
        vec = self.vectorizer.transform([query])
        if not vec.nnz:
            return None
        sims = sparse.csr_matrix(self.rows @ vec.T).tocoo()
        best = np.zeros(n_codes, dtype=np.float32)
        row = np.full(n_codes, -1, dtype=np.int64)
        order = np.argsort(sims.data, kind="stable")  # few rows share an English word: small
        rows, values = sims.row[order], sims.data[order]
        best[self.code_of[rows]] = values
        row[self.code_of[rows]] = rows
        return best, row
