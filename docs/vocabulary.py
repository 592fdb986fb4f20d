"""The page "numpy's vocabulary" (``numpy.md``), generated from the binding table when the site
is built (``docs/hooks.py``): every numpy name the library implements, how it is reached
(``ag.<name>``, the Tensor method, ``np.<name>`` on a Tensor), its signature, what its
docstring says first, and its gradient. The table is read from ``autograd.binding``, so the page
cannot drift from the code.
"""
import inspect
import re

import numpy as np

INTRO = """# numpy's vocabulary

Every numpy name below is a function of `ag` with numpy's signature and semantics, and takes
Tensors, arrays and numbers. Called through numpy on a Tensor (`np.sin(t)`, `np.einsum(..., t)`),
numpy hands the call to it: the result is a Tensor with its gradient. A numpy function that is
not in this table raises a `TypeError` on a Tensor that names it (pass `np.asarray(t)` for a
deliberate constant), so no gradient is ever dropped in silence. The exceptions, which run on
the tensors' arrays because their results carry no gradient: {constants}.

Second order: every backward rule is written with operations that arrays and Tensors share, so
`create_graph=True` (and `ag.gradgradcheck`, `ag.functional.hessian`) works for each name; the
op sweep of the test suite runs `gradcheck`, a float32 pass and `gradgradcheck` on every one.

One limit numpy's protocols leave: `np.array([t, u])` on a *list* of Tensors reaches no hook
the library can answer, and gives a plain array. Write `ag.stack([t, u])`.

This page is generated from the binding table (`autograd/binding.py`) when the site is built.

| name | reached as | signature | what it does | gradient |
|------|------------|-----------|--------------|----------|
"""


# numpy's name -> the library's, where they differ
ALIASES = {"absolute": "abs", "true_divide": "divide"}


def _first_line(fn):
    doc = inspect.getdoc(fn) or ""
    para = doc.split("\n\n")[0].replace("\n", " ").strip()
    para = re.sub(r":(?:func|meth|class|attr|mod|exc):`~?([^`]+)`", r"`\1`", para)
    return para.replace("``", "`").replace("|", "\\|")


def _signature(name, fn):
    try:
        sig = str(inspect.signature(fn))
    except (TypeError, ValueError):
        sig = "(...)"
    return f"`{name}{sig}`".replace("|", "\\|")


def rows():
    """(name, reached as, signature, summary, gradient) for every name of numpy's vocabulary
    that the library implements, sorted by name."""
    import autograd as ag
    from autograd import binding
    from autograd.tensor import Tensor

    numpy_names = {np_fn.__name__ for table in (binding.UFUNCS, binding.FUNCTIONS)
                   for np_fn in table}
    # ndarray's methods with no numpy function of that name, and the second names of numpy
    # functions (np.mod is np.remainder)
    others = {name for module in binding.VOCABULARY for name in module.__all__}
    out = []
    for np_name in sorted(numpy_names | others):
        name = ALIASES.get(np_name, np_name)
        fn = getattr(ag, name, None)
        if fn is None or not callable(fn) or isinstance(fn, type):
            continue        # the comparisons: boolean Tensors, through the operators
        reached = [f"`ag.{name}`"]
        if hasattr(Tensor, name) and hasattr(np.ndarray, name):
            reached.append(f"`t.{name}()`")
        if np_name in numpy_names or hasattr(np, np_name):
            reached.append(f"`np.{np_name}`")
        if name in binding.INTEGER_RESULTS:
            grad = "none (integer result)"
        elif name in binding.ZERO_GRADIENT:
            grad = "0 (a step function)"
        else:
            grad = "first and second order"
        out.append((name, ", ".join(reached), _signature(name, fn), _first_line(fn), grad))
    return out


def page():
    from autograd import binding
    constants = ", ".join(f"`np.{f.__name__}`" for f in
                          sorted(binding.CONSTANT_RESULTS, key=lambda f: f.__name__))
    lines = [INTRO.format(constants=constants)]
    lines.append("| `mT` | `t.mT` | a property | The last two axes swapped, as "
                 "`ag.matrix_transpose`. | first and second order |\n")
    for name, reached, sig, summary, grad in rows():
        lines.append(f"| [`{name}`](api/autograd.md#autograd.{name}) | {reached} | {sig} | "
                     f"{summary} | {grad} |\n")
    lines.append(LINALG)
    for name, reached, sig, summary in namespace_rows("linalg"):
        lines.append(f"| [`{name}`](api/autograd.md#autograd.linalg.{name}) | {reached} | {sig} "
                     f"| {summary} |\n")
    lines.append(SPECIAL)
    for name, reached, sig, summary in namespace_rows("special"):
        lines.append(f"| [`{name}`](api/autograd.md#autograd.special.{name}) | {reached} | "
                     f"{sig} | {summary} |\n")
    return "".join(lines)


LINALG = """
## `ag.linalg`

numpy's `np.linalg`, batched over leading axes as numpy 2 is; `np.linalg.<name>(t)` on a Tensor
runs it. Each has first and second derivatives (the docstrings say where a gradient is defined:
`det` of a singular matrix has a finite one, `eigh` with repeated eigenvalues a finite one for a
loss on the eigenvalues alone, `norm` at 0 is 0).

| name | reached as | signature | what it does |
|------|------------|-----------|--------------|
"""

SPECIAL = """
## `ag.special`

scipy.special's names and values (scipy is the `special` extra, imported on first use);
`scipy.special.<name>(t)` on a Tensor runs it where scipy's is a ufunc. Each has first and
second derivatives.

| name | reached as | signature | what it does |
|------|------------|-----------|--------------|
"""


def namespace_rows(which):
    """(name, reached as, signature, summary) for every name of ``ag.linalg`` or
    ``ag.special``."""
    import autograd as ag
    namespace = getattr(ag, which)
    out = []
    for name in namespace.__all__:
        fn = getattr(namespace, name)
        reached = [f"`ag.{which}.{name}`"]
        if which == "linalg" and hasattr(np.linalg, name):
            reached.append(f"`np.linalg.{name}`")
        elif which == "special":
            reached.append(f"`scipy.special.{name}`" if name != "logsumexp" else
                           "(scipy's is no ufunc)")
        out.append((name, ", ".join(reached), _signature(name, fn), _first_line(fn)))
    return out


if __name__ == "__main__":
    print(page())
