# Developer entry points. `make help` lists them.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

ARCH ?= arm64
VENV := .venv
# checkov pins its own boto3 and friends: a separate venv keeps them out of the tests.
VENV_LINT := .venv-lint
PY := $(VENV)/bin/python
# The benchmarks and the demo use the test harness (tests/harness): run with tests/ on the path.
PY_HARNESS := PYTHONPATH=tests $(PY)
# A function is a folder with a handler.py; functions/runtime is the package every zip shares.
FUNCTIONS := $(notdir $(patsubst %/handler.py,%,$(wildcard functions/*/handler.py)))
ZIPS := $(FUNCTIONS:%=dist/%.zip)
# A tofu/terraform on PATH (or $TERRAFORM) plus a reachable registry is the
# ordinary path; the offline build is the fallback (scripts/setup-iac.sh).
# Recursively expanded, so they are looked up after `setup` has run.
TF = $(shell scripts/setup-iac.sh --which)
# CLI of the plan and end-to-end tests: unset, OpenTofu; `TERRAFORM=terraform`
# (or a path) runs them under HashiCorp Terraform, from the same provider mirror.
TERRAFORM ?=
export TERRAFORM
PYTEST_JOBS ?= 2
# The suites that run a CLI (plans of the root, modules and examples; e2e).
IAC_TESTS := tests/root tests/modules tests/examples tests/e2e

.PHONY: help setup setup-python setup-iac setup-lint build test test-unit test-plan test-iac test-terraform lint fmt bench demo e2e docs clean

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-15s %s\n", $$1, $$2}'

setup: setup-python setup-iac ## everything the tests need (idempotent)

setup-python: $(VENV)/.installed ## Python venv with pinned test dependencies

$(VENV)/.installed: requirements-dev.txt
	test -x $(PY) || "$$(scripts/find-python.sh)" -m venv $(VENV)
	# phonenumbers (before phonenumberslite, what the zip ships) writes the same package folder
	$(PY) -m pip uninstall --quiet --yes phonenumbers 2>/dev/null || true
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup-iac: ## OpenTofu + aws provider (registry if reachable, else built from Go modules)
	scripts/setup-iac.sh

build: $(ZIPS) ## zip each functions/<name> into dist/<name>.zip, reproducibly

# Each zip depends on its own function's files and the shared runtime.
.SECONDEXPANSION:
dist/%.zip: $$(shell find functions/$$* functions/runtime -type f -not -path '*/__pycache__/*') scripts/build_zip.py | $(VENV)/.installed
	$(PY) scripts/build_zip.py functions/$* $@ --arch $(ARCH)

# --dist loadfile keeps a file's tests on one worker, so each plan root is
# initialised once and the end-to-end deployment is applied once.
test: setup build ## all tests: unit, plan, packaging and end to end (what CI runs)
	$(PY) -m pytest -n $(PYTEST_JOBS) --dist loadfile tests

test-unit: setup-python ## function unit tests only
	$(PY) -m pytest -n $(PYTEST_JOBS) tests/functions

test-plan: setup build ## plan tests only
	$(PY) -m pytest -n $(PYTEST_JOBS) --dist loadfile -m "not e2e" tests --ignore=tests/functions

e2e: setup build ## apply, re-plan and destroy examples against moto
	$(PY) -m pytest -m e2e tests

test-iac: setup build ## plan and e2e suites only, under OpenTofu or TERRAFORM=<cli>
	$(PY) -m pytest -n $(PYTEST_JOBS) --dist loadfile $(IAC_TESTS)

test-terraform: ## plan and e2e suites under HashiCorp Terraform (terraform on PATH)
	$(MAKE) test-iac TERRAFORM=$${TERRAFORM:-terraform}

setup-lint: $(VENV_LINT)/.installed ## lint tools: checkov venv, tflint (built from Go modules once)
	scripts/toolchain.sh tflint

$(VENV_LINT)/.installed: requirements-lint.txt
	test -x $(VENV_LINT)/bin/python || "$$(scripts/find-python.sh)" -m venv $(VENV_LINT)
	$(VENV_LINT)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-lint.txt
	touch $@

lint: setup-python setup-iac setup-lint ## ruff, tofu fmt + validate, tflint, checkov, README tables
	scripts/lint.sh

fmt: setup-python ## rewrite formatting
	$(PY) -m ruff format .
	"$(TF)" fmt -recursive .

bench: setup-python build ## benchmarks: print figures, write bench/results/*.json
	$(PY_HARNESS) -m bench.run

demo: setup build ## the main job, offline: apply, call, destroy on a local moto
	$(PY_HARNESS) scripts/demo.py

docs: setup-python ## regenerate the READMEs' input/output tables and, from bench/results, the capacity table
	$(PY) scripts/docs.py . modules/*/ examples/*/
	$(PY_HARNESS) -m bench.readme

clean: ## remove caches (dist/ is committed: `make build` rewrites it identically)
	rm -rf build .pytest_cache .ruff_cache
