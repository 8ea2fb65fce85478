"""Where examples (a description with its code and 申报要素) come from.

An ``ExampleSource`` answers two questions for one enterprise:

- ``candidates``: examples whose text may resemble a description (a cheap pre-filter; the
  services score them);
- ``for_code``: examples of one code, whose 申报要素 values become proposals (智能回填).

Sources now: the enterprise's commodity library (``CommodityLibrarySource``: it learns every
accepted and released declaration's goods, and holds what the enterprise imported or keyed), the
suggestions its users accepted (``AcceptedSource``), and the public 规范申报 library of issue 17
(``PublicLibrarySource``), ranked after the enterprise's own ones. Every source filters by the
enterprise it is given: another enterprise's examples never come back, except the 规范 rows an
enterprise left public, and only their public fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.db.models import Q

from guanwu.core import fulltext
from guanwu.datacenter.commodities import search as commodity_search
from guanwu.datacenter.commodities.models import Commodity
from guanwu.standards.services import access, public

from .knowledge import Query
from .models import AcceptedSuggestion

CANDIDATE_LIMIT = 80
MAX_PIECES = 12

OWN = "own"  # the enterprise's own history
PUBLIC = "public"  # the public 规范申报 library (issue 17)


@dataclass(frozen=True)
class Example:
    text: str  # what is compared with a description: name (+ 规格型号)
    code_ts: str
    g_model: str  # the 申报要素 values, "|"-separated ("" when unknown)
    uses: int  # how often the enterprise used it
    tier: str  # OWN or PUBLIC
    label: str  # for the reasons: "本企业商品库", "已采纳的建议", "规范申报公共库"


class ExampleSource(Protocol):
    tier: str
    label: str

    def candidates(self, enterprise_id: int, query: Query, limit: int = CANDIDATE_LIMIT) -> list[Example]: ...

    def for_code(self, enterprise_id: int, code_ts: str, limit: int = 200) -> list[Example]: ...


def pieces(query: Query) -> tuple[list[str], list[str]]:
    """Bigrams of the Chinese part (single characters of one-character runs) and Latin words:
    an example sharing any of them is a candidate."""
    grams: list[str] = []
    for run in query.typed.split():
        if len(run) == 1:
            grams.append(run)
        grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    grams = list(dict.fromkeys(grams))[:MAX_PIECES]
    words = list(dict.fromkeys(w for w in query.latin if len(w) >= 2))[:4]
    return grams, words


class CommodityLibrarySource:
    """商品数据库: learned from accepted and released declarations, imported or keyed by hand."""

    tier = OWN
    label = "本企业商品库"

    def candidates(self, enterprise_id: int, query: Query, limit: int = CANDIDATE_LIMIT) -> list[Example]:
        grams, words = pieces(query)
        terms = [t for g in grams + words for t in commodity_search.query_terms(enterprise_id, g)]
        if not terms:
            return []
        ids = fulltext.match_ids(Commodity.objects.all(), Commodity._meta.db_table, "search", terms, limit,
                                 any_term=True)
        qs = Commodity.objects.filter(enterprise_id=enterprise_id, pk__in=ids).exclude(code_ts="")
        return [self._example(*row) for row in qs.values_list("g_name", "g_model", "code_ts", "usage_count")]

    def for_code(self, enterprise_id: int, code_ts: str, limit: int = 200) -> list[Example]:
        rows = (
            Commodity.objects.filter(enterprise_id=enterprise_id, code_ts=code_ts)
            .order_by("-usage_count", "-updated_at", "-id")
            .values_list("g_name", "g_model", "code_ts", "usage_count")[:limit]
        )
        return [self._example(*row) for row in rows]

    def _example(self, g_name: str, g_model: str, code_ts: str, uses: int) -> Example:
        return Example(text=g_name, code_ts=code_ts, g_model=g_model or "", uses=max(1, uses or 0), tier=self.tier,
                       label=self.label)


class AcceptedSource:
    """Suggestions the enterprise's users accepted (one example per description and code)."""

    tier = OWN
    label = "已采纳的建议"

    def candidates(self, enterprise_id: int, query: Query, limit: int = CANDIDATE_LIMIT) -> list[Example]:
        grams, words = pieces(query)
        if not grams and not words:
            return []
        cond = Q()
        for g in grams + words:
            cond |= Q(description__contains=g)
        rows = (
            AcceptedSuggestion.objects.filter(enterprise_id=enterprise_id).filter(cond)
            .order_by("-accepted_at", "-id").values_list("description", "code_ts", "times")[:limit]
        )
        return [Example(text=d, code_ts=c, g_model="", uses=n, tier=self.tier, label=self.label) for d, c, n in rows]

    def for_code(self, enterprise_id: int, code_ts: str, limit: int = 200) -> list[Example]:
        return []  # an accepted suggestion carries no 申报要素


class PublicLibrarySource:
    """规范申报公共库 (issue 17): the 规范 rows enterprises left public, shared by all enterprises
    (``tier = PUBLIC``, ranked after the enterprise's own examples). Only the public fields (商品编码,
    商品名称, 申报要素) are read, and only for an enterprise that confirmed the library's
    authorisation (``standards.services.access``): before that it answers nothing, as the library's
    own pages refuse."""

    tier = PUBLIC
    label = "规范申报公共库"

    def candidates(self, enterprise_id: int, query: Query, limit: int = CANDIDATE_LIMIT) -> list[Example]:
        grams, words = pieces(query)
        if not (grams or words) or not access.is_authorised(enterprise_id):
            return []
        return [self._example(row) for row in public.similar(grams + words, limit)]

    def for_code(self, enterprise_id: int, code_ts: str, limit: int = 200) -> list[Example]:
        if not access.is_authorised(enterprise_id):
            return []
        return [self._example({**row, "code_ts": code_ts}) for row in public.examples(code_ts, limit)]

    def _example(self, row: dict) -> Example:
        return Example(text=row["g_name"], code_ts=row["code_ts"], g_model=row.get("g_model") or "", uses=1,
                       tier=self.tier, label=self.label)


SOURCES: list[ExampleSource] = [CommodityLibrarySource(), AcceptedSource(), PublicLibrarySource()]
