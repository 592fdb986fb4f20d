"""What the ops check the same way: an operand of real numbers. The library differentiates real
tensors only; complex input (and strings, objects) gets one TypeError everywhere, naming the
op, the argument, its shape and its dtype."""
import numpy as np

from ..function import raw
from ..tensor import _t


def check_real(op, name, v):
    """Raise a TypeError if ``v`` (a Tensor, array, number or sequence) does not hold real
    numbers: integers, floats and booleans pass, as Python numbers do.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd.ops.checks import check_real
    >>> check_real("sin", "x", 1.5)
    >>> check_real("sin", "x", np.ones(2, complex))
    Traceback (most recent call last):
        ...
    TypeError: sin: x of shape (2,) is complex (dtype complex128); sin takes real (integer or
    floating) operands
    """
    d = raw(v)
    if type(d) in (float, int, bool):
        return
    dtype = d.dtype if isinstance(d, (np.ndarray, np.generic)) else np.asarray(d).dtype
    if dtype.kind in "biuf":
        return
    what = "is complex" if dtype.kind == "c" else "does not hold real numbers"
    raise TypeError(f"{op}: {name} of shape {np.shape(d)} {what} (dtype {dtype}); {op} takes "
                    f"real (integer or floating) operands")


def real_tensor(x, op, name="x"):
    """``x`` as a Tensor (a Tensor as it is), after :func:`check_real`."""
    check_real(op, name, x)
    return _t(x)
