"""Suggest HS codes for a goods description; learn accepted choices; propose 申报要素 values.

Ranking, in tiers (a higher tier always ranks first):

1. the enterprise's own history: an example of its commodity library (learned from its
   declarations, imported, keyed) or an accepted suggestion whose text resembles the
   description (cosine of character n-grams >= ``OWN_MIN``);
2. the public 规范申报 library (issue 17), the same way, once it exists;
3. general knowledge: the tariff names, notes and 检验检疫名称 (``knowledge``).

Scores are in [0, 1]: tier 1 in [0.6, 1], tier 2 in [0.45, 0.75], tier 3 below 0.6 (cosine
similarity scaled). Only codes of the tariff in force are answered: a code the enterprise used
that the tariff no longer has is left out.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, NotFound, ServiceError
from guanwu.params import services as params
from guanwu.tenancy.context import Actor

from . import knowledge
from .knowledge import Query
from .models import AcceptedSuggestion
from .sources import OWN, PUBLIC, SOURCES, Example

MAX_LIMIT = 10
MAX_TEXT = 1000  # longer is no goods description (a pasted document): nothing to suggest
OWN_MIN = 0.45  # how alike an example must be to count as the enterprise's own evidence
MAX_REASONS = 3
MAX_PROPOSALS = 3


@dataclass
class Suggestion:
    code_ts: str
    name: str
    score: float
    ciq_code: str
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"code_ts": self.code_ts, "name": self.name, "score": round(self.score, 4),
                "ciq_code": self.ciq_code, "reasons": self.reasons}


def _evidence(enterprise_id: int, query: Query, known: knowledge.Knowledge) -> dict[str, tuple[str, float, list]]:
    """code -> (tier, best similarity, examples) from the sources, for examples alike enough."""
    examples: list[Example] = []
    for source in SOURCES:
        examples.extend(source.candidates(enterprise_id, query))
    if not examples:
        return {}
    sims = known.similarity(query, [e.text for e in examples])
    folded = query.folded.strip()
    found: dict[str, tuple[str, float, list]] = {}
    for example, sim in zip(examples, sims, strict=True):
        if knowledge.text.fold(example.text).strip() == folded:
            sim = 1.0
        if sim < OWN_MIN:
            continue
        sim = min(1.0, float(sim) + min(0.05, math.log1p(example.uses) / 100))
        tier, best, kept = found.get(example.code_ts, (example.tier, 0.0, []))
        if example.tier == OWN:
            tier = OWN
        kept.append((sim, example))
        found[example.code_ts] = (tier, max(best, sim), kept)
    return found


def _reason_for(example: Example) -> str:
    uses = f", 使用 {example.uses} 次" if example.uses > 1 else ""
    return f"{example.label}: {example.text}{uses}"


def _word_reasons(query: Query, name: str) -> str | None:
    folded_name = knowledge.text.fold(name)
    words = [w for w in dict.fromkeys(query.han.split()) if w and w in folded_name]
    shared = [ch for ch in dict.fromkeys(query.han.replace(" ", "")) if ch in folded_name]
    if words:
        return "税则名称含: " + "、".join(words)
    if len(shared) >= 2:
        return "与税则名称相同的字: " + "".join(shared[:8])
    return None


def suggest(enterprise_id: int | None, q: str, limit: int = 5) -> list[Suggestion]:
    """The best ``limit`` ten-digit codes for a description (an empty list when it says nothing
    classifiable: empty, emoji, punctuation). ``enterprise_id`` None: general knowledge only."""
    limit = max(1, min(int(limit or 5), MAX_LIMIT))
    if not q or len(q) > MAX_TEXT:
        return []
    known = knowledge.current()  # first: it sets the trade words the descriptions keep
    if known is None:
        return []
    query = knowledge.prepare(q)
    if not query.meaningful:
        return []
    general = dict(known.top(query))
    evidence = _evidence(enterprise_id, query, known) if enterprise_id else {}
    ranked: dict[str, float] = {}
    for code, (tier, sim, _) in evidence.items():
        ranked[code] = (0.6 + 0.4 * sim) if tier == OWN else (0.45 + 0.3 * sim)
    for code, score in general.items():
        ranked.setdefault(code, 0.6 * min(1.0, score))
    order = [code for code, _ in sorted(ranked.items(), key=lambda kv: (-kv[1], kv[0]))]
    # general knowledge alone gives alternatives from several subheadings; evidence keeps its place
    slots = [i for i, code in enumerate(order) if code not in evidence]
    for i, code in zip(slots, knowledge.diversify([order[i] for i in slots]), strict=True):
        order[i] = code
    matched = known.matched_names(query, [c for c in order[: limit * 3] if c not in evidence])
    out: list[Suggestion] = []
    for code in order:
        score = ranked[code]
        tariff = params.tariff_item(code)
        if tariff is None:
            continue
        reasons: list[str] = []
        if code in evidence:
            examples = sorted(evidence[code][2], key=lambda se: (-se[0], -se[1].uses))
            reasons += [_reason_for(e) for _, e in examples[:2]]
        if code in matched and matched[code][0] != "税则名称":
            reasons.append("{}: {}".format(*matched[code]))
        rule = known.rule_reason(query, code)
        if rule:
            reasons.append(rule)
        if query.trade_words and any(w in knowledge.text.fold(tariff.name) for w in query.expansion.split()):
            reasons.append("商品常用名对应: " + "、".join(query.trade_words[:4]))
        word_reason = _word_reasons(query, tariff.name)
        if word_reason:
            reasons.append(word_reason)
        if not reasons:
            reasons.append("与税则及检验检疫名称相似")
        out.append(Suggestion(code_ts=code, name=tariff.name, score=score, ciq_code=known.ciq_for(code, query),
                              reasons=reasons[:MAX_REASONS]))
        if len(out) >= limit:
            break
    return out


def suggest_for(actor: Actor, q: str, limit: int = 5) -> list[Suggestion]:
    return suggest(actor.enterprise.pk, q, limit)


def accept(actor: Actor, description: str, code_ts: str) -> AcceptedSuggestion:
    """The user chose ``code_ts`` for ``description``: an example of the enterprise from now on."""
    text = " ".join(knowledge.text.fold(description).split())[:255]
    code = (code_ts or "").strip()
    errors = []
    if not knowledge.text.has_meaning(text):
        errors.append(FieldError("description", "商品描述不能为空"))
    if params.tariff_item(code) is None:
        errors.append(FieldError("code_ts", f"商品编号不存在: {code}" if code else "商品编号不能为空"))
    if errors:
        raise ServiceError.fields(errors)
    for _ in range(2):  # a second tab accepting the same pair at the same moment: count it once more
        try:
            with transaction.atomic():
                row, created = AcceptedSuggestion.objects.select_for_update().get_or_create(
                    enterprise=actor.enterprise, description=text, code_ts=code,
                    defaults={"accepted_by": actor.user},
                )
                if not created:
                    AcceptedSuggestion.objects.filter(pk=row.pk).update(times=F("times") + 1, accepted_by=actor.user)
                    row.refresh_from_db()
                audit.record(actor, row, "采纳归类建议", changes={"description": text, "code_ts": code})
                return row
        except IntegrityError:
            continue
    raise ServiceError("保存失败, 请重试")


@dataclass
class Proposal:
    value: str
    count: int
    source: str

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "count": self.count, "source": self.source}


def element_proposals(enterprise_id: int, code_ts: str) -> dict[str, Any]:
    """智能回填 for a chosen code: legal units, the 申报要素 names in order, and for each element
    the values the enterprise's own examples of that code used (most used first), then the
    public library's; each a proposal the user accepts or not."""
    tariff = params.tariff_item(code_ts)
    if tariff is None:
        raise NotFound(f"商品编号不存在: {code_ts}")
    counts: list[dict[tuple[str, str], int]] = [defaultdict(int) for _ in tariff.elements]
    n = len(tariff.elements)
    for source in SOURCES:
        for example in source.for_code(enterprise_id, tariff.code_ts):
            values = example.g_model.split("|") if example.g_model else []
            if len(values) != n:
                continue  # written for another element list: its positions mean other things
            for i, value in enumerate(values):
                value = value.strip()
                if value:
                    counts[i][(value, example.label if example.tier == PUBLIC else "本企业历史")] += example.uses
    elements = []
    for i, name in enumerate(tariff.elements):
        ranked = Counter(counts[i]).most_common(MAX_PROPOSALS)
        elements.append({
            "index": i, "name": name,
            "proposals": [Proposal(v, c, s).as_dict() for (v, s), c in ranked],
        })
    return {
        "code_ts": tariff.code_ts, "name": tariff.name,
        "first_unit": tariff.first_unit, "first_unit_name": params.code_name("units", tariff.first_unit),
        "second_unit": tariff.second_unit, "second_unit_name": params.code_name("units", tariff.second_unit),
        "elements": elements,
    }
