# The README's commands. Each creates .venv on first use and installs the project into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench app test-app clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/trellis

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

BENCH_STAMP := $(VENV)/.installed-bench

# The bench builds the app afresh to measure it (bench/app_size.py), so it installs PyInstaller.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench,app]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

# The double-clickable app: dist/Trellis/Trellis (build.spec), with PyInstaller in .venv.
APP_STAMP := $(VENV)/.installed-app

$(APP_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[app]'
	touch $(APP_STAMP)

app: $(APP_STAMP)
	$(BIN)/pyinstaller --noconfirm build.spec

# Builds the app afresh in a temporary folder and runs the binary (tests/app).
test-app: $(APP_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m app tests/app

clean:
	rm -rf $(VENV) build dist
