# Every target installs what it needs, so each works on a fresh machine with only Python.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_BASE := $(VENV)/.installed-base
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: demo test lint typecheck graphviz bench notebooks clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_BASE): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,notebooks,torch]'
	touch $@ $(STAMP_BASE)

# Graphviz's `dot` renders the graphs; install it (with a Hangul font) when we can.
graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing graphviz and fonts-nanum with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz fonts-nanum >/dev/null; \
	  else \
	    echo "warning: Graphviz 'dot' not found; install it (apt-get install graphviz / brew install graphviz / conda install graphviz) to render graphs"; \
	  fi; }

demo: $(STAMP_BASE) graphviz
	$(BIN)/python -m micrograd_ko demo

lint: $(STAMP_DEV)
	$(BIN)/ruff check micrograd_ko tests benchmarks
	$(BIN)/mypy

test: $(STAMP_DEV) graphviz lint
	HYPOTHESIS_PROFILE=ci $(BIN)/python -m pytest

# The peers (micrograd from PyPI, PyTorch, psutil) come from the bench extra; a full run takes several minutes.
bench: $(STAMP_BASE)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m benchmarks

# Re-execute every notebooks/NN_name.py (the source of truth) and write its .ipynb with outputs.
notebooks: $(STAMP_DEV) graphviz
	$(BIN)/python notebooks/build.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis out
