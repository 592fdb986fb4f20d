"""Text for the pictures: escaping into Graphviz HTML-like labels, and short summaries of arrays.

Every piece of text that reaches the DOT source goes through :func:`esc`: labels are HTML-like
(``<...>``), so a user's name can hold quotes, brackets, braces, pipes, backslashes or newlines
without closing the label or starting a new statement.
"""
import math
import re

import numpy as np

SMALL = 16          # arrays with at most this many elements are shown in full
_CTRL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def esc(text):
    """``text`` as the content of a Graphviz HTML-like label: entities for ``& < > "``, doubled
    backslashes, control characters spelled ``\\xNN`` (XML forbids them), newlines as
    ``<BR/>``."""
    s = str(text).encode("utf-8", "backslashreplace").decode("utf-8")
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    # Graphviz expands \N, \G, \L... even inside HTML labels (after entities); \\ is a
    # literal backslash.
    s = s.replace("\\", "\\\\")
    s = _CTRL.sub(lambda m: "\\\\x%02x" % ord(m.group()), s)
    return s.replace("\n", "<BR/>")


def html_label(lines):
    """An HTML-like label from lines that are already escaped fragments."""
    return "<" + "<BR/>".join(lines) + ">"


def num(x):
    """A number in four significant digits."""
    return f"{x + 0.0:.4g}"   # + 0.0: -0.0 prints as 0


def shape_str(shape):
    return str(tuple(int(s) for s in shape))


def type_str(shape, dtype):
    """``(4, 2) float64``."""
    return f"{shape_str(shape)} {np.dtype(dtype).name}"


class Stats:
    """What a picture shows of an array: the numbers when small, else min/mean/max, the norm and
    the share of zeros; and how many entries are NaN or infinite."""

    __slots__ = ("shape", "size", "small", "min", "mean", "max", "norm", "zeros", "nan", "inf")

    def __init__(self, arr, small=SMALL):
        a = np.asarray(arr)
        if a.dtype.kind == "b":
            a = a.astype(np.int8)
        if a.dtype.kind not in "iuf":
            raise TypeError(f"viz: cannot summarize an array of dtype {a.dtype}")
        self.shape = a.shape
        self.size = a.size
        if a.size <= small:
            # Plain Python is several times faster than numpy's reductions on a few numbers,
            # and a graph can hold tens of thousands of them.
            self.small = a.copy()
            vals = [float(v) for v in a.ravel().tolist()]
            finite = [v for v in vals if math.isfinite(v)]
            self.nan = sum(1 for v in vals if v != v)
            self.inf = len(vals) - len(finite) - self.nan
            self.zeros = sum(1 for v in vals if v == 0) / len(vals) if vals else 0.0
            self.norm = math.sqrt(sum(v * v for v in finite))
            if finite:
                self.min, self.max = min(finite), max(finite)
                self.mean = sum(finite) / len(finite)
            else:
                self.min = self.mean = self.max = float("nan")
            return
        self.small = None
        self.nan = self.inf = 0
        finite = a
        if a.dtype.kind == "f":
            self.nan = int(np.count_nonzero(np.isnan(a)))
            self.inf = int(np.count_nonzero(np.isinf(a)))
            if self.nan or self.inf:
                finite = a[np.isfinite(a)]
        f64 = finite.astype(np.float64, copy=False).ravel()
        self.norm = float(np.sqrt(np.dot(f64, f64))) if f64.size else 0.0
        if f64.size:
            self.min, self.mean, self.max = float(f64.min()), float(f64.mean()), float(f64.max())
        else:
            self.min = self.mean = self.max = float("nan")
        self.zeros = float(np.count_nonzero(a == 0)) / a.size

    @property
    def bad(self):
        """Whether some entry is NaN or infinite."""
        return bool(self.nan or self.inf)

    def lines(self, title=None):
        """Escaped label lines; ``title`` (e.g. "grad") starts the first one."""
        head = f"<I>{esc(title)}</I> " if title else ""
        if self.small is not None:
            if self.small.ndim == 0:
                body = [num(self.small.item())]
            else:
                body = np.array2string(self.small, separator=", ", max_line_width=44,
                                       formatter={"float_kind": num}).split("\n")
        else:
            body = [f"min {num(self.min)}  mean {num(self.mean)}  max {num(self.max)}",
                    f"‖·‖ {num(self.norm)}  zeros {self.zeros:.0%}"]
        out = [head + esc(body[0])] + [esc(b) for b in body[1:]]
        if self.bad:
            warn = ", ".join(p for p in (f"{self.nan} NaN" if self.nan else "",
                                         f"{self.inf} inf" if self.inf else "") if p)
            out.append(f'<FONT COLOR="red"><B>{esc(warn)}</B></FONT>')
        return out


def pen_width(norm):
    """Edge width for a gradient of this norm, on a log scale: 2 for a norm of 1, one point
    more for every factor of 100 (0.25 to 8)."""
    if not norm > 0:
        return 0.25
    return float(np.clip(2.0 + 0.5 * np.log10(norm), 0.25, 8.0))


def named_tensors(params, where, what="params"):
    """(name, Tensor) pairs from a dict, an iterable of pairs (``named_parameters()``) or an
    object with ``named_parameters()``; a clear error naming ``where`` for anything else."""
    from ..tensor import Tensor
    if callable(getattr(params, "named_parameters", None)):
        params = params.named_parameters()
    pairs = params.items() if isinstance(params, dict) else params
    for entry in pairs:
        try:
            name, t = entry
        except (TypeError, ValueError):
            raise TypeError(f"{where}: {what} must be a dict name -> Tensor or (name, Tensor) "
                            f"pairs, got the entry {entry!r:.60}") from None
        if not isinstance(t, Tensor):
            raise TypeError(f"{where}: {what}[{name!r:.60}] must be a Tensor, got "
                            f"{type(t).__name__}")
        yield name, t
