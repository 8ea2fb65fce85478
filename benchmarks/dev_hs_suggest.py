#!/usr/bin/env python3
"""Dev split for tuning the HS-code suggester: 检验检疫名称 held out of the index.

    .venv/bin/python benchmarks/dev_hs_suggest.py [--share 0.15] [--max 1500]

The labelled evaluation set (``benchmarks/data``) is never used for tuning. Weights and design
choices of ``guanwu.classify.knowledge`` are compared on this split instead: a seeded share of
the CIQ rows whose name carries a goods word of its own (the part in the last parentheses, e.g.
``自行车零配件``, ``I类台灯``, ``胶套``; not a hazard class, a licence or inspection status, an origin
or a bound: ``NOT_GOODS``) is removed from the index, the index is built from the
rest, and each held-out goods word is asked for as a description. The same share of the
归类词典 (``guanwu/classify/data/glossary.csv``) is held out the same way and asked for as a
second set: trade wording, closer to what brokers type; and the same share of the 海关预裁定
(``guanwu/classify/data/rulings.csv``) as a third: the applicants' names of goods whose
classification was in doubt (``--no-rulings`` builds without the other rulings, to see what they
bring). A hit at n digits: one of the first k
codes shares the first n digits of the row's code. The same seed gives the same split.
"""

from __future__ import annotations

import argparse
import random
import re
import time

from _setup import django_setup
from bench_hs_suggest import Tally

GENERIC = re.compile(r"^(其他|其它|其余|未列名|除外|不包括|含|非)")
# details that say what the goods are subject to, not what they are: hazard classes (易燃液体,
# 腐蚀性物质), inspection and licence status (有检疫要求, 两用物项, 具有保健食品批准文号), origin
# alone (野生, 养殖; 养殖草鱼 is kept), quotas, whole industries (纺织行业成套设备), lists (包括…) and
# bounds (厚度＞0.15mm). About a quarter of the heading misses before this filter were such words: no
# description names goods that way.
NOT_GOODS = re.compile(r"危险|易燃|毒性|腐蚀性|氧化性|爆炸|感染性|放射性|检疫|配额|两用物项|管制|批准文号|"
                       r"成套设备|行业|属于|需申报|风险|杂项|物质|包括|按重量|[＞＜≥≤<>]|^(野生|养殖|濒危)\)?$")
HAN = re.compile(r"[\u4e00-\u9fff]")


def _held(usable: list[int], share: float, limit: int, seed: int) -> set[int]:
    """A seeded sample of the usable rows: ``share`` of them, at most ``limit``, drawn over the
    whole file (the rows are in code order: taking the first ``limit`` hits would test only the
    early chapters)."""
    return set(random.Random(seed).sample(usable, min(limit, round(share * len(usable)))))


def split(rows: list[tuple[str, str, str]], share: float, limit: int, seed: int = 18):
    """(rows kept in the index, held-out (detail, code) queries)."""
    details = []
    for _code, _ciq, name in rows:
        detail = name[name.rindex("(") + 1 : -1] if name.endswith(")") and "(" in name else ""
        goods = len(HAN.findall(detail)) >= 2 and not GENERIC.match(detail) and not NOT_GOODS.search(detail)
        details.append(detail if goods else "")
    held = _held([i for i, d in enumerate(details) if d], share, limit, seed)
    return ([row for i, row in enumerate(rows) if i not in held],
            [(details[i], rows[i][0]) for i in sorted(held)])


def split_glossary(rows: list[tuple[str, str, str]], share: float, limit: int, seed: int = 18, label: str = "",
                   chinese_only: bool = False):
    """(named rows kept in the index, held-out (name, code) queries): of the rows labelled
    ``label`` (default: the 归类词典's; ``rulings.LABEL``: the 海关预裁定, whose labels carry the
    ruling number; ``chinese_only``: their Chinese names), ``share`` held out; every other row is kept."""
    from guanwu.classify import english, glossary

    label = label or glossary.LABEL
    usable = [i for i, r in enumerate(rows)
              if r[2].split(" ")[0] == label and not (chinese_only and english.is_english(r[0]))]
    held = _held(usable, share, limit, seed)
    return [r for i, r in enumerate(rows) if i not in held], [rows[i][:2] for i in sorted(held)]


def score(known, knowledge, held: list[tuple[str, str]]) -> tuple[Tally, float]:
    """The held-out rows asked for as descriptions, counted like the evaluation (``Tally``)."""
    tally = Tally()
    t1 = time.perf_counter()
    for detail, code in held:
        tally.add(code, knowledge.diversify([c for c, _ in known.top(knowledge.prepare(detail))])[:5])
    return tally, (time.perf_counter() - t1) * 1000 / max(1, len(held))


def report(title: str, tally: Tally) -> None:
    print(title)
    tally.table()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--share", type=float, default=0.15)
    parser.add_argument("--max", type=int, default=1500)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="try another value of a weight of guanwu.classify.knowledge, e.g. HEAD_WEIGHT=0.3")
    parser.add_argument("--try", dest="tries", default="", metavar="NAME=V1,V2",
                        help="after one build, score again with each value of a query-time weight")
    parser.add_argument("--only", type=re.compile, default=None, metavar="REGEX",
                        help="ask only the held-out rows whose description matches (a rule's own rows)")
    parser.add_argument("--no-rulings", action="store_true",
                        help="build without the 海关预裁定 rows (the held-out rulings are still asked)")
    args = parser.parse_args()
    django_setup()
    from guanwu.classify import knowledge

    for assignment in args.set:
        name, value = assignment.split("=", 1)
        setattr(knowledge, name, type(getattr(knowledge, name))(value))
    from guanwu.params import index as params_index

    version_id = params_index.version_for()
    items, rows, glossary_rows, fingerprint = knowledge._inputs(version_id)
    kept, held = split(rows, args.share, args.max)
    kept_words, held_words = split_glossary(glossary_rows, args.share, args.max)
    from guanwu.classify import rulings

    kept_words, held_rulings = split_glossary(kept_words, args.share, args.max, label=rulings.LABEL,
                                              chinese_only=True)
    if args.no_rulings:
        kept_words = [r for r in kept_words if not r[2].startswith(rulings.LABEL)]
    t0 = time.perf_counter()
    known = knowledge.build(version_id, (items, kept, kept_words, fingerprint + "-dev"))
    build_s = time.perf_counter() - t0
    knowledge.use(known)
    values = [None]
    if args.tries:
        weight, listed = args.tries.split("=", 1)
        values += [type(getattr(knowledge, weight))(v) for v in listed.split(",")]
    for value in values:
        if value is not None:
            setattr(knowledge, weight, value)
            print(f"=== {weight}={value}")
        _report(args, known, knowledge, held, kept, kept_words, held_words, held_rulings, build_s)


def _report(args, known, knowledge, held, kept, kept_words, held_words, held_rulings, build_s) -> None:
    if args.only is not None:
        held, held_words, held_rulings = ([(d, c) for d, c in rows if args.only.search(knowledge.text.fold(d))]
                                          for rows in (held, held_words, held_rulings))
    hits, per_query = score(known, knowledge, held)
    from guanwu.classify import english

    held_en = [(n, c) for n, c in held_words if english.is_english(n)]
    held_words = [(n, c) for n, c in held_words if not english.is_english(n)]
    word_hits, _ = score(known, knowledge, held_words)
    en_hits, _ = score(known, knowledge, held_en)
    # the same names written as product titles: two selling words before, one after
    rng = random.Random(18)
    selling = ["2024新款", "爆款", "包邮", "韩版", "夏季", "厂家直销", "网红同款", "高档", "批发", "跨境专供"]
    titled = [(f"{rng.choice(selling)}{rng.choice(selling)}{n}{rng.choice(selling)}", c) for n, c in held_words]
    title_hits, _ = score(known, knowledge, titled)
    print(" ".join(args.set) or "weights as shipped")
    print(f"dev split: {len(held)} held-out CIQ goods words, {len(kept)} CIQ rows indexed; "
          f"{len(held_words)} held-out glossary names, {len(kept_words)} indexed; "
          f"build {build_s:.1f} s, {per_query:.1f} ms a query")
    report("held-out CIQ goods words", hits)
    if held_words:
        report(f"held-out glossary names ({len(held_words)})", word_hits)
    if titled:
        report("the same glossary names as product titles (selling words around them)", title_hits)
    if held_en:
        report(f"held-out English glossary names ({len(held_en)})", en_hits)
    if held_rulings:
        ruling_hits, _ = score(known, knowledge, held_rulings)
        report(f"held-out 海关预裁定 names ({len(held_rulings)}; eight digits: scored at 4 and 6)", ruling_hits)

if __name__ == "__main__":
    main()
