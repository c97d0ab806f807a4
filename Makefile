# SECSim: set up, build, run and test. See README.md "Quick start".
#
#   make run    install what is needed, build, run secsim on the built-in default scenario
#   make test   install what is needed, build, run every test
#
# Debian packages the build and the tests need (one apt-get update, then one
# unconditional apt-get install -y; sudo when not root).
APT_PACKAGES := libgsl-dev pkg-config
SWIFT ?= swift
CONFIG ?= release
OUT ?= out/default
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build run test lint bench clean

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
	@echo "Results: $(OUT)/summary.csv, differences.csv, users.csv, run.json"


test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel
	$(SWIFT) format lint --recursive Package.swift Sources Tests

bench:
	cd Benchmarks && $(SWIFT) package benchmark

clean:
	rm -rf .build
