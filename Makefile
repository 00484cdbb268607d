# docgen — make demo | make test | make check
# Each target does all set-up from a fresh clone: a venv with the Python packages and,
# when run as root, Debian packages (LibreOffice, fonts, poppler, CUPS). Not root: it
# prints the exact apt-get command to run and stops.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup sysdeps venv demo test check lint typecheck bench reliability clean-demo serve

setup: venv sysdeps

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	@touch $(STAMP)

sysdeps:
	@bash scripts/sysdeps.sh

demo: setup
	@bash scripts/demo.sh

# the web app over the demo archive with a demo account (login demo, password demo-docgen)
serve: setup
	@bash scripts/serve-demo.sh

test: setup
	$(PY) -m pytest -q

lint: venv
	$(VENV)/bin/ruff check docgen tests bench scripts

typecheck: venv
	$(VENV)/bin/mypy

check: setup lint typecheck
	$(PY) -m pytest -q

bench: setup
	$(PY) bench/run_all.py

# issue 9's long runs: 1,000 SIGKILLs, 8 writers x 100 filings, 10,000 fuzzed inputs
reliability: setup
	$(PY) scripts/reliability.py --kills 1000 --writers 8 --filings 100
	DOCGEN_FUZZ_EXAMPLES=10000 $(PY) -m pytest -q tests/model/test_hostile.py

clean-demo:
	rm -rf demo-out
