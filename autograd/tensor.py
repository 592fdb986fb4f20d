"""The Tensor: a numpy array, its gradient, and the node of the graph that produced it."""
import warnings as _warnings
import weakref as _weakref
from sys import getrefcount as _refcount
from types import SimpleNamespace

import numpy as np

from . import _core
from . import inplace as _inplace
from .mode import _mode

_default_dtype = np.dtype(np.float64)

# What Tensor's methods call (the op Functions and functions, the engine's backward, numpy's
# ufunc protocol), by name. autograd.binding fills it from its table once everything is
# imported: this module imports no op and no engine, and the ops import Tensor from it.
_ops = SimpleNamespace()


def get_default_dtype():
    """The dtype Python floats and lists become (float64 unless changed).

    Returns
    -------
    numpy.dtype
        The current default floating dtype, set by :func:`set_default_dtype`.

    Examples
    --------
    >>> import autograd as ag
    >>> ag.get_default_dtype()
    dtype('float64')
    >>> ag.tensor([1, 2]).dtype
    dtype('float64')
    """
    return _default_dtype


def set_default_dtype(dtype):
    """Set the dtype Python floats and lists become; it must be a floating dtype.

    numpy arrays keep their own dtype; Python numbers, lists and the creation functions
    (:func:`zeros`, :func:`randn`, ...) without a ``dtype`` take this one.

    Parameters
    ----------
    dtype : data-type
        A floating dtype, such as ``np.float32`` or ``"float64"``.

    Raises
    ------
    TypeError
        If ``dtype`` is not a floating dtype.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> ag.set_default_dtype(np.float32)
    >>> ag.tensor([1.0, 2.0])
    Tensor([1., 2.])
    >>> ag.tensor([1.0, 2.0]).dtype
    dtype('float32')
    >>> ag.set_default_dtype(np.int64)
    Traceback (most recent call last):
        ...
    TypeError: set_default_dtype: expected a floating dtype, got int64
    >>> ag.set_default_dtype(np.float64)      # back to the default
    """
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
    floating dtype. ``ag.tensor`` is the same class.

    Parameters
    ----------
    data : array_like or Tensor
        The values: a numpy array (used as it is, not copied, unless ``dtype`` asks for a
        cast), a numpy scalar, a Python number or a (nested) list. Python numbers and lists of
        numbers take the default float dtype; lists of bools stay boolean.
    requires_grad : bool, optional
        Whether :meth:`backward` is to fill this tensor's ``.grad`` (default False). Needs a
        floating dtype.
    dtype : data-type, optional
        Cast ``data`` to this dtype.
    name : str, optional
        A label, shown in the repr, in error messages and in graph pictures.

    Attributes
    ----------
    data : numpy.ndarray
        The values (shared, not copied); see :attr:`data`.
    grad : Tensor or None
        The gradient accumulated by :meth:`backward`, of this tensor's shape and dtype; None
        until a backward pass reaches it.
    requires_grad : bool
        Whether gradients flow to this tensor (set by the user on a leaf, by the op on a
        result).
    grad_fn : Function or None
        The node of the graph (the :class:`Function` instance) that produced this tensor;
        None for a leaf.
    name : str or None
        The label given at construction.
    is_leaf : bool
        True for tensors made by the user rather than by a recorded op.
    shape : tuple of int
        The array's shape.
    ndim : int
        The number of axes.
    size : int
        The number of elements.
    dtype : numpy.dtype
        The array's dtype.
    T : Tensor
        The tensor with all axes reversed.

    Raises
    ------
    TypeError
        If ``requires_grad=True`` and the dtype is not floating.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> x = ag.Tensor([1.0, 2.0, 3.0], requires_grad=True, name="x")
    >>> x
    Tensor([1., 2., 3.], requires_grad=True, name='x')
    >>> ag.Tensor(np.ones(2, dtype=np.float32))      # a numpy array keeps its dtype
    Tensor([1., 1.], dtype=float32)
    >>> y = (x * x).sum()
    >>> y
    Tensor(14., grad_fn=<Sum>)
    >>> y.backward()
    >>> x.grad
    Tensor([2., 4., 6.])
    """

    __slots__ = ("_data", "_grad", "requires_grad", "grad_fn", "name", "_nr", "_pinned",
                 "_base", "__weakref__")
    # numpy calls __array_ufunc__ for `array * tensor`, so the result is a Tensor.
    __array_priority__ = 1000

    def __init__(self, data, requires_grad=False, dtype=None, name=None):
        arr = _as_array(data, dtype)
        if requires_grad:
            _check_grad_dtype(arr.dtype, "Tensor")
        self._data = arr
        self._grad = None
        self.requires_grad = bool(requires_grad)
        self.grad_fn = None
        self.name = name
        self._nr = 0
        self._pinned = None   # weak reference(s) to nodes that saved this tensor's array
        # the tensors over the same memory (inplace.link): for a view, the tensor it views;
        # for that tensor, weak references to its views
        self._base = None
        if isinstance(data, Tensor) and _inplace.root(arr) is _inplace.root(data._data):
            _inplace.link(self, data)

    @classmethod
    def _make(cls, data, grad_fn=None, requires_grad=False, nr=0):
        # The constructor without conversions: the hot path of every op.
        t = object.__new__(Tensor)
        t._data = data
        t._grad = None
        t.requires_grad = requires_grad
        t.grad_fn = grad_fn
        t.name = None
        t._nr = nr
        t._pinned = None
        t._base = None
        return t

    @property
    def data(self):
        """The ``np.ndarray`` itself (shared, not copied).

        If a recorded op saved this tensor for backward, handing the array out is noted (a
        checksum of its content), so that a write through it (``t.data[...] = v``) before that
        backward makes backward raise instead of giving a wrong gradient (``np.asarray(t)``
        hands the array out through here, under the same watch). Assigning
        ``t.data = value`` replaces the array (``value`` goes through ``np.asarray``) and leaves
        the old one, which a node may have saved, intact.

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.tensor([1.0, 2.0])
        >>> x.data
        array([1., 2.])
        >>> x.data = [3.0, 4.0]
        >>> x
        Tensor([3., 4.])
        """
        if self._base is not None:
            _inplace.watch_family(self)
        elif self._pinned is not None:
            _inplace.watch_pinned(self)
        return self._data

    @data.setter
    def data(self, value):
        # Replacing the array leaves the old one, which a node may have saved, intact.
        self._data = value if isinstance(value, np.ndarray) else np.asarray(value)

    @property
    def grad(self):
        """The gradient that :meth:`backward` accumulated here (a Tensor of this tensor's shape
        and dtype), or None.

        Only leaves (and the tensors that called :meth:`retain_grad`) get one: reading it on
        another tensor warns, since it stays None (the common cause: ``w = w - lr * w.grad``
        outside ``no_grad`` makes ``w`` a computed tensor). Assign None to clear it.
        """
        g = self._grad
        if g is None and self.grad_fn is not None and id(self) not in _RETAINED:
            _warnings.warn(
                f"reading .grad of a tensor that is no leaf (made by "
                f"{type(self.grad_fn).__name__}): backward fills .grad of leaves only, so it is "
                f"None. Call .retain_grad() before backward to keep this one; a parameter "
                f"updated outside no_grad (w = w - lr * w.grad) stops being a leaf: update "
                f"it under ag.no_grad()", UserWarning, stacklevel=2)
        return g

    @grad.setter
    def grad(self, value):
        self._grad = value

    def retain_grad(self):
        """Keep this non-leaf tensor's gradient in its ``.grad`` at each :meth:`backward`, as
        ``torch.Tensor.retain_grad`` (a leaf keeps its own already).

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
        >>> h = x * 3.0
        >>> h.retain_grad()
        >>> (h * h).sum().backward()
        >>> h.grad
        Tensor([ 6., 12.])
        """
        if self.grad_fn is not None and id(self) not in _RETAINED:
            key = id(self)
            _RETAINED[key] = _weakref.ref(self, lambda _, k=key: _RETAINED.pop(k, None))

    # ----------------------------------------------------------------- attributes
    @property
    def is_leaf(self):
        """True for tensors made by the user rather than by an op that records gradients.

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
        >>> x.is_leaf, (2 * x).is_leaf
        (True, False)
        """
        return self.grad_fn is None

    @property
    def shape(self):
        """The shape of the array, a tuple of ints.

        Examples
        --------
        >>> import autograd as ag
        >>> ag.zeros(2, 3).shape
        (2, 3)
        """
        return self._data.shape

    @property
    def ndim(self):
        """The number of axes.

        Examples
        --------
        >>> import autograd as ag
        >>> ag.zeros(2, 3).ndim
        2
        """
        return self._data.ndim

    @property
    def size(self):
        """The number of elements.

        Examples
        --------
        >>> import autograd as ag
        >>> ag.zeros(2, 3).size
        6
        """
        return self._data.size

    @property
    def dtype(self):
        """The ``numpy.dtype`` of the array.

        Examples
        --------
        >>> import autograd as ag
        >>> ag.tensor([1.0]).dtype
        dtype('float64')
        """
        return self._data.dtype

    @property
    def T(self):
        """All axes reversed, as numpy's ``.T``; the gradient is transposed back.

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.tensor([[1.0, 2.0, 3.0]])
        >>> x.T
        Tensor([[1.],
                [2.],
                [3.]])
        """
        return _ops.transpose(self)

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
        # numpy's hand-out (np.asarray(t), np.array(t, copy=False)): the tensor's own array goes
        # out through .data, under its watch, so that a write through it before the backward of
        # a node that saved it is refused as a write through t.data is; a copy (np.array(t),
        # numpy 2's copy=True, or a cast) is the caller's and is never watched. numpy 1 passes
        # at most a dtype; numpy 2 adds copy (None: no copy if it can; False: none, or an error).
        arr = self._data
        if dtype is not None and np.dtype(dtype) != arr.dtype:
            if copy is False:
                raise ValueError(f"Unable to avoid a copy: a tensor of dtype {arr.dtype} "
                                 f"converted to {np.dtype(dtype)} (copy=False)")
            return arr.astype(dtype)
        if copy:
            return arr.copy(order="K")
        return self.data

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
        """The data as an ``np.ndarray`` (shared, not copied).

        Unlike ``.data`` and ``np.asarray(t)`` it is not watched: read through it freely; after
        writing through it, call ``ag.inplace.register_change(t)`` (as the optimizers do) so
        stale graphs are refused.

        Returns
        -------
        numpy.ndarray
            The tensor's own array.

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
        >>> (x * 3).numpy()
        array([3., 6.])
        >>> x.numpy() is x.data
        True
        """
        return self._data

    def item(self):
        """The single element as a Python number.

        Returns
        -------
        int, float or bool
            The value, as ``ndarray.item`` gives it.

        Raises
        ------
        ValueError
            If the tensor has more (or fewer) than one element.

        Examples
        --------
        >>> import autograd as ag
        >>> ag.tensor([[2.5]]).item()
        2.5
        >>> ag.tensor([1.0, 2.0]).item()
        Traceback (most recent call last):
            ...
        ValueError: item: only a tensor with one element can be converted, got shape (2,)
        """
        if self._data.size != 1:
            raise ValueError(f"item: only a tensor with one element can be converted, "
                             f"got shape {self._data.shape}")
        return self._data.item()

    def tolist(self):
        """The values as nested Python lists of numbers, as ``np.ndarray.tolist`` (a number for a
        0-d tensor).

        Returns
        -------
        list or float or int or bool

        Examples
        --------
        >>> import autograd as ag
        >>> ag.tensor([[1.0, 2.0]]).tolist()
        [[1.0, 2.0]]
        >>> ag.tensor(3.5).tolist()
        3.5
        """
        return self._data.tolist()

    def __format__(self, spec):
        """``f"{t:.4f}"``: a 0-d tensor formats as its number does, as a 0-d numpy array; an
        empty spec gives ``str(t)``; a number's spec on a larger tensor is a TypeError."""
        if not spec:
            return str(self)
        if self._data.ndim == 0:
            return format(self._data[()], spec)
        try:
            return format(self._data, spec)
        except TypeError:
            raise TypeError(f"format: the spec {spec!r} formats one number, and this tensor has "
                            f"shape {self._data.shape}: format t.item() of a one-element "
                            f"tensor, or the numbers of t.tolist()") from None

    def detach(self):
        """The same data, cut from the graph: a leaf that does not require grad.

        The array is shared, not copied.

        Returns
        -------
        Tensor
            A new leaf tensor over the same array, with ``requires_grad=False``.

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
        >>> y = (x * 2).detach()
        >>> y, y.requires_grad, y.is_leaf
        (Tensor([2., 4.]), False, True)
        """
        t = Tensor._make(self._data)
        _inplace.link(t, self)
        return t

    def requires_grad_(self, flag=True):
        """Set ``requires_grad`` in place on a leaf; returns the tensor.

        Parameters
        ----------
        flag : bool, optional
            The new value (default True).

        Returns
        -------
        Tensor
            This tensor.

        Raises
        ------
        RuntimeError
            If the tensor is not a leaf (use :meth:`detach` for a non-leaf).
        TypeError
            If ``flag`` is true and the dtype is not floating.

        Examples
        --------
        >>> import autograd as ag
        >>> w = ag.tensor([0.5, -1.0]).requires_grad_()
        >>> w
        Tensor([ 0.5, -1. ], requires_grad=True)
        >>> (w * w).sum().backward()
        >>> w.grad
        Tensor([ 1., -2.])
        """
        if not self.is_leaf:
            raise RuntimeError("requires_grad_: can only change requires_grad of leaf tensors; "
                               "use .detach() for a non-leaf")
        if flag:
            _check_grad_dtype(self._data.dtype, "requires_grad_")
        self.requires_grad = bool(flag)
        return self

    def astype(self, dtype):
        """A copy cast to ``dtype``; the gradient is cast back to this tensor's dtype.

        Casting to a non-floating dtype cuts the graph; see :func:`autograd.astype`.

        Parameters
        ----------
        dtype : data-type
            The dtype of the copy.

        Returns
        -------
        Tensor

        Examples
        --------
        >>> import autograd as ag
        >>> import numpy as np
        >>> x = ag.tensor([1.5, 2.5], requires_grad=True)
        >>> y = x.astype(np.float32)
        >>> y
        Tensor([1.5, 2.5], dtype=float32, grad_fn=<AsType>)
        >>> y.sum().backward()
        >>> x.grad
        Tensor([1., 1.])
        """
        return _ops.astype(self, dtype)

    def backward(self, grad=None, retain_graph=None, create_graph=False):
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad``.

        ``grad`` is d(loss)/d(self), required unless self has one element. The graph's saved
        arrays are freed afterwards unless ``retain_graph`` (default: ``create_graph``).
        With ``create_graph=True`` the backward pass is itself recorded, so the gradients can be
        differentiated again. Gradients add up: a leaf's ``.grad`` from an earlier backward is
        summed with the new one (set it to None to start again).

        Parameters
        ----------
        grad : array_like or Tensor, optional
            d(loss)/d(self), of self's shape (cast to self's dtype). Ones by default, which
            is allowed only when self has one element.
        retain_graph : bool, optional
            Keep the arrays saved for backward, so that the graph can be run backward again
            (default: ``create_graph``).
        create_graph : bool, optional
            Record the backward pass, so that the gradients (Tensors linked to the graph) can
            be differentiated again (default False).

        Raises
        ------
        RuntimeError
            If self does not require grad (none of the tensors it was computed from has
            ``requires_grad=True``, or it was computed under :class:`no_grad`); if ``grad`` is
            left out for a tensor of more than one element, or has another shape; if the graph
            was already run backward without ``retain_graph``; or if an array saved for
            backward was modified in place since.

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
        >>> y = x * x
        >>> y.backward(grad=[1.0, 1.0, 0.5])     # y has 3 elements: grad is needed
        >>> x.grad
        Tensor([2., 4., 3.])

        Second derivatives, with ``create_graph=True``:

        >>> x = ag.tensor(3.0, requires_grad=True)
        >>> (x ** 3).backward(create_graph=True)
        >>> x.grad                    # 3x²
        Tensor(27., grad_fn=<Mul>)
        >>> g = x.grad
        >>> x.grad = None
        >>> g.backward()
        >>> x.grad                    # 6x
        Tensor(18.)
        """
        _ops.run_backward((self,), None if grad is None else (grad,), retain_graph,
                             create_graph)

    # ----------------------------------------------------------------- operators
    def __add__(self, other):
        return _ops.Add.apply(self, other)

    def __radd__(self, other):
        return _ops.Add.apply(other, self)

    def __sub__(self, other):
        return _ops.Sub.apply(self, other)

    def __rsub__(self, other):
        return _ops.Sub.apply(other, self)

    def __mul__(self, other):
        return _ops.Mul.apply(self, other)

    def __rmul__(self, other):
        return _ops.Mul.apply(other, self)

    def __truediv__(self, other):
        return _ops.Div.apply(self, other)

    def __rtruediv__(self, other):
        return _ops.Div.apply(other, self)

    def __pow__(self, other):
        return _ops.power(self, other)

    def __rpow__(self, other):
        return _ops.power(other, self)

    def __matmul__(self, other):
        return _ops.MatMul.apply(self, other)

    def __rmatmul__(self, other):
        return _ops.MatMul.apply(other, self)

    def __mod__(self, other):
        return _ops.mod(self, other)

    def __rmod__(self, other):
        return _ops.mod(other, self)

    def __floordiv__(self, other):
        return _ops.floor_divide(self, other)

    def __rfloordiv__(self, other):
        return _ops.floor_divide(other, self)

    def __round__(self, ndigits=None):
        return _ops.round(self, 0 if ndigits is None else ndigits)

    def __neg__(self):
        return _ops.Neg.apply(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return _ops.Abs.apply(self)

    def __getitem__(self, index):
        return _ops.GetItem.apply(self, index=_ops.plain_index(index))

    # In-place operators: see autograd/inplace.py for the rules.
    def __setitem__(self, index, value):
        index = _ops.plain_index(index)
        if self._graph_involved(value, "[index] ="):
            self._rebind(_ops.SetItem.apply(self, value, index=index))
        else:
            self._write("[index] =", lambda d: d.__setitem__(index, raw(value)))

    def __iadd__(self, other):
        return self._inplace("+=", other, np.add, _ops.Add)

    def __isub__(self, other):
        return self._inplace("-=", other, np.subtract, _ops.Sub)

    def __imul__(self, other):
        return self._inplace("*=", other, np.multiply, _ops.Mul)

    def __itruediv__(self, other):
        return self._inplace("/=", other, np.true_divide, _ops.Div)

    def _inplace(self, op, other, ufunc, fn):
        if self._graph_involved(other, op):
            if fn in _ops.into and self._alone() and _fits(self._data, other):
                self._rebind(_ops.into[fn].apply(self, other))
                return self
            self._check_fit(op, other, ufunc)
            new = fn.apply(self, other)
            if new.dtype != self.dtype:     # as numpy's out=: cast back ("same_kind")
                new = new.astype(self.dtype)
            self._rebind(new)
        else:
            self._write(op, lambda d: ufunc(d, raw(other), out=d))
        return self

    def _check_fit(self, op, other, ufunc):
        """An in-place op keeps the tensor's shape and dtype, recorded or not (as numpy's and
        PyTorch's): a result that would be larger, or of a kind that does not cast back
        ("same_kind": float64 into float32 does, float into int does not), is an error that
        leaves the tensor as it was."""
        o = raw(other)
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
        """The reference count of this tensor's array as seen here: ``_ALONE_REFS`` (the slot,
        the local ``d``, getrefcount's argument) when nothing else holds it."""
        d = self._data
        return _refcount(d)

    def _graph_involved(self, other, op):
        """Whether an in-place op must be recorded (and is allowed at all)."""
        if not _mode.enabled:
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
        return Tensor._make(self._data < raw(other))

    def __le__(self, other):
        return Tensor._make(self._data <= raw(other))

    def __gt__(self, other):
        return Tensor._make(self._data > raw(other))

    def __ge__(self, other):
        return Tensor._make(self._data >= raw(other))

    def __eq__(self, other):
        return Tensor._make(self._data == raw(other))

    def __ne__(self, other):
        return Tensor._make(self._data != raw(other))

    def __invert__(self):
        return Tensor._make(~self._data)

    def __and__(self, other):
        return Tensor._make(self._data & raw(other))

    def __or__(self, other):
        return Tensor._make(self._data | raw(other))

    def __xor__(self, other):
        return Tensor._make(self._data ^ raw(other))

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return _ops.array_ufunc(self, ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        return _ops.array_function(func, types, args, kwargs)

    # ----------------------------------------------------------------- numpy-style methods
    def sum(self, axis=None, keepdims=False):
        """Sum over ``axis`` (None: all axes), as :func:`autograd.sum`.

        Parameters
        ----------
        axis : int, tuple of int or None, optional
            The axes to reduce (default None: all of them).
        keepdims : bool, optional
            Keep the reduced axes, with length 1 (default False).

        Returns
        -------
        Tensor

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        >>> x.sum(axis=0)
        Tensor([4., 6.], grad_fn=<Sum>)
        >>> x.sum().backward()
        >>> x.grad
        Tensor([[1., 1.],
                [1., 1.]])
        """
        return _ops.Sum.apply(self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims=False):
        """Mean over ``axis`` (None: all axes), as :func:`autograd.mean`.

        Parameters
        ----------
        axis : int, tuple of int or None, optional
            The axes to reduce (default None: all of them).
        keepdims : bool, optional
            Keep the reduced axes, with length 1 (default False).

        Returns
        -------
        Tensor

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        >>> x.mean(axis=1, keepdims=True)
        Tensor([[1.5],
                [3.5]], grad_fn=<Mean>)
        >>> x.mean().backward()
        >>> x.grad
        Tensor([[0.25, 0.25],
                [0.25, 0.25]])
        """
        return _ops.Mean.apply(self, axis=axis, keepdims=keepdims)

    def max(self, axis=None, keepdims=False):
        """Maximum over ``axis``; ties share the gradient equally, as :func:`autograd.max`.

        Parameters
        ----------
        axis : int, tuple of int or None, optional
            The axes to reduce (default None: all of them).
        keepdims : bool, optional
            Keep the reduced axes, with length 1 (default False).

        Returns
        -------
        Tensor

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        >>> x.max(axis=1)
        Tensor([2., 4.], grad_fn=<Max>)
        >>> x.max(axis=1).sum().backward()
        >>> x.grad
        Tensor([[0., 1.],
                [0., 1.]])
        """
        return _ops.Max.apply(self, axis=axis, keepdims=keepdims)

    def min(self, axis=None, keepdims=False):
        """Minimum over ``axis``; ties share the gradient equally, as :func:`autograd.min`.

        Parameters
        ----------
        axis : int, tuple of int or None, optional
            The axes to reduce (default None: all of them).
        keepdims : bool, optional
            Keep the reduced axes, with length 1 (default False).

        Returns
        -------
        Tensor

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        >>> x.min()
        Tensor(1., grad_fn=<Min>)
        >>> x.min().backward()
        >>> x.grad
        Tensor([[1., 0.],
                [0., 0.]])
        """
        return _ops.Min.apply(self, axis=axis, keepdims=keepdims)

    def logsumexp(self, axis=None, keepdims=False):
        """log Σ exp(x) over ``axis``, stable for logits of any size, as :func:`autograd.logsumexp`.

        Parameters
        ----------
        axis : int, tuple of int or None, optional
            The axes to reduce (default None: all of them).
        keepdims : bool, optional
            Keep the reduced axes, with length 1 (default False).

        Returns
        -------
        Tensor

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        >>> x.logsumexp(axis=1)
        Tensor([2.31326169, 4.31326169], grad_fn=<LogSumExp>)
        >>> x.logsumexp(axis=1).sum().backward()
        >>> x.grad                                   # softmax of each row
        Tensor([[0.26894142, 0.73105858],
                [0.26894142, 0.73105858]])
        """
        return _ops.LogSumExp.apply(self, axis=axis, keepdims=keepdims)

    def exp(self):
        """eˣ elementwise, as :func:`autograd.exp`; its derivative is eˣ.

        Returns
        -------
        Tensor

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.tensor([0.0, 1.0], requires_grad=True)
        >>> x.exp()
        Tensor([1.        , 2.71828183], grad_fn=<Exp>)
        >>> x.exp().sum().backward()
        >>> x.grad
        Tensor([1.        , 2.71828183])
        """
        return _ops.Exp.apply(self)

    def log(self):
        """Natural logarithm elementwise, as :func:`autograd.log`; its derivative is 1/x.

        Returns
        -------
        Tensor

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.tensor([1.0, 4.0], requires_grad=True)
        >>> x.log()
        Tensor([0.        , 1.38629436], grad_fn=<Log>)
        >>> x.log().sum().backward()
        >>> x.grad
        Tensor([1.  , 0.25])
        """
        return _ops.Log.apply(self)

    def sqrt(self):
        """Square root elementwise, as :func:`autograd.sqrt`; its derivative is 1/(2√x).

        Returns
        -------
        Tensor

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.tensor([1.0, 4.0], requires_grad=True)
        >>> x.sqrt()
        Tensor([1., 2.], grad_fn=<Sqrt>)
        >>> x.sqrt().sum().backward()
        >>> x.grad
        Tensor([0.5 , 0.25])
        """
        return _ops.Sqrt.apply(self)

    def abs(self):
        """|x| elementwise, as :func:`autograd.abs`; its derivative is sign(x), 0 at x = 0.

        Returns
        -------
        Tensor

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.tensor([-1.0, 0.0, 2.0], requires_grad=True)
        >>> x.abs()
        Tensor([1., 0., 2.], grad_fn=<Abs>)
        >>> x.abs().sum().backward()
        >>> x.grad
        Tensor([-1.,  0.,  1.])
        """
        return _ops.Abs.apply(self)

    def tanh(self):
        """The hyperbolic tangent, as :func:`autograd.tanh`; its derivative is 1 − tanh²x.

        Returns
        -------
        Tensor

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.tensor([0.0, 0.5], requires_grad=True)
        >>> x.tanh()
        Tensor([0.        , 0.46211716], grad_fn=<Tanh>)
        >>> x.tanh().sum().backward()
        >>> x.grad
        Tensor([1.        , 0.78644773])
        """
        return _ops.Tanh.apply(self)

    def sigmoid(self):
        """1 / (1 + e⁻ˣ), as :func:`autograd.sigmoid`; its derivative is σ(1 − σ).

        Returns
        -------
        Tensor

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.tensor([0.0, 2.0], requires_grad=True)
        >>> x.sigmoid()
        Tensor([0.5       , 0.88079708], grad_fn=<Sigmoid>)
        >>> x.sigmoid().sum().backward()
        >>> x.grad
        Tensor([0.25      , 0.10499359])
        """
        return _ops.Sigmoid.apply(self)

    def relu(self):
        """max(0, x), as :func:`autograd.relu`; its derivative is 0 at x = 0.

        Returns
        -------
        Tensor

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.tensor([-1.0, 0.0, 2.0], requires_grad=True)
        >>> x.relu()
        Tensor([0., 0., 2.], grad_fn=<ReLU>)
        >>> x.relu().sum().backward()
        >>> x.grad
        Tensor([0., 0., 1.])
        """
        return _ops.ReLU.apply(self)

    def relu_(self):
        """max(0, x) in place, as PyTorch's ``relu_``: returns this tensor.

        While the graph is recorded it is recorded as ``relu()``, written into the tensor's own
        array when nothing else can see that array (see ``+=``), else into a new one the tensor
        is rebound to.

        Returns
        -------
        Tensor
            This tensor.

        Raises
        ------
        RuntimeError
            On a leaf that requires grad while gradients are recorded (update it under
            :class:`no_grad`, or use :meth:`relu`).

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.tensor([-1.0, 2.0])
        >>> x.relu_()
        Tensor([0., 2.])
        >>> w = ag.tensor([-1.0, 2.0], requires_grad=True)
        >>> h = w * 1.0
        >>> h.relu_()
        Tensor([0., 2.], grad_fn=<...>)
        >>> h.sum().backward()
        >>> w.grad
        Tensor([0., 1.])
        """
        if self._graph_involved(None, "relu_()"):
            fn = _ops.ReLUInPlace if self._alone() else _ops.ReLU
            self._rebind(fn.apply(self))
        else:
            self._write("relu_()", lambda d: np.maximum(d, _ops.zeros_operand(d), out=d))
        return self

    def clip(self, a_min=None, a_max=None):
        """Limit the values to [a_min, a_max], as :func:`autograd.clip`.

        Parameters
        ----------
        a_min, a_max : scalar, array_like, Tensor or None, optional
            The bounds (one may be None, not both).

        Returns
        -------
        Tensor

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.tensor([-1.0, 0.5, 2.0], requires_grad=True)
        >>> x.clip(0.0, 1.0)
        Tensor([0. , 0.5, 1. ], grad_fn=<Clip>)
        >>> x.clip(0.0, 1.0).sum().backward()
        >>> x.grad
        Tensor([0., 1., 0.])
        """
        return _ops.clip(self, a_min, a_max)

    def reshape(self, *shape):
        """The same elements with a new shape (C order), as :func:`autograd.reshape`.

        Parameters
        ----------
        *shape : int or tuple of int
            The new shape, as ``reshape(2, 3)`` or ``reshape((2, 3))``; one entry may be -1.

        Returns
        -------
        Tensor

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.arange(6.0, requires_grad=True)
        >>> x.reshape(2, -1)
        Tensor([[0., 1., 2.],
                [3., 4., 5.]], grad_fn=<Reshape>)
        >>> (x.reshape(2, 3) * [[1.0], [2.0]]).sum().backward()
        >>> x.grad
        Tensor([1., 1., 1., 2., 2., 2.])
        """
        if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
            shape = shape[0]
        return _ops.reshape(self, shape)

    def transpose(self, *axes):
        """The axes permuted (reversed when none are given), as :func:`autograd.transpose`.

        Parameters
        ----------
        *axes : int, tuple of int or None
            The permutation, as ``transpose(1, 0)`` or ``transpose((1, 0))``.

        Returns
        -------
        Tensor

        Examples
        --------
        >>> import autograd as ag
        >>> x = ag.zeros(2, 3, 4)
        >>> x.transpose().shape
        (4, 3, 2)
        >>> x.transpose(2, 0, 1).shape
        (4, 2, 3)
        """
        if len(axes) == 1 and (axes[0] is None or not isinstance(axes[0], (int, np.integer))):
            axes = axes[0]
        return _ops.transpose(self, axes or None)

    def swapaxes(self, axis1, axis2):
        """Exchange two axes, as :func:`autograd.swapaxes`.

        Parameters
        ----------
        axis1, axis2 : int
            The axes to exchange.

        Returns
        -------
        Tensor

        Examples
        --------
        >>> import autograd as ag
        >>> ag.zeros(2, 3, 4).swapaxes(0, 2).shape
        (4, 3, 2)
        """
        return _ops.swapaxes(self, axis1, axis2)


def raw(x):
    """The array inside a Tensor (or ``x`` itself): for masks and constants in backward rules.

    Parameters
    ----------
    x : Tensor or object
        A Tensor, or anything else (returned as it is).

    Returns
    -------
    numpy.ndarray or object

    Examples
    --------
    >>> import autograd as ag
    >>> from autograd.function import raw
    >>> raw(ag.tensor([1.0, 2.0]))
    array([1., 2.])
    >>> raw(3.0)
    3.0
    """
    return x._data if isinstance(x, Tensor) else x


# id(tensor) -> weak reference, for the non-leaf tensors that called retain_grad(): the engine
# gives each its gradient (hooks.Retained) while there are any.
_RETAINED = {}


def _t(x):
    """``x`` as a Tensor (a Tensor is returned as it is): what the op functions take."""
    return x if isinstance(x, Tensor) else Tensor(x)


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


# The reference count ``_array_refs`` sees for an array its tensor alone holds: the three
# references it knows of, each counted where ownership is proven (``_core.OWNERSHIP_PROVEN``,
# CPython 3.10 to 3.13 with the GIL): the tensor's slot, the local ``d``, getrefcount's
# argument. A count equal to it leaves room for no other holder. It is the interpreter's, not
# measured: a count measured once at import also counted whatever held that frame's locals
# then (a debugger, a trace function reading ``frame.f_locals``), and an array held once more
# than that would pass for alone ever after (issue 24, case 5).
_ALONE_REFS = 3


def _baseline_holds(measured):
    """Whether a count measured on a fresh tensor bears out ``_ALONE_REFS``: at least it,
    since those three references are there; more, from what held references at that moment,
    only makes the test stricter than it needs to be for that tensor. Less would mean an
    interpreter that does not count one of them, where a count of ``_ALONE_REFS`` proves
    nothing: then ``_alone`` always says no."""
    return measured >= _ALONE_REFS


def _not_alone(self):
    """Tensor._alone where reference counts do not prove that nothing else holds an array: on
    an interpreter outside ``_core.OWNERSHIP_PROVEN`` (CPython 3.10 to 3.13 with the GIL;
    the compiled in-place methods then hand every case here, and the compiled pass hands no
    gradient over), or where a fresh tensor's array counts fewer references than
    ``_ALONE_REFS`` (see ``_baseline_holds``): never, so ``+=``, ``-=`` and ``relu_()``
    always make a new array."""
    return False


if not (_core.OWNERSHIP_PROVEN and _baseline_holds(Tensor(np.zeros(1))._array_refs())):
    Tensor._alone = _not_alone
