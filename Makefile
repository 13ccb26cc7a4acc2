# georange: the two commands of the README.
#   make maps   virtual environment + install + build the maps of the bundled catalog into maps/
#   make test   virtual environment with test extras + the whole suite
# Only Python >= 3.11 and make are needed; npm and Debian's chromium enable the browser tests,
# and Debian's libxml2-utils, gdal-bin and python3-gdal (with npm) the export validator tests.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
ASSETS := tests/browser/node_modules
VALIDATORS := tests/validators
PYTEST_ARGS ?=

.PHONY: maps test venv assets validators lint bench clean

$(VENV)/.python-ok:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "georange needs Python >= 3.11; run: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	@touch $@

$(VENV)/.installed: $(VENV)/.python-ok pyproject.toml
	$(PIP) install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.python-ok pyproject.toml
	$(PIP) install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

venv: $(VENV)/.installed

maps: $(VENV)/.installed
	$(VENV)/bin/georange build -o maps/
	@echo "Open $(CURDIR)/maps/index.html in a browser."

# Offline copies of the exact Leaflet/jQuery/Bootstrap versions folium references,
# for the browser tests (never committed). Skipped, with a message, where npm is missing.
assets:
	@if command -v npm >/dev/null 2>&1; then \
		if [ ! -f $(ASSETS)/.complete ]; then \
			(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error) && touch $(ASSETS)/.complete; \
		fi; \
	else \
		echo "npm not found: browser tests will skip (install Node.js/npm to enable them)"; \
	fi

# The files the export validator tests run (never committed): the OGC KML 2.2 schema (pykml)
# and GDAL's validate_gpkg.py (gdal-utils) from PyPI, pinned by hash, and the RFC 7946 checker
# from npm. xmllint, ogr2ogr and GDAL's Python bindings come from Debian:
#   apt-get install libxml2-utils gdal-bin python3-gdal
validators: $(VALIDATORS)/pypi/.complete
	@if command -v npm >/dev/null 2>&1; then \
		if [ ! -f $(VALIDATORS)/node_modules/.complete ]; then \
			(cd $(VALIDATORS) && npm ci --no-audit --no-fund --loglevel=error) && touch $(VALIDATORS)/node_modules/.complete; \
		fi; \
	else \
		echo "npm not found: the GeoJSON validator tests will skip (install Node.js/npm to enable them)"; \
	fi

$(VALIDATORS)/pypi/.complete: $(VENV)/.python-ok $(VALIDATORS)/requirements.txt
	rm -rf $(VALIDATORS)/pypi
	$(PIP) install --quiet --no-deps --only-binary :all: --require-hashes \
		--target $(VALIDATORS)/pypi -r $(VALIDATORS)/requirements.txt
	@touch $@

test: $(VENV)/.installed-test assets validators
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(PIP) install --quiet ruff mypy
	$(VENV)/bin/ruff check geo tests bench notebooks
	$(VENV)/bin/mypy

bench: $(VENV)/.installed-test
	$(PY) bench/footprint.py

clean:
	rm -rf $(VENV) maps build dist .pytest_cache .hypothesis $(ASSETS) \
		$(VALIDATORS)/pypi $(VALIDATORS)/node_modules
