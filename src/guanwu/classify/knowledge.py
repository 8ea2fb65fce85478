"""General knowledge: which ten-digit codes a description looks like, from the tariff alone.

One TF-IDF model over character 1-3-grams (scikit-learn) of, for each ten-digit code, its tariff
name, its note (备注), its 检验检疫名称 rows and its names in the 归类词典 (``glossary``) and the
海关预裁定 (``rulings``); and a second view per 4-digit heading (all the
names under it), because the ten-digit names often omit what their heading says ("其他" ...).
A code's score blends the cosine similarity of the description to the code and to its heading.

Built in-process from the loaded tariff version (about 75-110 s for 11,988 codes, 22,475 CIQ
names, the glossary's 85,594 rows and 1,524 rulings, most of it the heading classifier,
``headings``), once per tariff version: the index is kept on disk
(``stored``) and a process starting up loads it, like the other in-process indexes of
``params.index`` held once per process; ``warm()`` loads or builds it ahead of the first request.
Nothing is downloaded: the model is the tariff.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from guanwu.params import index as params_index
from guanwu.params.models import CiqName

from . import (
    composition,
    english,
    glossary,
    grouped,
    headings,
    lexicon,
    lines,
    quantity,
    rules,
    rulings,
    state,
    stored,
    text,
)
from .packed import PackedPairs
from .tfidf import Tfidf

ITEM_WEIGHT = 0.75  # the rest goes to the heading view (0.6 before; 0.75 on the dev split)
# The names view: each name of a code on its own (tariff name, each 检验检疫名称, each
# 归类词典 row), a code scoring its best-matching name. A short description that is one known
# name scores high even when its code's document is long. Its share of the general score:
NAME_WEIGHT = 0.4  # on the dev split: 0.3 and 0.5 within 0.5 point of each other, 0 and 0.7 below
NGRAM_MIN = 1
NGRAM_MAX = 3  # 4 gained ~1 point on the dev split but put 男士纯棉针织圆领T恤 under 6109.90
CANDIDATES = 50
MATCH_MIN = 0.35  # a name this alike is worth naming in the reasons
# An English name (the 归类词典's English rows, word by word): the whole score of a description
# in English; beside a Chinese name, it adds this share, and only when at least two of its words
# are English goods words (a brand or a model number alone adds nothing).
ENGLISH_WEIGHT = 0.25
# The head prior: how often names ending in the description's head characters (机, 剂, 粉,
# 滤芯 ...) are names of each heading, over every tariff, CIQ and glossary name. It speaks when
# the words themselves are unknown (拓荒机 is some machine); its share of the general score:
HEAD_PRIOR_WEIGHT = 0.15  # dev split: +1.6 top-3 at 6 digits on CIQ words (0.3: +0.5), glossary names -0.2
# A size the description gives (750ml, 2.0L, 5kw, 25kg) inside a line's stated range adds this,
# outside it takes this off (sibling lines differ by a few hundredths otherwise)
QUANTITY_WEIGHT = 0.05
FIBRE_WEIGHT = 0.05  # a Section XI line whose fibre class is the one the description states
STATE_WEIGHT = 0.05  # a food line naming the state the description states (minus: naming only others)
# a line of a chapter the tariff's notes shut to the goods described (``doses``: a dosage form is
# no chapter 28/29 compound, a food supplement no chapter 30 medicament): law, not a leaning, so
# it outweighs every other view together and such a line is suggested after all others, if at all
EXCLUDED_WEIGHT = 2.0
# a waste-and-scrap or used-goods line (``condition``): minus when the description says nothing of
# waste or use, plus when it does
CONDITION_WEIGHT = 0.1
# a line of parts (plus) or of whole goods (minus) of chapters 84-90 when the description says it is a
# part (``machine_parts``). On the dev split's own rows (held-out names saying 配件/零件): top-1 at 6 digits
# 44.3 -> 66.3 %; 0.2 gave 74.0 % but took top-5 at 4 digits and the CIQ words down
PARTS_WEIGHT = 0.1
RULES = rules.VIEWS  # the views that read the tariff's rules (``rules``)
# the heading classifier (``headings``): dev split, held-out glossary names top-3 at 6 digits
# +2.5 points at 0.1 (0.2: +2.6 but CIQ words -0.8; 0.05: +1.4)
HEADING_MODEL_WEIGHT = 0.1
# the line classifier (``lines``): ranks the lines of a heading among themselves; a line at most
# LINE_MODEL_WEIGHT * LINE_FLOOR below its heading's best (dev split: weight 0.2/0.3 and floors
# 1.0/2.0 lost top-5; 0.2 with floor 0.25 is the same as 0.1 with 0.5)
LINE_MODEL_WEIGHT = 0.1
LINE_FLOOR = 0.5
HEAD_PRIOR_ALPHA = 3.0  # pseudo-count of the one-character suffix behind the two-character one
ENGLISH_MIN_WORDS = 2

_lock = threading.Lock()
_cache: dict[int, Knowledge] = {}
# goods trade words the tariff, a 检验检疫名称 or the 归类词典 uses itself (台灯, 轴承; not
# materials, which stay modifiers): kept in a description besides their expansion; those of the
# knowledge in ``_cache`` (set by ``current``, one tariff version at a time)
_known_trade_words: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Ciq:
    code: str
    name: str
    detail: str  # what tells it from the tariff name (the last parenthesised part)


# How much each part of a description counts in the general-knowledge query (see ``prepare``).
# A description is 商品名称 first, then 规格/申报要素. What the goods are (the head of the name:
# its last word, or what follows 用 in 自行车用链条) decides the heading; what they are made of
# (materials, Latin attribute words: 不锈钢, 硅胶, tpu, led) decides the subheading but must not
# pull the heading towards the material itself (不锈钢表带 is no steel product of chapter 72).
# So the heading view reads the head more and the modifiers less; the ten-digit view reads
# every word at full weight. Set on the dev split of ``benchmarks/dev_hs_suggest.py``
# (检验检疫名称 held out of the index) and by the design reasons above, never on the labelled
# evaluation set.
SPEC_WEIGHT = 1.0
HEAD_WEIGHT = 0.25  # heading view only
MODIFIER_WEIGHT = 0.35  # heading view; the ten-digit view reads modifiers at 1.0
HEAD_CHARS = 2
# At most this many of the first suggestions share a six-digit subheading before the next
# subheading gets a place (0: no limit): a broker choosing among five wants alternatives, not
# five 10-digit splits of one subheading. On the dev split 2 gained 1.3 points of top-3 at 6 digits
# for 0.9 of top-3 at 10 (1 gained 3.6 but lost 3.8 and 7.7 of top-5 at 10); top-1 is unchanged.
SUBHEADING_CAP = 2
_SEGMENTS = re.compile(r"[\s,，;；|、/]+")


@dataclass
class Query:
    """A description prepared for the indexes."""

    raw: str
    folded: str
    han: str  # the Chinese words left after the lexicon took its trade words
    typed: str  # all the Chinese words as typed (to find the enterprise's examples)
    latin: list[str]
    expansion: str
    trade_words: list[str]
    parts: list[tuple[str, str]] = field(default_factory=list)  # (kind, text): name, head, spec, modifier

    @property
    def meaningful(self) -> bool:
        return bool(self.han or self.expansion or self.latin)

    @property
    def index_text(self) -> str:
        return f"{self.han} {self.expansion}".strip()


def _head(name: str) -> str:
    """The head word of a goods name: what follows the last 用 (自行车用链条 -> 链条), else its
    last characters (智能手表表带 -> 表带)."""
    run = name.split()[-1] if name.split() else ""
    if "用" in run[:-1]:
        return run[run.rindex("用") + 1 :]
    return run[-HEAD_CHARS:]


def prepare(raw: str, keep: frozenset[str] | None = None) -> Query:
    """A description read for the indexes; ``keep``: the trade words kept besides their expansion
    (those of the knowledge in memory unless given)."""
    folded = composition.predominant(text.strip_element_boilerplate(text.strip_selling_words(text.fold(raw))))
    latin = text.latin_words(folded)
    keep = _known_trade_words if keep is None else keep
    rest, expansion, words = lexicon.expand(folded, latin, keep)
    parts: list[tuple[str, str]] = []
    modifiers: list[str] = []
    for segment in _SEGMENTS.split(folded):
        seg_rest, _, seg_words = lexicon.expand(segment, text.latin_words(segment), keep)
        goods = " ".join(lexicon.LEXICON[w] for w in seg_words if not lexicon.is_modifier(w))
        modifiers += [lexicon.LEXICON[w] for w in seg_words if lexicon.is_modifier(w)]
        seg_text = f"{text.han_text(seg_rest)} {goods}".strip()
        if not seg_text:
            continue  # only materials, Latin words or numbers: no name
        if parts:
            parts.append(("spec", seg_text))
            continue
        parts.append(("name", seg_text))
        # the head: a trade word that ends the name (手表保护套 -> 保护套, with the tariff's words),
        # else the name's own ending (the lexicon took no word of it)
        own = text.han_text(segment)
        ending = next((w for w in seg_words if not lexicon.is_modifier(w) and own.endswith(w)), None)
        head = f"{ending} {lexicon.LEXICON[ending]}" if ending else _head(own)
        if head and head != seg_text:  # a name that is its head already needs no second look
            parts.append(("head", head))
    if modifiers:
        parts.append(("modifier" if parts else "name", " ".join(modifiers)))
    return Query(raw=raw, folded=folded, han=text.han_text(rest), typed=text.han_text(folded), latin=latin,
                 expansion=expansion, trade_words=words, parts=parts)


def diversify(codes: list[str], cap: int | None = None) -> list[str]:
    """The codes in their order, except that a code whose six-digit subheading already has
    ``cap`` codes before it waits until the codes of other subheadings have had their place."""
    cap = SUBHEADING_CAP if cap is None else cap
    if cap <= 0:
        return list(codes)
    seen: dict[str, int] = {}
    first, later = [], []
    for code in codes:
        n = seen.get(code[:6], 0)
        (first if n < cap else later).append(code)
        seen[code[:6]] = n + 1
    return first + later


def weights() -> dict[str, float]:
    """The weight of each view in a code's score, from the constants above (read at each call,
    so that the dev split can try other values)."""
    blended = 1 - NAME_WEIGHT
    return {
        "item": blended * ITEM_WEIGHT, "heading": blended * (1 - ITEM_WEIGHT), "name": NAME_WEIGHT,
        "quantity": QUANTITY_WEIGHT, "fibre": FIBRE_WEIGHT, "state": STATE_WEIGHT, "prior": HEAD_PRIOR_WEIGHT,
        "heading_model": HEADING_MODEL_WEIGHT, "lines": LINE_MODEL_WEIGHT, "english": ENGLISH_WEIGHT,
        "excluded": EXCLUDED_WEIGHT, "condition": CONDITION_WEIGHT, "parts": PARTS_WEIGHT,
    }


def _detail(ciq_name: str, tariff_name: str) -> str:
    name = text.fold(ciq_name)
    if name.endswith(")") and "(" in name:
        return name[name.rindex("(") + 1 : -1]
    return name.replace(text.fold(tariff_name), "")


@dataclass
class Knowledge:
    version_id: int
    codes: list[str]
    names: list[str]
    tfidf: Tfidf  # the n-gram TF-IDF of names and descriptions (``tfidf``)
    # feature-major (features x codes): a query's n-grams read only their posting lists
    items_t: sparse.csr_matrix  # features x codes; each code's column L2-normalised
    headings_t: sparse.csr_matrix  # features x headings
    heading_of: np.ndarray  # code index -> heading row
    ciq: PackedPairs | None = None  # (CIQ code, detail) of each 检验检疫名称, grouped by code
    ciq_code_of: np.ndarray | None = None  # CIQ row -> code index (non-decreasing)
    fingerprint: str = ""  # of the tariff, CIQ and glossary text it was built from
    names_t: sparse.csr_matrix | None = None  # features x names (tariff, CIQ, glossary names)
    name_code: np.ndarray | None = None  # name row -> code index (non-decreasing: grouped by code)
    name_text: PackedPairs | None = None  # name row -> (label, name)
    english: english.EnglishView | None = None
    head_prior: HeadPrior | None = None
    heading_model: headings.HeadingModel | None = None
    line_model: lines.LineModel | None = None
    sized: dict[int, list[quantity.Range]] = field(default_factory=dict)  # code index -> stated ranges
    fibre_lines: dict[str, np.ndarray] = field(default_factory=dict)  # fibre class -> code indices agreeing
    state_lines: dict[str, np.ndarray] = field(default_factory=dict)  # food state -> +1/-1/0 per code
    trade_words: frozenset[str] = frozenset()  # lexicon words its own names use (kept in descriptions)
    _name_count: np.ndarray = field(init=False, repr=False)
    _code_index: dict[str, int] = field(init=False, repr=False)
    _name_start: np.ndarray = field(init=False, repr=False)
    _ciq_start: np.ndarray = field(init=False, repr=False)
    _ciq_count: np.ndarray = field(init=False, repr=False)
    _rules: rules.Rules = field(init=False, repr=False)  # what each line is to the tariff's rules

    def __post_init__(self) -> None:
        name_code = self.name_code if self.name_code is not None else np.zeros(0, dtype=np.int64)
        self._code_index = {c: i for i, c in enumerate(self.codes)}
        self._name_start, self._name_count = grouped.layout(name_code, len(self.codes))
        ciq_code_of = self.ciq_code_of if self.ciq_code_of is not None else np.zeros(0, dtype=np.int64)
        self._ciq_start, self._ciq_count = grouped.layout(ciq_code_of, len(self.codes))
        self._rules = rules.Rules.of(self.codes, self.names)

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        return self.tfidf.transform(texts)

    def vector(self, query: Query) -> sparse.csr_matrix | None:
        if not query.index_text:
            return None
        vec = self.transform([query.index_text])
        return vec if vec.nnz else None

    def _views(self, query: Query) -> tuple[sparse.csr_matrix, sparse.csr_matrix] | None:
        """The query for the ten-digit view (every word of the description, as one text) and for
        the heading view (the words that name the goods, plus their head and the modifiers, each
        part with its weight), both L2-normalised."""
        if not query.index_text:
            return None
        core = " ".join(t for k, t in query.parts if k in ("name", "spec"))
        head = " ".join(t for k, t in query.parts if k == "head")
        modifiers = " ".join(t for k, t in query.parts if k == "modifier")
        if not core or not (head or modifiers):
            item = self.vector(query)
            return (item, item) if item is not None else None
        mat = self.transform([query.index_text, core, head, modifiers])
        item = mat[0]
        if not item.nnz:
            return None
        weights = sparse.csr_matrix(np.array([[1.0, HEAD_WEIGHT, MODIFIER_WEIGHT]], dtype=np.float32))
        heading = normalize(weights @ mat[1:])
        return item, (heading if heading.nnz else item)

    def _english(self, query: Query) -> sparse.csr_matrix | None:
        """The English query vector, when the description is English or carries an English name."""
        if self.english is None or not query.latin:
            return None
        if query.index_text and len(self.english.known_words(query.latin)) < ENGLISH_MIN_WORDS:
            return None
        return self.english.vector(query.latin)

    def scores(self, query: Query) -> np.ndarray | None:
        """Per code, the weighted sum of the views' evidence (``evidence``, ``weights``)."""
        parts = self.evidence(query)
        if parts is None:
            return None
        w = weights()
        if set(parts) - RULES == {"english"}:
            w["english"] = 1.0  # a description in English only: that view alone (and the rules), at full weight
        total = np.zeros(len(self.codes), dtype=np.float32)
        for name, value in parts.items():
            total += w[name] * value
        return total

    def evidence(self, query: Query) -> dict[str, np.ndarray] | None:
        """What each view says of each code: the ten-digit view (``item``), the heading view
        (``heading``), the best-matching name (``name``), a stated size (``quantity``), fibre
        (``fibre``) or food state (``state``) agreeing with the line, a chapter the notes shut to
        the goods (``excluded``: -1), a waste or used-goods line for or against what the description
        says (``condition``), parts lines for and whole machines against when it says it is a part
        (``parts``; these three: ``rules``), the head prior (``prior``), the heading and line
        classifiers (``heading_model``, ``lines``) and the English view (``english``). Views with
        nothing to say are left out."""
        views = self._views(query)
        en_vec = self._english(query)
        parts: dict[str, np.ndarray] = {}
        if en_vec is not None and self.english is not None:
            parts["english"] = self.english.best(en_vec)
        if views is None:
            if parts:
                parts.update(self._rules.evidence(query.folded))
            return parts or None
        n = len(self.codes)
        # query x (features x codes): only the posting lists of the query's n-grams are read
        parts["item"] = (views[0] @ self.items_t).toarray().ravel()
        parts["heading"] = (views[1] @ self.headings_t).toarray().ravel()[self.heading_of]
        if self.names_t is not None:
            sims = (views[0] @ self.names_t).toarray().ravel()
            parts["name"] = grouped.best(sims, self._name_start, self._name_count)
        given = quantity.amounts(query.folded) if self.sized else {}
        if given:
            fit = np.zeros(n, dtype=np.float32)
            for i, stated in self.sized.items():
                fit[i] = quantity.fit(stated, given)
            parts["quantity"] = fit
        fibre = composition.stated(query.folded) if self.fibre_lines else None
        if fibre is not None and fibre in self.fibre_lines:
            agree = np.zeros(n, dtype=np.float32)
            agree[self.fibre_lines[fibre]] = 1.0
            parts["fibre"] = agree
        said = state.stated(query.folded) if self.state_lines else None
        if said is not None:
            parts["state"] = self.state_lines[said]
        parts.update(self._rules.evidence(query.folded))
        prior = self.head_prior.probabilities(query.raw) if self.head_prior is not None else None
        if prior is not None:
            parts["prior"] = prior[self.heading_of]
        if self.heading_model is not None:
            parts["heading_model"] = self.heading_model.scores(views[0])[self.heading_of]
        if self.line_model is not None:
            parts["lines"] = np.maximum(self.line_model.scores(views[0]), -LINE_FLOOR)
        return parts

    def rule_reason(self, query: Query, code: str) -> str | None:
        """The tariff's rule that speaks for a suggested line, in the broker's words (``rules``)."""
        i = self._code_index.get(code)
        return None if i is None else self._rules.reason(query.folded, i, code)

    def matched_names(self, query: Query, codes: list[str]) -> dict[str, tuple[str, str]]:
        """For each code, the (label, name) of its name the description resembles most (for the
        reasons shown to the broker); a code none of whose names shares a word is left out."""
        vec = self.vector(query)
        en_vec = self._english(query)
        sims = (vec @ self.names_t).toarray().ravel() if vec is not None and self.names_t is not None else None
        out = {}
        for code in codes:
            i = self._code_index.get(code)
            if i is None:
                continue
            row, sim = (-1, 0.0)
            start, count = int(self._name_start[i]), int(self._name_count[i])
            if sims is not None and count:
                row = start + int(np.argmax(sims[start:start + count]))
                sim = float(sims[row])
            if row >= 0 and sim >= MATCH_MIN and self.name_text is not None:
                out[code] = self.name_text[row]
            elif en_vec is not None and self.english is not None:
                english_name = self.english.best_name(en_vec, i)  # (label, name, similarity)
                if english_name is not None and english_name[2] >= MATCH_MIN:
                    out[code] = english_name[:2]
        return out

    def top(self, query: Query, limit: int = CANDIDATES) -> list[tuple[str, float]]:
        scores = self.scores(query)
        if scores is None:
            return []
        limit = min(limit, len(scores))
        best = np.argpartition(-scores, limit - 1)[:limit]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(self.codes[i], float(scores[i])) for i in best if scores[i] > 0]

    def similarity(self, query: Query, texts: list[str]) -> np.ndarray:
        """Cosine similarity of the description to each text (the enterprise's examples)."""
        vec = self.vector(query)
        if vec is None or not texts:
            return np.zeros(len(texts))
        prepared = [prepare(t) for t in texts]
        mat = self.transform([p.index_text or " " for p in prepared])
        return (mat @ vec.T).toarray().ravel()

    def ciq_for(self, code_ts: str, query: Query) -> str:
        """The CIQ code whose 检验检疫名称 fits the description best; the only one when there is one."""
        i = self._code_index.get(code_ts)
        if i is None or self.ciq is None:
            return ""
        start = int(self._ciq_start[i])
        rows = [self.ciq[j] for j in range(start, start + int(self._ciq_count[i]))]  # (CIQ code, detail)
        if len(rows) == 1:
            return rows[0][0]
        best, best_overlap = "", 0
        chars = set(query.han.replace(" ", "")) | set(query.expansion.replace(" ", ""))
        for ciq_code, detail in rows:
            overlap = len(chars & set(detail))
            if overlap > best_overlap:
                best, best_overlap = ciq_code, overlap
        return best


def head_of(name: str) -> str:
    """The head characters of a goods name: of its first segment (the name before 规格), what
    follows 用, else the last characters (see ``_head``)."""
    first = next((seg for seg in _SEGMENTS.split(text.fold(name)) if text.han_text(seg)), "")
    return _head(text.han_text(first))


@dataclass
class HeadPrior:
    """P(heading | last one or two head characters), counted over names: one row of counts per
    suffix (one matrix rather than a pair of arrays per suffix: ~18,000 suffixes)."""

    n_headings: int
    rows: dict[str, int]  # suffix -> row of ``counts``
    counts: sparse.csr_matrix  # suffixes x headings

    @classmethod
    def build(cls, names: list[tuple[str, int]], n_headings: int) -> HeadPrior:
        """``names``: (name, heading row)."""
        counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for name, heading in names:
            head = head_of(name)
            for suffix in {head[-1:], head[-2:]} - {""}:
                counts[suffix][heading] += 1
        rows = {suffix: row for row, suffix in enumerate(counts)}
        indptr = np.cumsum([0, *(len(by) for by in counts.values())])
        indices = np.fromiter((h for by in counts.values() for h in by), dtype=np.int32, count=int(indptr[-1]))
        values = np.fromiter((n for by in counts.values() for n in by.values()), dtype=np.float32,
                             count=int(indptr[-1]))
        return cls(n_headings, rows, sparse.csr_matrix((values, indices, indptr), shape=(len(rows), n_headings)))

    def _row(self, suffix: str) -> tuple[np.ndarray, np.ndarray] | None:
        row = self.rows.get(suffix)
        if row is None:
            return None
        start, end = self.counts.indptr[row], self.counts.indptr[row + 1]
        return self.counts.indices[start:end], self.counts.data[start:end]

    def probabilities(self, description: str) -> np.ndarray | None:
        head = head_of(description)
        one = self._row(head[-1:]) if head else None
        if one is None:
            return None
        p = np.zeros(self.n_headings, dtype=np.float32)
        p[one[0]] = one[1] / one[1].sum()
        two = self._row(head[-2:]) if len(head) >= 2 else None
        if two is not None:
            p *= HEAD_PRIOR_ALPHA
            p[two[0]] += two[1]
            p /= HEAD_PRIOR_ALPHA + two[1].sum()
        return p


def _analyzer() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(NGRAM_MIN, NGRAM_MAX), sublinear_tf=True, min_df=1,
                           dtype=np.float32)


def _inputs(version_id: int) -> tuple[list, list[tuple[str, str, str]], list[tuple[str, str, str]], str]:
    """The tariff items, CIQ rows and named rows (``named``: the glossary's and the rulings') of a
    version, and a fingerprint of their text."""
    tariff = params_index.tariff_by_version(version_id)
    items = tariff.items if tariff else []
    rows = list(
        CiqName.objects.filter(version_id=version_id).exclude(status="作废")
        .order_by("code_ts", "ciq_code").values_list("code_ts", "ciq_code", "name")
    )
    digest = hashlib.sha256()
    for t in items:
        digest.update(f"{t.code_ts}\t{t.name}\t{t.note}\n".encode())
    for row in rows:
        digest.update("\t".join(row).encode() + b"\n")
    digest.update(glossary.digest().encode())
    digest.update(rulings.digest().encode())
    return items, rows, named(), digest.hexdigest()


def named() -> list[tuple[str, str, str]]:
    """(name, code, label) of the names the product ships beside the tariff and CIQ tables: the
    归类词典's (ten digits) and the 海关预裁定's (eight digits, read as every line under them)."""
    return [(n, c, glossary.LABEL) for n, c in glossary.rows()] + [
        (n, c, rulings.label(no)) for n, c, no in (*rulings.rows(), *rulings.english_rows())
    ]


def _names(items: list, ciq: dict[str, list[Ciq]], words: dict[str, list[tuple[str, str]]],
           keep: frozenset[str]) -> tuple[list[str], list[int], list[tuple[str, str]]]:
    """The names view's rows: (text, code index, (label, name)) of each distinct name of a code."""
    texts, code_rows, shown = [], [], []
    for i, t in enumerate(items):
        names = [("税则名称", t.name)] + [("检验检疫名称", c.name) for c in ciq.get(t.code_ts, ())]
        names += words.get(t.code_ts, [])
        seen: set[str] = set()
        for label, name in names:
            value = prepare(name, keep).index_text
            if value and value not in seen:
                seen.add(value)
                texts.append(value)
                code_rows.append(i)
                shown.append((label, name))
    return texts, code_rows, shown


def build(version_id: int, inputs: tuple | None = None) -> Knowledge:
    items, rows, named_rows, fingerprint = inputs or _inputs(version_id)
    ciq: dict[str, list[Ciq]] = defaultdict(list)
    names_by_code = {t.code_ts: t.name for t in items}
    for code, ciq_code, name in rows:
        ciq[code].append(Ciq(ciq_code, name, _detail(name, names_by_code.get(code, ""))))
    lines_sorted = sorted(names_by_code)
    words: dict[str, list[tuple[str, str]]] = defaultdict(list)  # code -> (label, name)
    english_rows: list[tuple[str, str, str]] = []  # (name, code, label)
    for name, code, label in named_rows:
        for line in rulings.lines_of(code, lines_sorted, names_by_code) if len(code) == 8 else [code]:
            if line not in names_by_code:
                continue
            if english.is_english(name):
                english_rows.append((name, line, label))
            else:
                words[line].append((label, name))
    codes, docs = [], []
    for t in items:
        base = text.han_text(text.fold(f"{t.name} {t.name} {t.note}"))
        details = " ".join(dict.fromkeys(c.detail for c in ciq.get(t.code_ts, ()) if c.detail))
        trade = " ".join(name for _, name in words.get(t.code_ts, ()))
        doc = f"{base} {text.han_text(details)} {text.han_text(text.fold(trade))}".strip()
        codes.append(t.code_ts)
        docs.append(doc)
    corpus = "\n".join(docs)
    trade_words = frozenset(k for k in lexicon.LEXICON if not lexicon.is_modifier(k) and k in corpus)
    heading_codes = sorted({c[:4] for c in codes})
    heading_row = {h: i for i, h in enumerate(heading_codes)}
    vectorizer = _analyzer()
    item_matrix = sparse.csr_matrix(vectorizer.fit_transform(docs or ["空"]))
    # a heading's view: the normalised sum of its codes' vectors (no second pass over the text)
    heading_of = np.array([heading_row[c[:4]] for c in codes], dtype=np.int32)
    members = sparse.csr_matrix(
        (np.ones(len(codes), dtype=np.float32), (heading_of, np.arange(len(codes)))),
        shape=(len(heading_codes), len(codes)),
    )
    heading_matrix = sparse.csr_matrix(normalize(members @ item_matrix))
    name_texts, name_code, name_text = _names(items, ciq, words, trade_words)
    code_index = {c: i for i, c in enumerate(codes)}
    name_rows = sparse.csr_matrix(vectorizer.transform(name_texts)) if name_texts else None
    ciq_rows = [(i, row.code, row.detail) for i, c in enumerate(codes) for row in ciq.get(c, ())]
    return Knowledge(
        version_id=version_id, codes=codes, names=[t.name for t in items], tfidf=Tfidf.of(vectorizer),
        items_t=sparse.csr_matrix(item_matrix.T), headings_t=sparse.csr_matrix(heading_matrix.T),
        heading_of=heading_of, fingerprint=fingerprint, trade_words=trade_words,
        ciq=PackedPairs.of((code, detail) for _, code, detail in ciq_rows),
        ciq_code_of=np.array([i for i, _, _ in ciq_rows], dtype=np.int64),
        names_t=sparse.csr_matrix(name_rows.T) if name_rows is not None else None,
        name_code=np.array(name_code, dtype=np.int64), name_text=PackedPairs.of(name_text),
        sized={i: r for i, t in enumerate(items) if (r := quantity.ranges(t.name, t.note))},
        fibre_lines=_fibre_lines(items), state_lines=_state_lines(items),
        english=english.EnglishView.build([(n, code_index[c], label) for n, c, label in english_rows], len(codes)),
        head_prior=HeadPrior.build(
            [(shown, int(heading_of[i])) for (_, shown), i in zip(name_text, name_code, strict=True)],
            len(heading_codes),
        ),
        heading_model=headings.HeadingModel.train(
            name_rows, heading_of[np.array(name_code, dtype=np.int64)], len(heading_codes)
        ) if name_rows is not None else None,
        line_model=lines.LineModel.train(name_rows, np.array(name_code, dtype=np.int64), heading_of)
        if name_rows is not None else None,
    )


def _fibre_lines(items: list) -> dict[str, np.ndarray]:
    """For each fibre class a description can state, the Section XI lines split by that class."""
    line_class = {i: c for i, t in enumerate(items) if (c := composition.of_tariff_name(t.code_ts, t.name))}
    return {
        fibre: np.array(sorted(i for i, c in line_class.items() if composition.agrees(fibre, c)), dtype=np.int64)
        for fibre in sorted(set(composition.CLASS_OF_HEADING.values()))
    }


def _state_lines(items: list) -> dict[str, np.ndarray]:
    """For each food state a description can state, +1 for the lines naming it, -1 for the lines
    naming only other states, 0 for the rest (``state``)."""
    named = [state.of_tariff_name(t.code_ts, t.name) for t in items]
    return {
        said: np.array([1.0 if said in n else -1.0 if n else 0.0 for n in named], dtype=np.float32)
        for said in (state.FRESH, state.FROZEN, state.DRIED, state.SALTED, state.SMOKED)
    }


def current(build_missing: bool = True) -> Knowledge | None:
    """The knowledge of the tariff in force today (built on first use per tariff version; a
    version reloaded with the same text reuses the index: only its fingerprint is computed).
    With ``build_missing`` False, an index neither in memory nor on disk is not built: None."""
    version_id = params_index.version_for()
    if version_id is None:
        return None
    known = _cache.get(version_id)
    if known is not None:
        return known
    with _lock:
        known = _cache.get(version_id)
        if known is None:
            inputs = _inputs(version_id)
            previous = next(iter(_cache.values()), None)
            if previous is not None and previous.fingerprint == inputs[3]:
                known = replace(previous, version_id=version_id)
            else:
                with stored.lock():
                    kept = stored.load(inputs[3], Knowledge)
                    if kept is not None:
                        known = replace(kept, version_id=version_id)
                    elif not build_missing:
                        return None
                    else:
                        known = build(version_id, inputs)
                        stored.store(known)
            _cache.clear()  # one tariff version at a time in memory
            _cache[version_id] = known
            use(known)
    return known


def use(known: Knowledge) -> None:
    """Read descriptions with the trade words of ``known`` from now on (``current`` calls it for
    the knowledge it keeps; the dev split for the index it builds)."""
    global _known_trade_words
    _known_trade_words = known.trade_words


def warm(say: Callable[[str], None] | None = None) -> Knowledge | None:
    """Build or load the index now (``guanwu classify_index``, a web worker starting, ``guanwu
    loadparams``) rather than on the first suggestion; ``say`` is told what was done."""
    started = time.perf_counter()
    known = current()
    if known is not None and say is not None:
        where = stored.path_for(known.fingerprint) if stored.enabled() else "仅在内存中"
        say(f"智能归类索引已就绪: {len(known.codes)} 个商品编码, 用时 {time.perf_counter() - started:.1f} 秒 ({where})")
    return known
