# guanwu — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
STAMP_MUTATE := $(VENV)/.installed-mutate
PYTEST_ARGS ?=

.PHONY: run test lint demo clean bench mutate

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[test]'
	touch $@ $(STAMP_RUN)

$(STAMP_MUTATE): pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[test,mutation]'
	touch $@ $(STAMP_TEST) $(STAMP_RUN)

run: $(STAMP_RUN)
	$(VENV)/bin/guanwu serve $(ARGS)

demo: $(STAMP_RUN)
	$(VENV)/bin/guanwu demo

lint: $(STAMP_TEST)
	$(VENV)/bin/ruff check src tests benchmarks

test: $(STAMP_TEST) lint
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# Mutation testing of the rule-holding modules (slow, not part of CI): MODULES="rules receipts"
# picks some (scripts/mutate.py --list); the mutants that survive are listed at the end.
mutate: $(STAMP_MUTATE)
	$(PY) scripts/mutate.py $(MODULES)

bench: $(STAMP_TEST)
	for f in benchmarks/bench_*.py; do $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) var mutants
