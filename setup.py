"""The build of the compiled core, the C extension autograd._fast (autograd/csrc/), against
numpy's own C headers; everything else about the package is in pyproject.toml.

The extension is optional: without a C compiler or the Python headers (or without numpy where
the build runs, which pyproject.toml's [build-system] otherwise provides) the install still
succeeds, and the pure-Python engine does the same work, slower (docs/performance.md).
"""
from setuptools import Extension, setup


def _compiled_core():
    try:
        import numpy
    except ImportError:
        import warnings
        warnings.warn("numpy is not importable where the package is built: the compiled core "
                      "(autograd._fast) is not built; the pure-Python engine will run")
        return []
    return [Extension(
        "autograd._fast",
        sources=["autograd/csrc/module.c", "autograd/csrc/apply.c", "autograd/csrc/backward.c",
                 "autograd/csrc/methods.c", "autograd/csrc/mode.c"],
        depends=["autograd/csrc/fast.h"],
        include_dirs=[numpy.get_include()],
        optional=True,
    )]


setup(ext_modules=_compiled_core())
