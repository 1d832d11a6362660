# One command to run tiendo, one to test it. Both install what they need into ./.venv first,
# at the versions pinned in constraints.txt (direct dependencies are pinned in pyproject.toml).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install bench schemas

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"

run: install
	$(BIN)/tiendo run

test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: install
	$(BIN)/python bench/status_reports.py

schemas: install
	$(BIN)/python -m schemas.generate
