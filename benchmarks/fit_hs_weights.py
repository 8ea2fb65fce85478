#!/usr/bin/env python3
"""Fit the weights of the suggester's views on the dev split, instead of by hand.

    .venv/bin/python benchmarks/fit_hs_weights.py [--share 0.15] [--max 1500]

The index is built as in ``dev_hs_suggest.py`` (its held-out 检验检疫名称 goods words and
归类词典 names are not in it). For each held-out description the evidence of every view
(``Knowledge.evidence``) is kept for the first ``CANDIDATES`` codes of today's weights; a
coordinate search then looks for the weights that rank best (the mean of top-1 and top-3 at 6
and at 10 digits over both sets), in two halves (fitted on one, scored on the other: how much of
a gain is real) and then on all. It prints the weights; ``knowledge.py`` is changed by hand. The
labelled evaluation set is never read here.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _setup import django_setup

CANDIDATES = 60
STEPS = (0.0, 0.5, 0.7, 1.4, 2.0)  # multipliers tried per weight and round
ROUNDS = 4


def collect(known, knowledge, held):
    """Per held-out description: (candidate codes, evidence matrix candidates x views, true code)."""
    names = list(knowledge.weights())
    out = []
    for description, code in held:
        parts = known.evidence(knowledge.prepare(description))
        if not parts or set(parts) == {"english"}:
            continue
        base = known.scores(knowledge.prepare(description))
        top = np.argsort(-base, kind="stable")[:CANDIDATES]
        matrix = np.zeros((len(top), len(names)), dtype=np.float32)
        for j, name in enumerate(names):
            if name in parts:
                matrix[:, j] = parts[name][top]
        out.append(([known.codes[i] for i in top], matrix, code))
    return names, out


def measure(rows, w, knowledge) -> dict[str, float]:
    hits = {"1@6": 0, "3@6": 0, "1@10": 0, "3@10": 0}
    tens = 0
    for codes, matrix, code in rows:
        order = np.argsort(-(matrix @ w), kind="stable")
        ranked = knowledge.diversify([codes[i] for i in order])[:5]
        hits["1@6"] += ranked[:1] != [] and ranked[0][:6] == code[:6]
        hits["3@6"] += any(c[:6] == code[:6] for c in ranked[:3])
        if len(code) == 10:
            tens += 1
            hits["1@10"] += ranked[:1] != [] and ranked[0] == code
            hits["3@10"] += code in ranked[:3]
    n = max(1, len(rows))
    return {k: v / (n if "@6" in k else max(1, tens)) for k, v in hits.items()}


def objective(sets, w, knowledge) -> float:
    return float(np.mean([np.mean(list(measure(rows, w, knowledge).values())) for rows in sets]))


def search(sets, w0, names, knowledge) -> np.ndarray:
    w, best = w0.copy(), objective(sets, w0, knowledge)
    for _ in range(ROUNDS):
        moved = False
        for j in range(len(w)):
            for step in STEPS:
                trial = w.copy()
                trial[j] = w[j] * step if w[j] else 0.05 * step
                value = objective(sets, trial, knowledge)
                if value > best + 1e-4:
                    w, best, moved = trial, value, True
        if not moved:
            break
    return w


def show(title, sets, w, knowledge, labels) -> None:
    for label, rows in zip(labels, sets, strict=True):
        m = measure(rows, w, knowledge)
        print(f"  {title:<28} {label:<18} " + "  ".join(f"top-{k} {100 * v:5.1f}%" for k, v in m.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--share", type=float, default=0.15)
    parser.add_argument("--max", type=int, default=1500)
    args = parser.parse_args()
    django_setup()
    from dev_hs_suggest import split, split_glossary

    from guanwu.classify import english, knowledge
    from guanwu.params import index as params_index

    version_id = params_index.version_for()
    items, rows, glossary_rows, fingerprint = knowledge._inputs(version_id)
    kept, held = split(rows, args.share, args.max)
    kept_words, held_words = split_glossary(glossary_rows, args.share, args.max)
    held_words = [(n, c) for n, c in held_words if not english.is_english(n)]
    t0 = time.perf_counter()
    known = knowledge.build(version_id, (items, kept, kept_words, fingerprint + "-dev"))
    knowledge.use(known)
    names, ciq_rows = collect(known, knowledge, held)
    _, word_rows = collect(known, knowledge, held_words)
    print(f"built and collected in {time.perf_counter() - t0:.0f} s; views: {', '.join(names)}")
    labels = ["CIQ words", "glossary names"]
    sets = [ciq_rows, word_rows]
    w0 = np.array([knowledge.weights()[n] for n in names], dtype=np.float32)
    show("weights as shipped", sets, w0, knowledge, labels)
    for half in (0, 1):
        fit_on = [r[half::2] for r in sets]
        other = [r[1 - half::2] for r in sets]
        w = search(fit_on, w0, names, knowledge)
        show(f"half {half}: as shipped", other, w0, knowledge, labels)
        show(f"half {half}: fitted on other", other, w, knowledge, labels)
        print("   ", ", ".join(f"{n}={v:.3f}" for n, v in zip(names, w, strict=True)))
    w = search(sets, w0, names, knowledge)
    show("fitted on all", sets, w, knowledge, labels)
    print("weights fitted on all:", ", ".join(f"{n}={v:.3f}" for n, v in zip(names, w, strict=True)))


if __name__ == "__main__":
    main()
