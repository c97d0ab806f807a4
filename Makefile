# SECSim: set up, build, run and test. See README.md "Quick start".
#
#   make run    install what is needed, build, run secsim on the built-in default scenario
#   make test   install what is needed, build, run every test
#   make notebook  run the default scenario and export notebooks-export/gb-default.ipynb
#   make validation  rerun the GB history backtest and refresh docs/validation/*.svg
#
# Debian packages the build and the tests need (one apt-get update, then one
# unconditional apt-get install -y; sudo when not root). The output tests open
# CSV in LibreOffice (soffice), the report in headless Chromium and check it with
# tidy; the notebook tests execute notebooks in a Python virtual environment.
APT_PACKAGES := libgsl-dev pkg-config libreoffice-calc-nogui chromium tidy python3-venv slurm-wlm munge
# Python packages of the notebook tests, installed into $(VENV) by `make venv`.
VENV := .venv
PY_PACKAGES := nbformat nbclient ipykernel pandas matplotlib
NOTEBOOK_RUN ?= out/gb-default
NOTEBOOK_REPLICATES ?= 200
NOTEBOOK_SEED ?= 20250101
SWIFT ?= swift
CONFIG ?= release
OUT ?= out/default
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps venv build run test lint bench clean notebook validation

deps:
	@if command -v apt-get >/dev/null 2>&1; then \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $(APT_PACKAGES); \
	elif pkg-config --exists gsl 2>/dev/null; then \
	  echo "make deps: no apt-get here, but pkg-config finds GSL; carrying on."; \
	else \
	  echo "make deps: this system has no apt-get. Install the GNU Scientific Library" >&2; \
	  echo "  (pkg-config name 'gsl'; Debian: $(APT_PACKAGES)) and pkg-config by hand, then run 'make build'." >&2; \
	  exit 1; \
	fi

build: deps
	$(SWIFT) build -c $(CONFIG)

run: build
	$(SWIFT) run -c $(CONFIG) secsim run --out $(OUT)
	@echo "Results: $(OUT)/report.html, summary.csv, differences.csv, users.csv, impact.csv, run.json"


# The virtual environment the notebook tests use (they look for $(VENV)/bin/python).
venv:
	@if ! $(VENV)/bin/python -c "import nbformat, nbclient, ipykernel, pandas, matplotlib" 2>/dev/null; then \
	  python3 -m venv $(VENV) && $(VENV)/bin/pip install -q $(PY_PACKAGES); \
	fi

# The default scenario's notebook: a small run into $(NOTEBOOK_RUN) (not committed),
# then the notebook that reads it (committed).
notebook: build
	$(SWIFT) run -c $(CONFIG) secsim run --replicates $(NOTEBOOK_REPLICATES) --seed $(NOTEBOOK_SEED) --out $(NOTEBOOK_RUN)
	$(SWIFT) run -c $(CONFIG) secsim notebook $(NOTEBOOK_RUN) --out notebooks-export/gb-default.ipynb

# The backtest of docs/validation.md at 2,000 replicates; its charts (one SVG per
# series, cut out of backtest.html) go to docs/validation/ for the page to show.
validation: build
	$(SWIFT) run -c $(CONFIG) secsim backtest scenarios/gb-history.yaml --observed scenarios/observed/gb.csv \
	  --replicates 2000 --out out/backtest
	mkdir -p docs/validation
	grep -o '<svg .*</svg>' out/backtest/backtest.html | while IFS= read -r svg; do \
	  name=$$(printf '%s' "$$svg" | sed -n 's|.*<title>\([a-z_]*\):.*|\1|p'); \
	  printf '%s\n' "$$svg" > docs/validation/$$name.svg; \
	done
	@ls docs/validation

test: deps venv
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel
	$(SWIFT) format lint --recursive Package.swift Sources Tests

bench:
	cd Benchmarks && $(SWIFT) package benchmark

clean:
	rm -rf .build
