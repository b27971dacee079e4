# Politikontakt field app. Everything installs from the project's own files.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8550
DATA_DIR ?=
SERVER_DB ?= .server/kommune.sqlite3
TRIALS ?= 100

.PHONY: run test test-fast lint phone-check bench bench-quick server browser postgres clean

LOCKS := requirements.lock requirements-server.lock requirements-web.lock requirements-dev.lock

# The phone set (requirements.lock) plus the server, web and dev extras, all pinned.
$(STAMP): pyproject.toml $(LOCKS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check $(addprefix -r ,$(LOCKS))
	$(PY) -c 'import os, sysconfig; open(os.path.join(sysconfig.get_paths()["purelib"], "politikontakt.pth"), "w").write(os.getcwd() + "\n")'
	touch $(STAMP)

# Debian's Chromium for the real-browser tests (never `playwright install`: it downloads),
# and poppler-utils (pdftotext, pdftoppm) for the report tests.
browser:
	@if ! test -x /usr/bin/chromium || ! command -v pdftotext >/dev/null; then \
	  echo "Installerer chromium og poppler-utils fra Debian …"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq chromium poppler-utils >/dev/null; fi

# Debian's PostgreSQL for the backend suite's second database (tests/support/postgres.py starts
# a throwaway cluster from its binaries, as the postgres user when run as root).
postgres:
	@if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  echo "Installerer postgresql fra Debian …"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq postgresql >/dev/null; fi

run: $(STAMP)
	$(PY) -m fieldapp --port $(PORT) $(if $(DATA_DIR),--data-dir $(DATA_DIR))

test: $(STAMP) browser postgres
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m phonecheck
	KILL_TRIALS=$(TRIALS) $(PY) tests/run_suites.py

test-fast: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider -m "not e2e and not slow"

# ruff everywhere; mypy --strict on fieldapp/, sync/, views/ and main.py ([tool.mypy] in pyproject.toml)
lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m mypy

# Can `flet build apk|ipa` install every dependency? Needs the package index (docs/PHONE.md).
phone-check: $(STAMP)
	$(PY) -m phonecheck $(if $(VERBOSE),--verbose)

bench: $(STAMP)
	$(PY) -m bench

# Everyday numbers in about a minute: 1,000 records, no browser, the same table and JSON.
bench-quick: $(STAMP)
	BENCH_SIZES=1000 BENCH_SUITES=bench.store_bench,bench.records_bench,bench.sync_bench,bench.report_bench \
	  $(PY) -m bench

server: $(STAMP)
	mkdir -p $(dir $(SERVER_DB))
	$(PY) -m sync.server enrol --db $(SERVER_DB) --device "$${DEVICE:-telefon-1}"
	$(PY) -m sync.server serve --db $(SERVER_DB) --host 127.0.0.1 --port 8700

clean:
	rm -rf $(VENV) artifacts .pytest_cache
