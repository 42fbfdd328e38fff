PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: site check serve new bench test lint clean

site: $(STAMP)
	$(PY) -m builder build

check: $(STAMP)
	$(PY) -m builder check

serve: $(STAMP)
	$(PY) -m builder serve $(ARGS)

# make new TITLE="Talks resume in Seoul" ARGS="--date 2024-11-20 --actor Kyiv --tag diplomacy"
new: $(STAMP)
	@test -n "$(TITLE)" || { echo 'usage: make new TITLE="Event title" [ARGS="--date 2024-11-06 --actor NAME --tag T --source URL"]'; exit 2; }
	$(PY) -m builder new "$(TITLE)" $(ARGS)

bench: $(STAMP)
	$(PY) bench/rebuild.py $(ARGS)

test: $(TEST_STAMP)
	$(PY) -m pytest -q
	$(PY) -m ruff check builder tests bench
	$(PY) -m mypy

lint: $(TEST_STAMP)
	$(PY) -m ruff check builder tests
	$(PY) -m mypy

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf site .site.* .cache $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache
