"""Function transforms: grad, value_and_grad, jacobian, hessian, vjp, jvp, hvp.

Each takes a function ``f`` written with the library's operations (it is called with Tensors)
and the point to differentiate at, given as numpy arrays, Python scalars or Tensors.

Conventions
-----------
- The Jacobian of ``out = f(x)`` has shape ``out.shape + x.shape`` and
  ``J[out_index + in_index] = ∂out[out_index] / ∂x[in_index]``, as in PyTorch (and as
  :func:`autograd.gradcheck` reports it). For a 0-d loss the Jacobian is the gradient, of
  ``x``'s shape; the Hessian of a scalar ``f`` has shape ``x.shape + x.shape``.
- Several inputs (given as separate arguments to ``jacobian``/``hessian``, or as a tuple) give a
  tuple of results, one per input; several outputs (``f`` returning a tuple) a tuple over the
  outputs, each a tuple over the inputs: ``J[i][j] = ∂out_i/∂x_j`` and
  ``H[i][j] = ∂²f/∂x_i∂x_j`` of shape ``x_i.shape + x_j.shape``.
- Arrays in, arrays out: if any input given is a Tensor, every result is a Tensor; otherwise
  the results are numpy arrays (Python scalars count as 0-d arrays). Arrays and detached
  Tensors returned never share memory with the inputs.
- ``create_graph``: with ``None`` (the default) the computation is recorded, so that the
  result can be differentiated again, exactly when some input given is a Tensor that requires
  grad (and grad mode is on). That is what makes ``grad(grad(f))`` work. ``True`` always
  records, ``False`` never does (the results are then detached).
- Derivatives of order two and more differentiate the recorded backward pass, so every
  operation on the way must have a backward written with Tensor operations; the built-in
  operations do (``gradgradcheck`` checks it).
"""
import functools

import numpy as np

from .engine import enable_grad, grad as _grad, is_grad_enabled
from .ops.shape import stack
from .tensor import Tensor, get_default_dtype

__all__ = ["grad", "value_and_grad", "jacobian", "hessian", "vjp", "jvp", "hvp"]


# ----------------------------------------------------------------------------- helpers
def _name(f):
    return getattr(f, "__qualname__", None) or getattr(f, "__name__", None) or repr(f)


def _settings(given, create_graph):
    """(create_graph, results_as_tensors) for the inputs as the user gave them."""
    as_tensor = any(isinstance(x, Tensor) for x in given)
    if create_graph is None:
        create_graph = is_grad_enabled() and any(
            isinstance(x, Tensor) and x.requires_grad for x in given)
    return bool(create_graph), as_tensor


def _leaf(x, op, what, create_graph):
    """``x`` as a Tensor to differentiate with respect to.

    A Tensor that requires grad is used itself when the graph is recorded, so that the result
    stays linked to whatever computed it (nested transforms); otherwise a new leaf shares its
    data. Integer and boolean data becomes the default float dtype.
    """
    if isinstance(x, Tensor):
        if x.dtype.kind != "f":
            raise TypeError(f"{op}: {what} is a Tensor of dtype {x.dtype}; only floating "
                            f"inputs can be differentiated")
        if create_graph and x.requires_grad:
            return x
        return Tensor._make(x._data, None, True)
    try:
        arr = Tensor(x)._data
    except Exception:
        raise TypeError(f"{op}: {what} must be a numpy array, a Python number or a Tensor, "
                        f"got {type(x).__name__}") from None
    if arr.dtype.kind in "biu":
        arr = arr.astype(get_default_dtype())
    elif arr.dtype.kind != "f":
        raise TypeError(f"{op}: {what} has dtype {arr.dtype}; only real numbers can be "
                        f"differentiated")
    return Tensor._make(arr, None, True)


def _split_inputs(inputs, op):
    """``inputs`` as a list, and whether results come as a tuple (several, or a tuple given)."""
    if isinstance(inputs, tuple):   # a list is array data, as np.asarray reads it
        if not inputs:
            raise ValueError(f"{op}: inputs is empty; give at least one input")
        return list(inputs), True
    return [inputs], False


def _call(f, xs, op, kwargs=None):
    """f(*xs) with gradients recorded: (outputs as a list of Tensors, f returned a tuple)."""
    with enable_grad():
        result = f(*xs, **(kwargs or {}))
    several = isinstance(result, (tuple, list))
    outs = list(result) if several else [result]
    if several and not outs:
        raise ValueError(f"{op}: {_name(f)} returned an empty tuple")
    for k, o in enumerate(outs):
        if not isinstance(o, Tensor):
            try:    # a constant: its derivatives are zero
                outs[k] = Tensor(o)
            except Exception:
                raise TypeError(f"{op}: {_name(f)} must return Tensors (or a tuple of them), "
                                f"got {type(o).__name__}") from None
    return outs, several


def _depends(out):
    return out.requires_grad and out.dtype.kind == "f"


def _scalar(f, outs, several, op):
    if several:
        raise ValueError(f"{op}: {_name(f)} must return a one-element output (a scalar loss), "
                         f"but it returned a tuple of {len(outs)} outputs")
    out = outs[0]
    if out.size != 1:
        raise ValueError(f"{op}: {_name(f)} must return a one-element output (a scalar loss), "
                         f"but it returned shape {out.shape}; for a non-scalar output use "
                         f"jacobian, or vjp with a cotangent v of that shape")
    return out


def _zeros(x):
    return Tensor._make(np.zeros(x.shape, x.dtype))


def _result(t, as_tensor, create_graph):
    """A Tensor kept in the graph, a detached copy, or a numpy array, as asked."""
    if as_tensor:
        return t if create_graph else Tensor._make(np.array(t._data, copy=True))
    return np.array(t._data, copy=True)


def _grads(outs, xs, grad_outputs, create_graph, retain_graph=None):
    """d(Σ_k grad_outputs_k · outs_k)/dx for each x, zeros where x is not used."""
    live = [(o, g) for o, g in zip(outs, grad_outputs) if _depends(o)]
    if not live:
        return [_zeros(x) for x in xs]
    gs = _grad([o for o, _ in live], xs, grad_outputs=[g for _, g in live],
               retain_graph=retain_graph, create_graph=create_graph, allow_unused=True)
    return [_zeros(x) if g is None else g for x, g in zip(xs, gs)]


def _directions(v, items, several, f, op, what, outputs):
    """One cotangent per output of f (``outputs``) or one tangent per input, each a Tensor of
    its item's shape (None: ones, where every item has one element)."""
    kind, every = ("output", f"every output of {_name(f)}") if outputs else ("input", "every input")
    if v is None:
        for k, x in enumerate(items):
            if x.size != 1:
                raise ValueError(f"{op}: {what} can be left out only when {every} has one "
                                 f"element, but {kind} {k} has shape {x.shape}; pass {what} of "
                                 f"that shape")
        return [Tensor._make(np.ones(x.shape, x.dtype)) for x in items]
    vs = list(v) if several and isinstance(v, tuple) else [v]
    if outputs:
        if len(vs) != len(items):
            raise ValueError(f"{op}: {_name(f)} returned {len(items)} output(s) but {what} has "
                             f"{len(vs)}; give one per output")
        indexed = len(vs) != 1
        whose = [f"output {k} of {_name(f)}" if indexed else f"the output of {_name(f)}"
                 for k in range(len(vs))]
    else:
        if several and not isinstance(v, tuple):
            raise ValueError(f"{op}: inputs is a tuple of {len(items)}, so {what} must be a tuple "
                             f"of {len(items)} too")
        if len(vs) != len(items):
            raise ValueError(f"{op}: got {len(vs)} {what} for {len(items)} input(s) of "
                             f"{_name(f)}; give one per input")
        indexed = several
        whose = [f"input {k}" for k in range(len(vs))]
    return [_matching(u, x.shape, x.dtype, op, f"{what}[{k}]" if indexed else what, whose[k])
            for k, (u, x) in enumerate(zip(vs, items))]


def _matching(u, shape, dtype, op, what, against):
    """``u`` as a Tensor of ``shape`` (a Tensor given keeps its links to the graph)."""
    if not isinstance(u, Tensor):
        u = Tensor._make(np.asarray(u, dtype=dtype))
    if u.shape != shape:
        raise ValueError(f"{op}: {what} has shape {u.shape} but {against} has shape {shape}; "
                         f"they must match")
    return u


def _pack(items, several):
    return tuple(items) if several else items[0]


def _jacobian_blocks(outs, xs, create_graph):
    """J[i][j] = ∂outs_i/∂xs_j of shape outs_i.shape + xs_j.shape: one backward per element.

    Row k of block (i, j) is the gradient of outs_i's k-th element (in C order), i.e. the vjp
    with the one-hot cotangent e_k. Under ``create_graph`` the rows are Tensors, stacked so
    that the Jacobian itself can be differentiated.
    """
    blocks = []
    for out in outs:
        rows = [[] for _ in xs]
        if _depends(out) and out.size:
            for k in range(out.size):
                seed = np.zeros(out.size, out.dtype)
                seed[k] = 1
                gs = _grads([out], xs, [Tensor._make(seed.reshape(out.shape))], create_graph,
                            retain_graph=True)
                for r, g in zip(rows, gs):
                    r.append(g)
        row_blocks = []
        for x, r in zip(xs, rows):
            if not r:
                row_blocks.append(Tensor._make(np.zeros(out.shape + x.shape, x.dtype)))
            elif create_graph:
                row_blocks.append(stack(r).reshape(out.shape + x.shape))
            else:
                row_blocks.append(Tensor._make(
                    np.stack([g._data for g in r]).reshape(out.shape + x.shape)))
        blocks.append(row_blocks)
    return blocks


# ----------------------------------------------------------------------------- grad
def _argnums(argnums, op):
    if isinstance(argnums, (int, np.integer)) and not isinstance(argnums, bool):
        return (int(argnums),), False
    if isinstance(argnums, tuple) and argnums and all(
            isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in argnums):
        if len(set(argnums)) != len(argnums):
            raise ValueError(f"{op}: argnums {argnums} repeats an argument")
        return tuple(int(a) for a in argnums), True
    raise TypeError(f"{op}: argnums must be an int or a non-empty tuple of ints, got "
                    f"{argnums!r}")


def value_and_grad(f, argnums=0, create_graph=None):
    """``f`` transformed into a function that returns ``(f(*args), gradient)``.

    ``f`` must return a one-element output (a scalar loss). ``argnums`` (an int or a tuple of
    ints) picks the positional arguments to differentiate with respect to: an int gives one
    gradient, of that argument's shape; a tuple gives a tuple of gradients. The other arguments
    (and keyword arguments) are passed to ``f`` as they are. See the module docstring for
    which type comes back and for ``create_graph`` (when the result can be differentiated
    again).

    Parameters
    ----------
    f : callable
        A function written with the library's operations (called with Tensors), returning a
        one-element Tensor.
    argnums : int or tuple of int, optional
        The positional arguments to differentiate with respect to (default 0); negative
        numbers count from the end.
    create_graph : bool or None, optional
        Record the computation so that the results can be differentiated again (default
        None: when an argument differentiated is a Tensor that requires grad).

    Returns
    -------
    callable
        ``value_and_grad_f(*args, **kwargs) -> (value, gradient)``, the gradient a tuple when
        ``argnums`` is; numpy arrays, or Tensors if an argument differentiated is a Tensor.
        Calling it raises ``ValueError`` if ``f`` does not return a one-element output or
        ``argnums`` is out of range, and ``TypeError`` for an argument that is not real
        numbers.

    Raises
    ------
    TypeError
        If ``argnums`` is not an int or a non-empty tuple of ints.
    ValueError
        If ``argnums`` repeats an argument.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import functional as AF
    >>> AF.value_and_grad(lambda w: (w ** 2).sum())(np.array([1.0, 2.0]))    # g = 2w
    (array(5.), array([2., 4.]))
    >>> value, (gw, gb) = AF.value_and_grad(lambda w, b: (w * b).sum(), argnums=(0, 1))(
    ...     np.array([1.0, 2.0]), 3.0)
    >>> value, gw, gb
    (array(9.), array([3., 3.]), array(3.))
    """
    nums, several = _argnums(argnums, "value_and_grad")

    @functools.wraps(f)
    def value_and_grad_f(*args, **kwargs):
        return _value_and_grad(f, nums, several, args, kwargs, "value_and_grad", create_graph)

    return value_and_grad_f


def grad(f, argnums=0, create_graph=None):
    """``f`` transformed into the function that returns its gradient, JAX style.

    ``grad(f)(x)`` is ``∂f/∂x`` at ``x``, of ``x``'s shape. ``f`` must return a one-element
    output; ``argnums`` is an int or a tuple of ints, as for :func:`value_and_grad`.
    Transforms compose: ``grad(grad(f))(x)`` is ``f''(x)`` for a scalar function, because the
    inner ``grad`` records its computation when it is given a Tensor that requires grad.

    Parameters
    ----------
    f : callable
        A function written with the library's operations (called with Tensors), returning a
        one-element Tensor.
    argnums : int or tuple of int, optional
        The positional arguments to differentiate with respect to (default 0).
    create_graph : bool or None, optional
        Record the computation so that the result can be differentiated again (default None:
        when an argument differentiated is a Tensor that requires grad).

    Returns
    -------
    callable
        ``grad_f(*args, **kwargs)``, the gradient (a tuple of them when ``argnums`` is a
        tuple): numpy arrays, or Tensors if an argument differentiated is a Tensor. Calling it
        raises as :func:`value_and_grad`'s function does.

    Raises
    ------
    TypeError
        If ``argnums`` is not an int or a non-empty tuple of ints.
    ValueError
        If ``argnums`` repeats an argument.

    Examples
    --------
    >>> import numpy as np
    >>> import autograd as ag
    >>> from autograd import functional as AF
    >>> AF.grad(lambda x: (x ** 3).sum())(np.array([1.0, 2.0]))      # 3x²
    array([ 3., 12.])
    >>> AF.grad(lambda x, y: (x * y).sum(), argnums=1)(np.array([1.0, 2.0]),
    ...                                                np.array([3.0, 4.0]))
    array([1., 2.])

    Third derivative of tanh, ``-2(1 - t²)(1 - 3t²)`` with ``t = tanh 0.5``:

    >>> AF.grad(AF.grad(AF.grad(ag.tanh)))(0.5)
    array(-0.56520929)
    """
    nums, several = _argnums(argnums, "grad")

    @functools.wraps(f)
    def grad_f(*args, **kwargs):
        return _value_and_grad(f, nums, several, args, kwargs, "grad", create_graph)[1]

    return grad_f


def _value_and_grad(f, nums, several, args, kwargs, op, create_graph):
    for a in nums:
        if not -len(args) <= a < len(args):
            raise ValueError(f"{op}: argnums {a} is out of range for {_name(f)} called with "
                             f"{len(args)} positional argument(s)")
    nums = tuple(a % len(args) for a in nums)
    given = [args[a] for a in nums]
    create_graph, as_tensor = _settings(given, create_graph)
    args = list(args)
    for a in nums:
        args[a] = _leaf(args[a], op, f"argument {a}", create_graph)
    outs, tup = _call(f, args, op, kwargs)
    out = _scalar(f, outs, tup, op)
    xs = [args[a] for a in nums]
    gs = _grads([out], xs, [None], create_graph)
    value = _result(out, as_tensor, create_graph)
    gs = [_result(g, as_tensor, create_graph) for g in gs]
    return value, _pack(gs, several)


# ----------------------------------------------------------------------------- jacobian, hessian
def jacobian(f, *inputs, create_graph=None):
    """The Jacobian of ``f`` at ``inputs``, of shape ``out.shape + x.shape``.

    ``J[out_index + in_index] = ∂out[out_index] / ∂x[in_index]``.
    ``jacobian(f, x)`` gives one array; ``jacobian(f, x, y)`` (or ``jacobian(f, (x, y))``) a
    tuple ``(∂out/∂x, ∂out/∂y)``; if ``f`` returns a tuple, the result is a tuple over its
    outputs, each one array or a tuple over the inputs (``J[i][j] = ∂out_i/∂x_j``).
    It takes one backward pass per output element. With ``create_graph=True`` (or a Tensor that
    requires grad given as input, see the module docstring) the Jacobian can be differentiated.

    Parameters
    ----------
    f : callable
        A function written with the library's operations, taking one argument per input and
        returning a Tensor or a tuple of Tensors.
    *inputs : array_like or Tensor
        The point: one or more inputs, or one tuple of them.
    create_graph : bool or None, optional
        Record the computation so that the Jacobian can be differentiated again (default
        None: when an input is a Tensor that requires grad).

    Returns
    -------
    numpy.ndarray, Tensor or tuple
        The Jacobian (Tensors if an input is a Tensor), nested in tuples as described above.

    Raises
    ------
    ValueError
        If no input is given, or ``f`` returns an empty tuple.
    TypeError
        If an input is not real numbers, or ``f`` returns something that is neither a Tensor
        nor array data.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import functional as AF
    >>> AF.jacobian(lambda x: x ** 2, np.array([1.0, 2.0]))
    array([[2., 0.],
           [0., 4.]])
    >>> AF.jacobian(lambda x, y: x * y, np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    (array([[3., 0.],
           [0., 4.]]), array([[1., 0.],
           [0., 2.]]))
    """
    given, several = _inputs_of(inputs, "jacobian")
    create_graph, as_tensor = _settings(given, create_graph)
    xs = [_leaf(x, "jacobian", f"input {k}", create_graph) for k, x in enumerate(given)]
    outs, several_out = _call(f, xs, "jacobian")
    blocks = _jacobian_blocks(outs, xs, create_graph)
    blocks = [_pack([_result(b, as_tensor, create_graph) for b in row], several)
              for row in blocks]
    return _pack(blocks, several_out)


def _inputs_of(inputs, op):
    """The ``*inputs`` of jacobian/hessian: separate arguments, or one tuple of them."""
    if not inputs:
        raise ValueError(f"{op}: give at least one input to differentiate at")
    if len(inputs) == 1:
        return _split_inputs(inputs[0], op)
    return list(inputs), True


def hessian(f, *inputs, create_graph=None):
    """The Hessian of the scalar function ``f`` at ``inputs``, of shape ``x.shape + x.shape``.

    ``H[i + j] = ∂²f/∂x[i]∂x[j]``; for several inputs a tuple of tuples
    ``H[i][j] = ∂²f/∂x_i∂x_j`` of shape ``x_i.shape + x_j.shape`` (as PyTorch).

    It is the Jacobian of the gradient: one backward pass records ``g = ∇f`` with
    ``create_graph=True``, then one backward pass through that record per element of ``g``.
    For a function with continuous second derivatives it is symmetric.

    Parameters
    ----------
    f : callable
        A function written with the library's operations, taking one argument per input and
        returning a one-element Tensor.
    *inputs : array_like or Tensor
        The point: one or more inputs, or one tuple of them.
    create_graph : bool or None, optional
        Record the computation so that the Hessian can be differentiated again (default None:
        when an input is a Tensor that requires grad).

    Returns
    -------
    numpy.ndarray, Tensor or tuple of tuples
        The Hessian (Tensors if an input is a Tensor).

    Raises
    ------
    ValueError
        If no input is given, or ``f`` does not return a one-element output.
    TypeError
        If an input is not real numbers, or ``f`` returns something that is neither a Tensor
        nor array data.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import functional as AF
    >>> AF.hessian(lambda x: (x ** 3).sum(), np.array([1.0, 2.0]))     # diag(6x)
    array([[ 6.,  0.],
           [ 0., 12.]])
    >>> AF.hessian(lambda x, y: (x * x * y).sum(), np.array([1.0]), np.array([2.0]))
    ((array([[4.]]), array([[2.]])), (array([[2.]]), array([[0.]])))
    """
    given, several = _inputs_of(inputs, "hessian")
    create_graph, as_tensor = _settings(given, create_graph)
    xs = [_leaf(x, "hessian", f"input {k}", create_graph) for k, x in enumerate(given)]
    outs, several_out = _call(f, xs, "hessian")
    out = _scalar(f, outs, several_out, "hessian")
    gs = _grads([out], xs, [None], create_graph=True)
    blocks = _jacobian_blocks(gs, xs, create_graph)
    blocks = [_pack([_result(b, as_tensor, create_graph) for b in row], several)
              for row in blocks]
    return _pack(blocks, several)


# ----------------------------------------------------------------------------- products
def vjp(f, inputs, v=None, create_graph=None):
    """The vector-Jacobian product: ``(f(inputs), vᵀJ)``, as ``torch.autograd.functional.vjp``.

    ``(vᵀJ)[in_index] = Σ_out_index v[out_index] · ∂out[out_index]/∂x[in_index]``: one
    backward pass with ``v`` as the output's gradient. ``inputs`` is one input or a tuple of
    them (the product comes back the same way); ``v`` has the output's shape (a tuple if ``f``
    returns a tuple) and may be left out when the output has one element.

    Parameters
    ----------
    f : callable
        A function written with the library's operations, returning a Tensor or a tuple of
        Tensors.
    inputs : array_like, Tensor or tuple
        One input, or a tuple of them (a list is array data).
    v : array_like, Tensor or tuple, optional
        The cotangent, of the output's shape (one per output for a tuple); ones by default,
        allowed when every output has one element.
    create_graph : bool or None, optional
        Record the computation so that the results can be differentiated again (default
        None: when an input or ``v`` is a Tensor that requires grad).

    Returns
    -------
    outputs : numpy.ndarray, Tensor or tuple
        ``f(inputs)``.
    vjp : numpy.ndarray, Tensor or tuple
        ``vᵀJ``, of the inputs' shapes (a tuple for a tuple of inputs).

    Raises
    ------
    ValueError
        If ``v`` is left out for an output of more than one element, or does not match the
        outputs in number or shape.
    TypeError
        If an input is not real numbers, or ``f`` returns something that is neither a Tensor
        nor array data.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import functional as AF
    >>> AF.vjp(lambda x: x ** 2, np.array([1.0, 2.0]), np.array([1.0, 0.5]))
    (array([1., 4.]), array([2., 2.]))
    >>> AF.vjp(lambda x: (x ** 2).sum(), np.array([1.0, 2.0]))        # the gradient
    (array(5.), array([2., 4.]))
    """
    given, several = _split_inputs(inputs, "vjp")
    create_graph, as_tensor = _settings(given + _flat(v), create_graph)
    xs = [_leaf(x, "vjp", f"input {k}", create_graph) for k, x in enumerate(given)]
    outs, several_out = _call(f, xs, "vjp")
    vs = _directions(v, outs, several_out, f, "vjp", "v", outputs=True)
    gs = _grads(outs, xs, vs, create_graph)
    outs = [_result(o, as_tensor, create_graph) for o in outs]
    return (_pack(outs, several_out),
            _pack([_result(g, as_tensor, create_graph) for g in gs], several))


def jvp(f, inputs, tangents=None, create_graph=None):
    """The Jacobian-vector product: ``(f(inputs), J·t)``, as ``torch.autograd.functional.jvp``.

    ``(J·t)[out_index] = Σ_in_index ∂out[out_index]/∂x[in_index] · t[in_index]``, the
    directional derivative of ``f`` along ``t``. ``tangents`` has the inputs' shapes (a tuple
    for a tuple of inputs) and may be left out when every input has one element.

    How it is computed (reverse mode only, the "double-vjp trick"): with a dummy cotangent
    ``u`` (zeros, of the output's shape, requiring grad), one backward pass recorded with
    ``create_graph=True`` gives ``g(u) = Jᵀu``, which is linear in ``u``; a second backward pass
    of ``g`` with ``t`` as its gradient gives ``∂(tᵀJᵀu)/∂u = J·t``. So it costs one forward and
    two backward passes, and needs every backward rule on the way to be recorded as a function
    of its ``grad_output`` by ``create_graph`` (the built-in rules are; a custom Function whose
    backward turns ``grad_output`` into a plain array contributes zero here). The result does
    not depend on the value of ``u``, since ``g`` is linear in it.

    Parameters
    ----------
    f : callable
        A function written with the library's operations, returning a Tensor or a tuple of
        Tensors.
    inputs : array_like, Tensor or tuple
        One input, or a tuple of them (a list is array data).
    tangents : array_like, Tensor or tuple, optional
        The direction ``t``, of the inputs' shapes (a tuple for a tuple of inputs); ones by
        default, allowed when every input has one element.
    create_graph : bool or None, optional
        Record the computation so that the results can be differentiated again (default
        None: when an input or a tangent is a Tensor that requires grad).

    Returns
    -------
    outputs : numpy.ndarray, Tensor or tuple
        ``f(inputs)``.
    jvp : numpy.ndarray, Tensor or tuple
        ``J·t``, of the outputs' shapes (a tuple if ``f`` returns a tuple).

    Raises
    ------
    ValueError
        If ``tangents`` is left out for an input of more than one element, or does not match
        the inputs in number or shape.
    TypeError
        If an input is not real numbers, or ``f`` returns something that is neither a Tensor
        nor array data.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import functional as AF
    >>> AF.jvp(lambda x: x ** 2, np.array([1.0, 2.0]), np.array([1.0, 0.5]))
    (array([1., 4.]), array([2., 2.]))
    >>> AF.jvp(lambda x: x ** 3, 2.0)                  # f'(2) = 3·2²
    (array(8.), array(12.))
    """
    given, several = _split_inputs(inputs, "jvp")
    create_graph, as_tensor = _settings(given + _flat(tangents), create_graph)
    xs = [_leaf(x, "jvp", f"input {k}", create_graph) for k, x in enumerate(given)]
    ts = _directions(tangents, xs, several, f, "jvp", "tangents", outputs=False)
    outs, several_out = _call(f, xs, "jvp")
    us = [Tensor._make(np.zeros(o.shape, o.dtype), None, True) for o in outs]
    with enable_grad():
        gs = _grads(outs, xs, us, create_graph=True)
    live = [(g, t) for g, t in zip(gs, ts) if g.requires_grad]
    if live:
        jt = _grad([g for g, _ in live], us, grad_outputs=[t for _, t in live],
                   create_graph=create_graph, allow_unused=True)
        jt = [_zeros(u) if j is None else j for u, j in zip(us, jt)]
    else:
        jt = [_zeros(u) for u in us]
    outs = [_result(o, as_tensor, create_graph) for o in outs]
    return (_pack(outs, several_out),
            _pack([_result(j, as_tensor, create_graph) for j in jt], several_out))


def hvp(f, inputs, v=None, create_graph=None):
    """The Hessian-vector product of the scalar function ``f``: ``(f(inputs), H·v)``.

    As ``torch.autograd.functional.hvp``.
    ``(H·v)[i] = Σ_j ∂²f/∂x[i]∂x[j] · v[j]`` (for several inputs,
    ``(H·v)_i = Σ_j H[i][j]·v_j``). Computed without forming H: one backward pass recorded with
    ``create_graph=True`` gives ``g = ∇f``, a second one of ``g`` with ``v`` as its gradient
    gives ``∂(gᵀv)/∂x = Hᵀv``, which is ``H·v`` since the Hessian is symmetric. ``v`` has the
    inputs' shapes (a tuple for a tuple of inputs).

    Parameters
    ----------
    f : callable
        A function written with the library's operations, returning a one-element Tensor.
    inputs : array_like, Tensor or tuple
        One input, or a tuple of them (a list is array data).
    v : array_like, Tensor or tuple, optional
        The vector, of the inputs' shapes (a tuple for a tuple of inputs); ones by default,
        allowed when every input has one element.
    create_graph : bool or None, optional
        Record the computation so that the results can be differentiated again (default
        None: when an input or ``v`` is a Tensor that requires grad).

    Returns
    -------
    value : numpy.ndarray or Tensor
        ``f(inputs)``.
    hvp : numpy.ndarray, Tensor or tuple
        ``H·v``, of the inputs' shapes (a tuple for a tuple of inputs).

    Raises
    ------
    ValueError
        If ``f`` does not return a one-element output, or ``v`` is left out for an input of
        more than one element or does not match the inputs in number or shape.
    TypeError
        If an input is not real numbers, or ``f`` returns something that is neither a Tensor
        nor array data.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import functional as AF
    >>> AF.hvp(lambda x: (x ** 3).sum(), np.array([1.0, 2.0]), np.array([1.0, 0.5]))
    (array(9.), array([6., 6.]))
    >>> AF.hvp(lambda x, y: (x * y).sum(), (np.array([1.0]), np.array([2.0])),
    ...        (np.array([1.0]), np.array([0.0])))
    (array(2.), (array([0.]), array([1.])))
    """
    given, several = _split_inputs(inputs, "hvp")
    create_graph, as_tensor = _settings(given + _flat(v), create_graph)
    xs = [_leaf(x, "hvp", f"input {k}", create_graph) for k, x in enumerate(given)]
    vs = _directions(v, xs, several, f, "hvp", "v", outputs=False)
    outs, several_out = _call(f, xs, "hvp")
    out = _scalar(f, outs, several_out, "hvp")
    with enable_grad():
        gs = _grads([out], xs, [None], create_graph=True)
    hv = _grads(gs, xs, vs, create_graph)
    return (_result(out, as_tensor, create_graph),
            _pack([_result(h, as_tensor, create_graph) for h in hv], several))


def _flat(v):
    if v is None:
        return []
    return list(v) if isinstance(v, tuple) else [v]
