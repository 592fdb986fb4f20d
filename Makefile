# Two commands for a new user: `make demo` and `make test`. Both make a local virtual
# environment (.venv) first, because the import name `autograd` is also taken by an unrelated
# package on the package index: the library wants an environment of its own.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# the compiled loops: an edit rebuilds them (pip install -e)
CSRC   := $(wildcard autograd/csrc/*.c autograd/csrc/*.h)
PYTEST_ARGS ?= -q

.PHONY: demo test bench fuzz clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.demo: $(PY) pyproject.toml $(CSRC)
	$(PY) -m pip install --quiet -e '.[demo]'
	touch $@

$(VENV)/.dev: $(PY) pyproject.toml $(CSRC)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.demo

demo: $(VENV)/.demo
	$(PY) notebooks/demo.py

# The suite runs twice: with the compiled loops (autograd/csrc/), then on the pure-Python
# engine, which must give the same results (the notebooks and the demo only the first time).
test: $(VENV)/.dev
	$(PY) -m pytest $(PYTEST_ARGS)
	AUTOGRAD_PURE_PYTHON=1 $(PY) -m pytest $(PYTEST_ARGS) $(PURE_PYTEST_ARGS)

PURE_PYTEST_ARGS ?= --ignore=tests/test_notebooks.py --ignore=tests/test_demo.py

# The long fuzz run: tests/test_fuzz.py alone, FUZZ_EXAMPLES random graphs per op kind and
# order (fresh ones each run; a failure is replayed first next time, from .hypothesis/).
FUZZ_EXAMPLES ?= 300
fuzz: $(VENV)/.dev
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest $(PYTEST_ARGS) tests/test_fuzz.py

bench: $(VENV)/.dev
	$(PY) benchmarks/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info demo-output autograd/_fast*.so
