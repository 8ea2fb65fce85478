#!/usr/bin/env python3
"""Mutation testing of the modules that hold the rules, with mutmut (``make mutate``).

    .venv/bin/python scripts/mutate.py [MODULE ...]     # default: every module below, one by one
    .venv/bin/python scripts/mutate.py --list           # the module names

mutmut changes one thing at a time in a module (``<`` to ``<=``, ``and`` to ``or``, a constant, a
dropped argument ...) and runs the tests that reach the changed function; a mutant whose tests
all still pass "survived": a rule the suite would let break. Run it before closing an issue
that touches these modules, and either add the test that kills a survivor or say why it is
harmless (an equivalent change, a log message). ``.venv/bin/mutmut show NAME`` prints a
survivor's diff; ``.venv/bin/mutmut browse`` walks them.

Not part of CI (it takes long: the stats run is the whole suite without browser tests, then each
mutant runs its tests in a forked process). Modules run one after the other, so a long session
can stop and resume (mutmut keeps the results in ``mutants/``; a module already done is only
re-run when named). What is mutated and which tests judge it is ``[tool.mutmut]`` in
pyproject.toml; the tests run on copies of one prepared SQLite database
(``GUANWU_TEST_DB_TEMPLATE``, see tests/conftest.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTMUT = Path(sys.executable).with_name("mutmut")

# Short name -> mutmut's names of the module's mutants (``<module path>.x_<function>__mutmut_<n>``).
MODULES = {
    "tenancy": ["guanwu.tenancy.lookup.*", "guanwu.tenancy.context.*"],
    "rules": ["guanwu.declarations.rules.*"],
    "declare": ["guanwu.declarations.services.declare.*", "guanwu.declarations.services.drafts.*",
                "guanwu.declarations.services.queries.*"],
    "receipts": ["guanwu.declarations.services.receipts.*", "guanwu.messages.dec.receipts.*"],
    "gateway": ["guanwu.gateway.services.*"],
    "engine": ["guanwu.autodeclare.services.engine.*"],
    "imports": ["guanwu.imports.pipeline.*", "guanwu.imports.convert.*"],
    # 加工贸易: the kept 料件余额 (apply_list / recompute_balances / check_balances) and the receipts
    # that move them (INV201/INV202/INV211/EMS201/EMS211, CommonResponeMessage)
    "balances": ["guanwu.processing.services.balances.*"],
    "sas_receipts": ["guanwu.processing.services.receipts.*"],
    # the simulator's customs: 金二 audit (9xxx check lines) and the 加工贸易 family driving it
    "sas_checks": ["guanwu.simulator.sas_checks.*", "guanwu.simulator.families.sas.*"],
    # 跨境电商 customs rules: returnStatus codes, 商品批次号 format, HS code against the tariff
    "cebrules": ["guanwu.simulator.cebrules.*"],
    # the suggester's rules from the tariff's notes and line texts: the chapters a dosage form or a
    # supplement shuts, waste and used goods, parts, the state of foods, the fibre of textiles. Their
    # own tests call them directly; mutants of what runs while the index is built
    # (``state.of_tariff_name``, ``composition.of_tariff_name``) are judged by those direct tests
    # only, as every mutant of a file shares one code digest and so one cached index.
    "classify_rules": ["guanwu.classify.doses.*", "guanwu.classify.condition.*", "guanwu.classify.machine_parts.*",
                       "guanwu.classify.state.*", "guanwu.classify.composition.*"],
}


def run(module: str) -> int:
    env = {**os.environ, "GUANWU_TEST_DB_TEMPLATE": str(ROOT / "mutants" / "test-template.sqlite3"),
           # the tests run from mutants/, whose ../shared is not the checkout's (tests/conftest.py)
           "GUANWU_TEST_SHARED": str(ROOT.parent / "shared")}
    env.pop("DATABASE_URL", None)  # SQLite: the prepared database is copied per process
    env.pop("REDIS_URL", None)
    env.pop("GUANWU_TEST_REQUIRE", None)
    started = time.monotonic()
    print(f"== mutmut: {module} ({', '.join(MODULES[module])})", flush=True)
    code = subprocess.call([str(MUTMUT), "run", *MODULES[module]], cwd=ROOT, env=env)
    print(f"== {module}: {time.monotonic() - started:.0f} s, mutmut exit {code}", flush=True)
    return code


def survivors() -> list[str]:
    out = subprocess.run([str(MUTMUT), "results"], cwd=ROOT, capture_output=True, text=True, check=False).stdout
    return [line.strip() for line in out.splitlines() if line.strip()]


def main(argv: list[str]) -> int:
    if "--list" in argv:
        print("\n".join(MODULES))
        return 0
    chosen = argv or list(MODULES)
    unknown = [m for m in chosen if m not in MODULES]
    if unknown:
        print(f"unknown module(s): {', '.join(unknown)}; choose from {', '.join(MODULES)}", file=sys.stderr)
        return 2
    failed = [m for m in chosen if run(m) != 0]
    left = survivors()
    print(f"\n== not killed ({len(left)}): mutmut show <name> prints the change")
    for line in left:
        print(f"  {line}")
    if failed:
        print(f"mutmut failed to run for: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
