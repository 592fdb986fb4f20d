# Two commands for a new user: `make demo` and `make test`. Both make a local virtual
# environment (.venv) first, because the import name `autograd` is also taken by an unrelated
# package on the package index: the library wants an environment of its own.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# the compiled loops: an edit rebuilds them (pip install -e)
CSRC   := $(wildcard autograd/csrc/*.c autograd/csrc/*.h)
PYTEST_ARGS ?= -q

.PHONY: demo test test-pythons bench fuzz clean docs

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.demo: $(PY) pyproject.toml setup.py $(CSRC)
	$(PY) -m pip install --quiet -e '.[demo]'
	touch $@

$(VENV)/.dev: $(PY) pyproject.toml setup.py $(CSRC)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.demo

demo: $(VENV)/.demo
	$(PY) notebooks/demo.py

# The suite runs twice: with the compiled loops (autograd/csrc/), then on the pure-Python
# engine, which must give the same results (the notebooks and the demo only the first time).
test: $(VENV)/.dev
	$(PY) -m pytest $(PYTEST_ARGS)
	AUTOGRAD_PURE_PYTHON=1 $(PY) -m pytest $(PYTEST_ARGS) $(PURE_PYTEST_ARGS)

PURE_PYTEST_ARGS ?= --ignore=tests/test_notebooks.py --ignore=tests/test_demo.py \
                    --ignore=tests/test_docs_site.py

# The same two runs on every Python from 3.10 to 3.13 found here (noxfile.py), each in its own
# .venv-3.X; a Python not found is skipped with a line saying so.
test-pythons: $(VENV)/.dev
	$(PY) -m nox

# The long fuzz run: tests/test_fuzz.py, FUZZ_EXAMPLES random graphs per op kind and order
# (fresh ones each run; a failure is replayed first next time, from .hypothesis/), the
# differential fuzz, 6 × FUZZ_EXAMPLES random programs run by each engine, and every single-bit
# corruption of saved files (nn.load refuses each or loads the original).
FUZZ_EXAMPLES ?= 300
fuzz: $(VENV)/.dev
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest $(PYTEST_ARGS) tests/test_fuzz.py \
		tests/test_fuzz_differential.py
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest $(PYTEST_ARGS) tests/test_nn_hostile_files.py \
		-k flipped

# The documentation site (mkdocs.yml, docs/): into site/; any warning (a broken link or anchor,
# a docstring griffe cannot read) fails the build. `$(VENV)/bin/mkdocs serve` previews it.
docs: $(VENV)/.dev
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict --site-dir site

bench: $(VENV)/.dev
	$(PY) benchmarks/bench.py $(BENCH_ARGS)
	$(PY) -m benchmarks.vmap $(BENCH_ARGS)
	$(PY) -m benchmarks.ops $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .venv-3.* .nox build *.egg-info demo-output autograd/_fast*.so site
