PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: site check test lint clean

site: $(STAMP)
	$(PY) -m builder build

check: $(STAMP)
	$(PY) -m builder check

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
