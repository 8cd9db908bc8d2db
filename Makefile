# Jejaring KIM. `make run` serves the demo hub; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
export FLASK_APP := wsgi
CATALOGS := $(patsubst %.po,%.mo,$(wildcard hub/translations/*/LC_MESSAGES/messages.po))

.PHONY: run test lint bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.run-deps $@

%.mo: %.po $(VENV)/.run-deps
	$(BIN)/pybabel compile -i $< -o $@

# The demo's sources are feeds the hub serves itself, fetched by a worker thread in the server.
DEMO_ENV := HUB_ALLOW_PRIVATE_FEEDS=1 HUB_DEMO_FEEDS=1 HUB_DEMO_BASE_URL=http://127.0.0.1:$(PORT)/

run: $(VENV)/.run-deps $(CATALOGS)
	$(BIN)/flask db upgrade
	$(DEMO_ENV) $(BIN)/flask demo --if-empty
	@echo ""
	@echo "Jejaring KIM is at http://127.0.0.1:$(PORT)/  (Ctrl+C stops it)"
	@echo ""
	$(DEMO_ENV) HUB_INPROCESS_WORKER=1 $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: lint $(CATALOGS)
	$(BIN)/python -m pytest

# Ruff with the repository's configuration (ruff.toml): pyflakes, pycodestyle, import order.
lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .

bench: $(VENV)/.dev-deps $(CATALOGS)
	$(BIN)/python bench/refresh.py $(BENCH_ARGS)
	$(BIN)/python bench/timeline.py $(BENCH_TIMELINE_ARGS)
	$(BIN)/python bench/monitor.py $(BENCH_MONITOR_ARGS)
	$(BIN)/python bench/photos.py

# Re-extract UI strings and merge them into the catalogs (then translate the new entries).
messages: $(VENV)/.run-deps
	$(BIN)/pybabel extract -F babel.cfg -k _l -o hub/translations/messages.pot --no-location --omit-header --sort-output .
	$(BIN)/pybabel update -i hub/translations/messages.pot -d hub/translations --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache $(CATALOGS)
