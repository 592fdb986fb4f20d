# Two commands for a new user: `make demo` and `make test`. Both make a local virtual
# environment (.venv) first, because the import name `autograd` is also taken by an unrelated
# package on the package index: the library wants an environment of its own.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PYTEST_ARGS ?= -q

.PHONY: demo test bench fuzz clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.demo: $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e '.[demo]'
	touch $@

$(VENV)/.dev: $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.demo

demo: $(VENV)/.demo
	$(PY) notebooks/demo.py

test: $(VENV)/.dev
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.dev
	$(PY) benchmarks/bench.py

clean:
	rm -rf $(VENV) build *.egg-info demo-output
