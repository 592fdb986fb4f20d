"""In-place modification: Tensor operators that change a tensor, and the check that an array saved
for backward was not changed after it was saved.

The rules (PyTorch's, with a cheaper bookkeeping):
- An in-place operator (``+= -= *= /=``, ``t[index] = value``) on a leaf that requires grad,
  while gradients are recorded, is an error: its earlier uses in the graph would be wrong.
- While gradients are recorded, an in-place operator on a tensor that is part of the graph
  (it requires grad, or the value written does) computes a new array and rebinds the tensor to
  it, recording the op: the old array, which backward may need, is left intact.
- Otherwise (no gradient involved, or under ``no_grad``) the tensor's array is changed in place,
  and the change is registered. A node whose saved arrays include a changed one refuses to run
  its backward and names the tensor and the op that saved it.

The hot path pays one integer per node: every node that saves arrays stamps the value of a
global modification clock; the engine compares it with the clock before running the node's
backward and looks further only when some in-place change happened since.

Writes that bypass the Tensor (``t.data[...] = v``, numpy functions with ``out=``) cannot be
seen this way at no cost; under :func:`autograd.detect_anomaly` every saved array is also
checksummed when saved and verified before backward, which catches them too.
"""
import weakref

import numpy as np


class _Clock:
    value = 0


clock = _Clock()
# id(array) -> (clock value, weak reference to the array, (name, shape, dtype) of the tensor)
_changed = {}


def _describe(t):
    return _label((t.name, t.shape, t.dtype))


def _label(about):
    name, shape, dtype = about
    return f"tensor {f'{name!r} ' if name else ''}of shape {shape} ({dtype})"


def register_change(t):
    """Record that ``t``'s array (and the arrays it is a view of) changed in place."""
    clock.value += 1
    if len(_changed) > 10_000:
        for key in [k for k, (_, ref, _) in _changed.items() if ref() is None]:
            del _changed[key]
    arr = t.data
    label = (t.name, arr.shape, arr.dtype)     # formatted only if an error is raised
    while arr is not None:
        try:
            _changed[id(arr)] = (clock.value, weakref.ref(arr), label)
        except TypeError:       # an object numpy holds as a base that is not an array
            break
        arr = arr.base if isinstance(arr.base, np.ndarray) else None


def _lookup(arr, born):
    """The description of the tensor whose change touched ``arr`` after ``born``, or None."""
    while isinstance(arr, np.ndarray):
        entry = _changed.get(id(arr))
        if entry is not None and entry[0] > born and entry[1]() is arr:
            return _label(entry[2])
        arr = arr.base
    return None


def check_saved(node):
    """Raise if an array ``node`` saved was changed in place after the node was recorded."""
    saved = node._saved
    if not isinstance(saved, tuple):
        return
    for k, s in enumerate(saved):
        label = _lookup(s, node._born)
        if label is not None:
            raise RuntimeError(
                f"{type(node).__name__}.backward needs an array it saved in the forward pass "
                f"(saved item {k}), but it was modified in place afterwards: the {label} was "
                f"changed by an in-place operation. Its gradient would be wrong. Use an "
                f"out-of-place operation (y = y + 1 rather than y += 1), or change the tensor "
                f"only after backward")


def leaf_error(t, op):
    return RuntimeError(
        f"in-place {op} on a leaf {_describe(t)} that requires grad, while gradients are "
        f"recorded: its earlier uses in the graph would become wrong. Update it under "
        f"`with ag.no_grad():` (as an optimizer does), or use an out-of-place operation")
