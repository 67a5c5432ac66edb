# hpyapi - the two commands are `make demo` and `make test`.
# Everything is installed into .venv from the pins in requirements.txt.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.hpyapi-installed
SOURCES := $(shell find src -type f -not -path '*/__pycache__/*') pyproject.toml

.PHONY: all demo test venv clean

all: test

$(VENV)/.deps: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# a real (non-editable) install, so that tests see what users get
$(STAMP): $(VENV)/.deps $(SOURCES)
	$(PY) -m pip install --quiet --disable-pip-version-check \
	    --no-build-isolation --no-deps --force-reinstall .
	touch $@

venv: $(STAMP)

demo: $(STAMP)
	$(PY) examples/demo.py

test: $(STAMP)
	$(PY) -m pytest -q tests

clean:
	rm -rf build $(VENV) src/*.egg-info
