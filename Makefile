# Torsion: the two commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000

.PHONY: run test explore install demo serve bench lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24" "setuptools>=77" wheel

$(STAMP): $(BIN)/python requirements/lock.txt pyproject.toml
	$(BIN)/pip install --quiet -r requirements/lock.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

## Install, migrate, create the demo data, serve on http://127.0.0.1:$(PORT)
run: install
	$(BIN)/torsion demo
	$(BIN)/torsion serve --port $(PORT)

## Install and run the whole test suite (and the model and API tests again on PostgreSQL when
## TORSION_TEST_POSTGRES_URL names a database; .ci/run sets it)
test: install
	$(BIN)/python -m pytest
	@if [ -n "$$TORSION_TEST_POSTGRES_URL" ]; then \
		echo "== Model and API tests on PostgreSQL =="; \
		DATABASE_URL="$$TORSION_TEST_POSTGRES_URL" $(BIN)/python -m pytest tests/web -m "not slow" -p no:cacheprovider; \
	else \
		echo "== PostgreSQL run skipped: TORSION_TEST_POSTGRES_URL is not set =="; \
	fi

## Look for new counterexamples to the property tests (fresh random examples; not part of `make test`)
explore: install
	for run in 1 2 3 4 5; do \
		TORSION_HYPOTHESIS_PROFILE=explore $(BIN)/python -m pytest -p no:cacheprovider -q \
			$$(grep -rl "@given" tests) -m "not browser" || exit 1; \
	done

## Speed and memory benchmarks (not part of the test suite)
bench: install
	$(BIN)/python -m benchmarks

## Re-resolve requirements/lock.txt from pyproject.toml
lock:
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra test --strip-extras --no-emit-index-url --no-emit-find-links -o requirements/lock.txt pyproject.toml

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
