"""The Tensor: a numpy array, its gradient, and the node of the graph that produced it."""
from sys import getrefcount as _refcount

import numpy as np

_default_dtype = np.dtype(np.float64)


def get_default_dtype():
    """The dtype Python floats and lists become (float64 unless changed)."""
    return _default_dtype


def set_default_dtype(dtype):
    """Set the dtype Python floats and lists become; it must be a floating dtype."""
    global _default_dtype
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"set_default_dtype: expected a floating dtype, got {dtype}")
    _default_dtype = dtype


def _as_array(data, dtype=None):
    if isinstance(data, Tensor):
        data = data._data
    if isinstance(data, np.ndarray):
        return data if dtype is None else data.astype(dtype, copy=False)
    if isinstance(data, np.generic):
        return np.asarray(data, dtype=dtype)
    arr = np.asarray(data, dtype=dtype)
    # Python numbers and lists take the default float dtype; bools stay bools.
    if dtype is None and arr.dtype.kind in "iuf":
        arr = arr.astype(_default_dtype)
    return arr


def _check_grad_dtype(dtype, where):
    if dtype.kind != "f":
        raise TypeError(
            f"{where}: only floating point tensors can require gradients, got dtype {dtype} "
            f"(convert first, e.g. .astype(np.float64))")


class Tensor:
    """An n-dimensional array that records the operations applied to it.

    ``data`` is anything ``np.asarray`` takes. Python floats, ints and lists become the default
    float dtype (see :func:`set_default_dtype`); numpy arrays and scalars keep theirs and are not
    copied. ``requires_grad=True`` asks for ``.grad`` to be filled by :meth:`backward`; it needs a
    floating dtype.
    """

    __slots__ = ("_data", "grad", "requires_grad", "grad_fn", "name", "_nr", "_pinned",
                 "__weakref__")
    # numpy calls __array_ufunc__ for `array * tensor`, so the result is a Tensor.
    __array_priority__ = 1000

    def __init__(self, data, requires_grad=False, dtype=None, name=None):
        arr = _as_array(data, dtype)
        if requires_grad:
            _check_grad_dtype(arr.dtype, "Tensor")
        self._data = arr
        self.grad = None
        self.requires_grad = bool(requires_grad)
        self.grad_fn = None
        self.name = name
        self._nr = 0
        self._pinned = None   # weak reference(s) to nodes that saved this tensor's array

    @classmethod
    def _make(cls, data, grad_fn=None, requires_grad=False, nr=0):
        # The constructor without conversions: the hot path of every op.
        t = object.__new__(Tensor)
        t._data = data
        t.grad = None
        t.requires_grad = requires_grad
        t.grad_fn = grad_fn
        t.name = None
        t._nr = nr
        t._pinned = None
        return t

    @property
    def data(self):
        """The ``np.ndarray`` itself (shared, not copied).

        If a recorded op saved this tensor for backward, handing the array out is noted (a
        checksum of its content), so that a write through it (``t.data[...] = v``) before that
        backward makes backward raise instead of giving a wrong gradient.
        """
        if self._pinned is not None:
            _inplace.watch_pinned(self)
        return self._data

    @data.setter
    def data(self, value):
        # Replacing the array leaves the old one, which a node may have saved, intact.
        self._data = value if isinstance(value, np.ndarray) else np.asarray(value)

    # ----------------------------------------------------------------- attributes
    @property
    def is_leaf(self):
        """True for tensors made by the user rather than by an op that records gradients."""
        return self.grad_fn is None

    @property
    def shape(self):
        return self._data.shape

    @property
    def ndim(self):
        return self._data.ndim

    @property
    def size(self):
        return self._data.size

    @property
    def dtype(self):
        return self._data.dtype

    @property
    def T(self):
        """All axes reversed, as numpy's ``.T``."""
        return _shape.transpose(self)

    def __len__(self):
        if not self._data.ndim:
            raise TypeError("len() of a 0-d tensor")
        return len(self._data)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __hash__(self):
        return id(self)

    def __bool__(self):
        return bool(self._data)

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __array__(self, dtype=None, copy=None):
        if dtype is None:
            return self._data
        return self._data.astype(dtype, copy=False)

    def __repr__(self):
        body = np.array2string(self._data, separator=", ", prefix="Tensor(")
        extra = []
        if self._data.dtype != _default_dtype:
            extra.append(f"dtype={self._data.dtype}")
        if self.grad_fn is not None:
            extra.append(f"grad_fn=<{type(self.grad_fn).__name__}>")
        elif self.requires_grad:
            extra.append("requires_grad=True")
        if self.name is not None:
            extra.append(f"name={self.name!r}")
        return "Tensor(" + ", ".join([body] + extra) + ")"

    # ----------------------------------------------------------------- conversions
    def numpy(self):
        """The data as an ``np.ndarray`` (shared, not copied). Unlike ``.data`` it is not
        watched: read through it freely; after writing through it, call
        ``ag.inplace.register_change(t)`` (as the optimizers do) so stale graphs are refused."""
        return self._data

    def item(self):
        """The single element as a Python number."""
        if self._data.size != 1:
            raise ValueError(f"item: only a tensor with one element can be converted, "
                             f"got shape {self._data.shape}")
        return self._data.item()

    def detach(self):
        """The same data, cut from the graph: a leaf that does not require grad."""
        return Tensor._make(self._data)

    def requires_grad_(self, flag=True):
        """Set ``requires_grad`` in place on a leaf; returns the tensor."""
        if not self.is_leaf:
            raise RuntimeError("requires_grad_: can only change requires_grad of leaf tensors; "
                               "use .detach() for a non-leaf")
        if flag:
            _check_grad_dtype(self._data.dtype, "requires_grad_")
        self.requires_grad = bool(flag)
        return self

    def astype(self, dtype):
        """A copy cast to ``dtype``; the gradient is cast back to this tensor's dtype."""
        return _elementwise.astype(self, dtype)

    def backward(self, grad=None, retain_graph=None, create_graph=False):
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad``.

        ``grad`` is d(loss)/d(self), required unless self has one element. The graph's saved
        arrays are freed afterwards unless ``retain_graph`` (default: ``create_graph``).
        With ``create_graph=True`` the backward pass is itself recorded, so the gradients can be
        differentiated again.
        """
        _engine.run_backward((self,), None if grad is None else (grad,), retain_graph,
                             create_graph)

    # ----------------------------------------------------------------- operators
    def __add__(self, other):
        return _elementwise.Add.apply(self, other)

    def __radd__(self, other):
        return _elementwise.Add.apply(other, self)

    def __sub__(self, other):
        return _elementwise.Sub.apply(self, other)

    def __rsub__(self, other):
        return _elementwise.Sub.apply(other, self)

    def __mul__(self, other):
        return _elementwise.Mul.apply(self, other)

    def __rmul__(self, other):
        return _elementwise.Mul.apply(other, self)

    def __truediv__(self, other):
        return _elementwise.Div.apply(self, other)

    def __rtruediv__(self, other):
        return _elementwise.Div.apply(other, self)

    def __pow__(self, other):
        return _elementwise.power(self, other)

    def __rpow__(self, other):
        return _elementwise.power(other, self)

    def __matmul__(self, other):
        return _linalg.MatMul.apply(self, other)

    def __rmatmul__(self, other):
        return _linalg.MatMul.apply(other, self)

    def __neg__(self):
        return _elementwise.Neg.apply(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return _elementwise.Abs.apply(self)

    def __getitem__(self, index):
        return _shape.GetItem.apply(self, index=_shape._plain_index(index))

    # In-place operators: see autograd/inplace.py for the rules.
    def __setitem__(self, index, value):
        index = _shape._plain_index(index)
        if self._graph_involved(value, "[index] ="):
            self._rebind(_shape.SetItem.apply(self, value, index=index))
        else:
            self._write("[index] =", lambda d: d.__setitem__(index, _raw(value)))

    def __iadd__(self, other):
        return self._inplace("+=", other, np.add, _elementwise.Add)

    def __isub__(self, other):
        return self._inplace("-=", other, np.subtract, _elementwise.Sub)

    def __imul__(self, other):
        return self._inplace("*=", other, np.multiply, _elementwise.Mul)

    def __itruediv__(self, other):
        return self._inplace("/=", other, np.true_divide, _elementwise.Div)

    def _inplace(self, op, other, ufunc, fn):
        if self._graph_involved(other, op):
            if fn in _INTO and self._alone() and _fits(self._data, other):
                self._rebind(_INTO[fn].apply(self, other))
                return self
            self._check_fit(op, other, ufunc)
            new = fn.apply(self, other)
            if new.dtype != self.dtype:     # as numpy's out=: cast back ("same_kind")
                new = new.astype(self.dtype)
            self._rebind(new)
        else:
            self._write(op, lambda d: ufunc(d, _raw(other), out=d))
        return self

    def _check_fit(self, op, other, ufunc):
        """An in-place op keeps the tensor's shape and dtype, recorded or not (as numpy's and
        PyTorch's): a result that would be larger, or of a kind that does not cast back
        ("same_kind": float64 into float32 does, float into int does not), is an error that
        leaves the tensor as it was."""
        o = _raw(other)
        try:
            shape = np.broadcast_shapes(self.shape, np.shape(o))
        except ValueError:
            shape = None
        if shape != self.shape:
            raise ValueError(f"in-place {op} on a {_inplace._describe(self)}: an operand of "
                             f"shape {np.shape(o)} does not broadcast into the tensor's shape; "
                             f"write t = t {op[0]} other for a new tensor")
        dtype = np.result_type(self._data, o)
        if not np.can_cast(dtype, self.dtype, "same_kind"):
            raise TypeError(f"in-place {op} on a {_inplace._describe(self)}: its result "
                            f"({dtype}) cannot be cast back to {self.dtype} (casting rule "
                            f"'same_kind', as numpy's {ufunc.__name__}(..., out=...))")

    def _alone(self):
        """Whether this tensor's array can be overwritten with no one seeing its old value: no
        node saved it (no pin), it is no view, and nothing else holds it, no other tensor,
        view, name or saved tuple (its reference count is this tensor's own). Then ``+=``,
        ``-=`` and ``relu_()`` write into it, as numpy's in-place operators do, while the graph
        records them as the out-of-place ops. (Compiled, those three decide the common case
        with the same checks in C, ``writes_into`` in csrc/methods.c, and call these methods
        for every other.)"""
        if self._pinned is not None or self._array_refs() != _ALONE_REFS:   # counted first:
            return False                                                  # a local is one more
        d = self._data
        return type(d) is np.ndarray and d.base is None and d.flags.writeable

    def _array_refs(self):
        """The reference count of this tensor's array as seen here: measured once on a fresh
        tensor (``_ALONE_REFS``: the slot, the local, the argument on CPython 3.11), so that
        a Python that counts a local or an argument otherwise still compares like with like."""
        d = self._data
        return _refcount(d)

    def _graph_involved(self, other, op):
        """Whether an in-place op must be recorded (and is allowed at all)."""
        if not _engine.is_grad_enabled():
            return False
        if self.requires_grad and self.grad_fn is None:
            raise _inplace.leaf_error(self, op)
        return self.requires_grad or (isinstance(other, Tensor) and other.requires_grad)

    def _rebind(self, new):
        # The old array stays untouched for the nodes that saved it; this tensor now stands
        # for the new value, whose node has the old one as its input.
        self._data, self.grad_fn, self._nr = new._data, new.grad_fn, new._nr
        self.requires_grad, self._pinned = new.requires_grad, new._pinned

    def _write(self, op, write):
        try:
            write(self._data)
        except (TypeError, ValueError) as e:
            kind = TypeError if isinstance(e, TypeError) else ValueError
            raise kind(f"in-place {op} on a {_inplace._describe(self)}: {e}") from None
        _inplace.register_change(self)

    # Comparisons and logic have no gradient: they give plain boolean tensors.
    def __lt__(self, other):
        return Tensor._make(self._data < _raw(other))

    def __le__(self, other):
        return Tensor._make(self._data <= _raw(other))

    def __gt__(self, other):
        return Tensor._make(self._data > _raw(other))

    def __ge__(self, other):
        return Tensor._make(self._data >= _raw(other))

    def __eq__(self, other):
        return Tensor._make(self._data == _raw(other))

    def __ne__(self, other):
        return Tensor._make(self._data != _raw(other))

    def __invert__(self):
        return Tensor._make(~self._data)

    def __and__(self, other):
        return Tensor._make(self._data & _raw(other))

    def __or__(self, other):
        return Tensor._make(self._data | _raw(other))

    def __xor__(self, other):
        return Tensor._make(self._data ^ _raw(other))

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return _interop.array_ufunc(self, ufunc, method, inputs, kwargs)

    # ----------------------------------------------------------------- numpy-style methods
    def sum(self, axis=None, keepdims=False):
        return _reductions.Sum.apply(self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims=False):
        return _reductions.Mean.apply(self, axis=axis, keepdims=keepdims)

    def max(self, axis=None, keepdims=False):
        return _reductions.Max.apply(self, axis=axis, keepdims=keepdims)

    def min(self, axis=None, keepdims=False):
        return _reductions.Min.apply(self, axis=axis, keepdims=keepdims)

    def logsumexp(self, axis=None, keepdims=False):
        return _reductions.LogSumExp.apply(self, axis=axis, keepdims=keepdims)

    def exp(self):
        return _elementwise.Exp.apply(self)

    def log(self):
        return _elementwise.Log.apply(self)

    def sqrt(self):
        return _elementwise.Sqrt.apply(self)

    def abs(self):
        return _elementwise.Abs.apply(self)

    def tanh(self):
        return _activations.Tanh.apply(self)

    def sigmoid(self):
        return _activations.Sigmoid.apply(self)

    def relu(self):
        return _activations.ReLU.apply(self)

    def relu_(self):
        """max(0, x) in place, as PyTorch's ``relu_``: returns this tensor. While the graph is
        recorded it is recorded as ``relu()``, written into the tensor's own array when nothing
        else can see that array (see ``+=``), else into a new one the tensor is rebound to."""
        if self._graph_involved(None, "relu_()"):
            fn = _activations.ReLUInPlace if self._alone() else _activations.ReLU
            self._rebind(fn.apply(self))
        else:
            self._write("relu_()", lambda d: np.maximum(d, _zeros_operand(d), out=d))
        return self

    def clip(self, a_min=None, a_max=None):
        return _elementwise.clip(self, a_min, a_max)

    def reshape(self, *shape):
        if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
            shape = shape[0]
        return _shape.reshape(self, shape)

    def transpose(self, *axes):
        if len(axes) == 1 and (axes[0] is None or not isinstance(axes[0], (int, np.integer))):
            axes = axes[0]
        return _shape.transpose(self, axes or None)

    def swapaxes(self, axis1, axis2):
        return _shape.swapaxes(self, axis1, axis2)


def _raw(x):
    return x._data if isinstance(x, Tensor) else x


def _fits(d, other):
    """Whether ``d op= other`` keeps d's shape and dtype, so that writing into d gives what the
    out-of-place op would: a tensor or array of d's dtype that broadcasts into d's shape (a
    bias: its trailing axes), or a Python number with a floating d."""
    o = other._data if isinstance(other, Tensor) else other
    if type(o) is np.ndarray:
        dtype = o.dtype
        if dtype is not d.dtype and dtype != d.dtype:
            return False
        shape, o_shape = d.shape, o.shape
        off = len(shape) - len(o_shape)
        if off < 0:
            return False
        if o_shape == shape[off:]:
            return True
        for k, n in enumerate(o_shape):
            if n != 1 and n != shape[off + k]:
                return False
        return True
    return type(o) in (float, int) and d.dtype.kind == "f"


# The ops import Tensor from this module, so they are imported last.
from . import engine as _engine  # noqa: E402
from . import inplace as _inplace  # noqa: E402
from . import interop as _interop  # noqa: E402
from .ops import activations as _activations  # noqa: E402
from .ops import elementwise as _elementwise  # noqa: E402
from .ops import linalg as _linalg  # noqa: E402
from .ops import reductions as _reductions  # noqa: E402
from .ops import shape as _shape  # noqa: E402
from .ops.creation import zeros_operand as _zeros_operand  # noqa: E402

# the in-place operators that can write into the tensor's own array (their derivatives need
# neither input)
_INTO = {_elementwise.Add: _elementwise.AddInPlace, _elementwise.Sub: _elementwise.SubInPlace}
_ALONE_REFS = Tensor(np.zeros(1))._array_refs()     # an array held by its tensor alone
