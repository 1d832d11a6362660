# One command to run tiendo, one to test it. Both install what they need into ./.venv first,
# at the versions pinned in constraints.txt (direct dependencies are pinned in pyproject.toml).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install bench schemas browser-deps doc-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

install: $(BIN)/python browser-deps doc-deps
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"

# The browser tests drive Debian's chromium (installed here when missing, as root, without questions) and inject
# axe-core from the npm registry. Where neither can be installed, those tests are skipped and say why.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1 || \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 || \
	  { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1; } || \
	  echo "tiendo: chromium could not be installed; the browser tests will be skipped"
	@[ -f tests/browser/node_modules/axe-core/axe.min.js ] || ! command -v npm >/dev/null 2>&1 || \
	  npm ci --prefix tests/browser --no-audit --no-fund --silent || \
	  echo "tiendo: axe-core could not be installed; the accessibility check will be skipped"

# The importer reads Word 97-2003 (.doc) files through Debian's antiword (installed here the same way); without it
# a .doc is refused with the way out (save it as .docx) and the .doc tests are skipped. Debian's wv (wvWare) gives
# the list levels antiword leaves out; without it a multi-level list in a .doc reads as one list.
doc-deps:
	@{ command -v antiword && command -v wvWare; } >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1 || \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q antiword wv >/dev/null 2>&1 || \
	  { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q antiword wv >/dev/null 2>&1; } || \
	  echo "tiendo: antiword or wv could not be installed; .doc files will be refused (or read without list levels)"

run: install
	$(BIN)/tiendo run

test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: install
	$(BIN)/python bench/status_reports.py

schemas: install
	$(BIN)/python -m schemas.generate
