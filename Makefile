# Every target installs what it needs, so each works on a fresh machine with only Python.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_BASE := $(VENV)/.installed-base
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: demo test lint typecheck graphviz browser bench notebooks clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_BASE): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,notebooks,torch,browser]'
	touch $@ $(STAMP_BASE)

# Graphviz's `dot` renders the graphs, and PNG/PDF need a Korean font (`fc-list :lang=ko`) or every Hangul
# label becomes a box: install whichever is missing when we can (root with apt), otherwise say so.
graphviz:
	@missing=""; \
	command -v dot >/dev/null 2>&1 || missing="graphviz"; \
	[ -n "$$(fc-list :lang=ko 2>/dev/null)" ] || missing="$$missing fonts-nanum fontconfig"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing$$missing with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    case "$$missing" in *graphviz*) echo "warning: Graphviz 'dot' not found; install it (apt-get install graphviz / brew install graphviz / conda install graphviz) to render graphs";; esac; \
	    case "$$missing" in *fonts-nanum*) echo "warning: no Korean font found ('fc-list :lang=ko' lists none), so Hangul in PNG/PDF graphs will be boxes; install one (apt-get install fonts-nanum / brew install --cask font-nanum-gothic)";; esac; \
	  fi; \
	fi

# Debian's Chromium runs the step-through page's browser test (Playwright's own browser download cannot work
# here); without it that test is skipped with the reason.
browser:
	@[ -x /usr/bin/chromium ] || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium with apt-get (for the browser test)"; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	      || echo "warning: could not install chromium; the browser test will be skipped"; \
	  else \
	    echo "note: /usr/bin/chromium not found (apt-get install chromium); the browser test will be skipped"; \
	  fi; }

demo: $(STAMP_BASE) graphviz
	$(BIN)/python -m micrograd_ko demo

lint: $(STAMP_DEV)
	$(BIN)/ruff check micrograd_ko tests benchmarks
	$(BIN)/mypy

test: $(STAMP_DEV) graphviz browser lint
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
