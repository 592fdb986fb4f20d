"""Function transforms, JAX style: grad, value_and_grad, elementwise_grad, jacobian (jacrev),
hessian; and the products at a point: vjp, jvp, hvp.

``from autograd import functional as F``. ``F.grad(f)``, ``F.value_and_grad(f)``,
``F.elementwise_grad(f)``, ``F.jacobian(f)`` and ``F.hessian(f)`` take a function ``f``
written with the library's operations (it is called with Tensors) and return a function of the
same arguments; ``F.vjp(f, inputs, v)``, ``F.jvp(f, inputs, tangents)`` and
``F.hvp(f, inputs, v)`` take the point itself and return ``(outputs, result)``.

Conventions
-----------
- ``argnums`` (an int, or a tuple of ints: then a tuple of results; negative numbers count
  from the end) picks the positional arguments to differentiate with respect to; the other
  arguments and the keyword arguments are passed to ``f`` as they are.
- An argument may be a pytree: a tuple, list or dict (nested) of arrays, Python numbers or
  Tensors. Its gradient has the same structure (dict keys kept, lists stay lists), so that
  ``params`` can be a tuple of weights or a dict of named parameters.
- ``has_aux=True``: ``f`` returns ``(output, aux)``; ``aux`` is handed back untouched but for its
  Tensors, which come back as the results do. As in JAX, ``grad`` returns ``(grad, aux)``,
  ``value_and_grad`` ``((value, aux), grad)``, ``jacobian`` and ``hessian`` ``(result, aux)``.
- The Jacobian of ``out = f(x)`` has shape ``out.shape + x.shape`` and
  ``J[out_index + in_index] = ∂out[out_index] / ∂x[in_index]``, as in PyTorch and JAX (and as
  :func:`autograd.gradcheck` reports it). If ``f`` returns a pytree of outputs, the Jacobian is
  that pytree, each output replaced by the structure of the arguments differentiated:
  ``J[i][j] = ∂out_i/∂x_j``. The Hessian of a scalar ``f`` has shape ``x.shape + x.shape``,
  ``H[i][j] = ∂²f/∂x_i∂x_j`` for several arguments (or leaves of a pytree).
- Never a silent zero. If the output of ``f`` does not depend on an argument (or a leaf of
  it) it is asked to differentiate with respect to, a transform raises ``ValueError`` naming
  it (``argument 1['b']``), unless ``allow_unused=True``: then its derivative is zeros of its
  shape. A derivative of a derivative (``hessian``, ``grad(grad(f))``, ``jacobian(grad(f))``)
  is taken through the recorded backward pass: if a rule there left the graph (a custom
  :class:`~autograd.Function` whose backward computes with numpy on plain arrays), the
  transform raises ``RuntimeError`` naming that Function instead of returning a wrong (zero)
  second derivative. A derivative that is truly constant (``f`` linear in ``x``) differentiates
  to zeros.
- Arrays in, arrays out: if any argument differentiated is a Tensor (or holds one), every
  result is a Tensor; otherwise the results are numpy arrays (Python scalars count as 0-d
  arrays). Arrays and detached Tensors returned never share memory with the inputs.
- ``create_graph``: with ``None`` (the default) the computation is recorded, so that the
  result can be differentiated again, exactly when an argument differentiated is a Tensor that
  requires grad (and grad mode is on). That is what makes ``grad(grad(f))`` work. ``True``
  always records, ``False`` never does (the results are then detached).
- ``F.jacobian(f, x)`` and ``F.hessian(f, x, y)`` (the point given directly, before the
  transforms took functions) still work, with a ``DeprecationWarning`` that shows the new
  spelling (``F.jacobian(f)(x)``). A second argument that is an int or a tuple of ints is
  ``argnums``; anything else is the old form's point.
"""
import functools
import warnings

import numpy as np

from . import hooks as _hooks
from .engine import enable_grad, grad as _grad
from .functional_products import hvp, jvp, vjp
from .pytree import _LEAF, _build
from .tensor import Tensor
from .transform_checks import _check_left, _depends, _name, _scalar, _unused
from .transform_passes import Derivative  # noqa: F401  (autograd.functional.Derivative, as before)
from .transform_passes import _backward, _jacobian_blocks, _link
from .transform_point import _Point, _argnums, _aux, _call, _is_argnums, _outputs
from .vmap import vmap

__all__ = ["grad", "value_and_grad", "elementwise_grad", "jacobian", "jacrev", "hessian", "vjp",
           "jvp", "hvp", "vmap"]


def _renamed(wrapper, f, op):
    """``wrapper`` (made by functools.wraps(f)) named ``op(f)``, as errors name it."""
    wrapper.__name__ = wrapper.__qualname__ = f"{op}({getattr(f, '__name__', None) or _name(f)})"
    return wrapper


# ----------------------------------------------------------------------------- grad
def _gradient(f, argnums, has_aux, allow_unused, create_graph, op, with_value=False,
              elementwise=False):
    nums, several = _argnums(argnums, op)

    @functools.wraps(f)
    def transformed(*args, **kwargs):
        p = _Point(f, args, kwargs, nums, several, op, create_graph)
        with _hooks.watch() as left:
            result, aux = _call(f, p.args, kwargs, op, has_aux)
        outs, tree = _outputs(result, f, op)
        if elementwise:
            seeds = [Tensor._make(np.ones(o.shape, o.dtype)) for o in outs]
        else:
            outs, seeds = [_scalar(f, outs, tree, op)], [None]
        _check_left(left, op, f)
        gs, own = _backward(outs, seeds, p, op, f, allow_unused, p.create_graph)
        if p.create_graph:
            gs = [_link(g, p.outer, own) for g in gs]
        g = p.tree([p.result(g) for g in gs])
        if has_aux:
            aux = _aux(aux, p.as_tensor, p.create_graph)
        if not with_value:
            return (g, aux) if has_aux else g
        value = p.result(outs[0])
        return ((value, aux), g) if has_aux else (value, g)

    return _renamed(transformed, f, op)


def value_and_grad(f, argnums=0, has_aux=False, allow_unused=False, create_graph=None):
    """``f`` transformed into a function that returns ``(f(*args), gradient)``, JAX style.

    ``f`` must return a one-element output (a scalar loss). ``argnums`` (an int or a tuple of
    ints) picks the positional arguments to differentiate with respect to: an int gives one
    gradient, of that argument's shape (or structure, for a tuple, list or dict of arrays); a
    tuple gives a tuple of gradients. The other arguments (and keyword arguments) are passed to
    ``f`` as they are. See the module docstring for which type comes back and for
    ``create_graph`` (when the result can be differentiated again).

    Parameters
    ----------
    f : callable
        A function written with the library's operations (called with Tensors), returning a
        one-element Tensor (with ``has_aux``, a pair ``(output, aux)``).
    argnums : int or tuple of int, optional
        The positional arguments to differentiate with respect to (default 0); negative
        numbers count from the end.
    has_aux : bool, optional
        ``f`` returns ``(output, aux)``; the result is then ``((value, aux), gradient)``.
    allow_unused : bool, optional
        Give zeros for an argument the output does not depend on, instead of raising.
    create_graph : bool or None, optional
        Record the computation so that the results can be differentiated again (default
        None: when an argument differentiated is a Tensor that requires grad).

    Returns
    -------
    callable
        ``value_and_grad_f(*args, **kwargs) -> (value, gradient)``, the gradient a tuple when
        ``argnums`` is; numpy arrays, or Tensors if an argument differentiated is a Tensor.
        Calling it raises ``ValueError`` if ``f`` does not return a one-element output, if
        ``argnums`` is out of range, or if the output does not depend on an argument
        differentiated (unless ``allow_unused``); ``TypeError`` for an argument that is not
        real numbers; ``RuntimeError`` if it differentiates a recorded backward pass in which
        a rule left the graph.

    Raises
    ------
    TypeError
        If ``argnums`` is not an int or a non-empty tuple of ints.
    ValueError
        If ``argnums`` repeats an argument.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import functional as F
    >>> F.value_and_grad(lambda w: (w ** 2).sum())(np.array([1.0, 2.0]))    # g = 2w
    (array(5.), array([2., 4.]))
    >>> value, (gw, gb) = F.value_and_grad(lambda w, b: (w * b).sum(), argnums=(0, 1))(
    ...     np.array([1.0, 2.0]), 3.0)
    >>> value, gw, gb
    (array(9.), array([3., 3.]), array(3.))
    >>> def loss(w):
    ...     err = w - 1.0
    ...     return (err ** 2).sum(), err                   # (output, aux)
    >>> (value, err), g = F.value_and_grad(loss, has_aux=True)(np.array([0.0, 3.0]))
    >>> value, err, g
    (array(5.), array([-1.,  2.]), array([-2.,  4.]))
    """
    return _gradient(f, argnums, has_aux, allow_unused, create_graph, "value_and_grad",
                     with_value=True)


def grad(f, argnums=0, has_aux=False, allow_unused=False, create_graph=None):
    """``f`` transformed into the function that returns its gradient, JAX style.

    ``grad(f)(x)`` is ``∂f/∂x`` at ``x``, of ``x``'s shape. ``f`` must return a one-element
    output; ``argnums`` is an int or a tuple of ints, as for :func:`value_and_grad`. An argument
    that is a tuple, list or dict (nested) of arrays gets a gradient of the same structure.
    Transforms compose: ``grad(grad(f))(x)`` is ``f''(x)`` for a scalar function, because the
    inner ``grad`` records its computation when it is given a Tensor that requires grad.

    Parameters
    ----------
    f : callable
        A function written with the library's operations (called with Tensors), returning a
        one-element Tensor (with ``has_aux``, a pair ``(output, aux)``).
    argnums : int or tuple of int, optional
        The positional arguments to differentiate with respect to (default 0).
    has_aux : bool, optional
        ``f`` returns ``(output, aux)``; the result is then ``(gradient, aux)``.
    allow_unused : bool, optional
        Give zeros for an argument the output does not depend on, instead of raising.
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
    >>> from autograd import functional as F
    >>> F.grad(lambda x: (x ** 3).sum())(np.array([1.0, 2.0]))      # 3x²
    array([ 3., 12.])
    >>> F.grad(lambda x, y: (x * y).sum(), argnums=1)(np.array([1.0, 2.0]),
    ...                                               np.array([3.0, 4.0]))
    array([1., 2.])

    A dict of parameters gets a dict of gradients:

    >>> params = {"w": np.array([1.0, 2.0]), "b": 0.5}
    >>> F.grad(lambda p: (p["w"] * p["w"]).sum() + 3 * p["b"])(params)
    {'w': array([2., 4.]), 'b': array(3.)}

    Third derivative of tanh, ``-2(1 - t²)(1 - 3t²)`` with ``t = tanh 0.5``:

    >>> F.grad(F.grad(F.grad(ag.tanh)))(0.5)
    array(-0.56520929)

    An argument the output does not depend on is an error, not a silent zero:

    >>> F.grad(lambda x, y: (x * 2).sum(), argnums=1)(np.ones(2), np.ones(3))
    Traceback (most recent call last):
        ...
    ValueError: grad: the output of <lambda> does not depend on argument 1 (shape (3,)), ...
    >>> F.grad(lambda x, y: (x * 2).sum(), argnums=1, allow_unused=True)(np.ones(2), np.ones(3))
    array([0., 0., 0.])
    """
    return _gradient(f, argnums, has_aux, allow_unused, create_graph, "grad")


def elementwise_grad(f, argnums=0, has_aux=False, allow_unused=False, create_graph=None):
    """``f`` transformed into the gradient of ``sum(f(x))``: HIPS autograd's ``elementwise_grad``.

    For an elementwise ``f`` (each output element depends on the input element at the same
    place, as ``tanh``) that is the derivative of ``f`` at every element, in one backward pass:
    ``elementwise_grad(ag.tanh)(x)`` is ``1 - tanh²x``. For any other ``f`` it is the
    vector-Jacobian product with ones (the column sums of the Jacobian). If ``f`` returns a
    tuple, list or dict of outputs, every element of every output is summed. Applied again it
    gives the next derivative: ``elementwise_grad(elementwise_grad(ag.tanh))``.

    Parameters
    ----------
    f : callable
        A function written with the library's operations (called with Tensors), returning a
        Tensor or a pytree of them (with ``has_aux``, a pair ``(output, aux)``).
    argnums : int or tuple of int, optional
        The positional arguments to differentiate with respect to (default 0).
    has_aux : bool, optional
        ``f`` returns ``(output, aux)``; the result is then ``(gradient, aux)``.
    allow_unused : bool, optional
        Give zeros for an argument the output does not depend on, instead of raising.
    create_graph : bool or None, optional
        Record the computation so that the result can be differentiated again (default None:
        when an argument differentiated is a Tensor that requires grad).

    Returns
    -------
    callable
        ``elementwise_grad_f(*args, **kwargs)``, of the shape (structure) of the arguments
        differentiated (a tuple when ``argnums`` is); raising as :func:`grad`'s does.

    Examples
    --------
    >>> import numpy as np
    >>> import autograd as ag
    >>> from autograd import functional as F
    >>> x = np.array([-1.0, 0.0, 2.0])
    >>> F.elementwise_grad(lambda x: x ** 3)(x)                  # 3x²
    array([ 3.,  0., 12.])
    >>> d2 = F.elementwise_grad(F.elementwise_grad(ag.tanh))      # -2 t (1 - t²)
    >>> np.allclose(d2(x), -2 * np.tanh(x) * (1 - np.tanh(x) ** 2))
    True
    """
    return _gradient(f, argnums, has_aux, allow_unused, create_graph, "elementwise_grad",
                     elementwise=True)


# ----------------------------------------------------------------------------- jacobian, hessian
def _old_form(op, f, point, kw):
    """The deprecated ``op(f, *inputs)``: (the argnums and arguments of the new form); warns
    with the new spelling."""
    packed = len(point) == 1 and isinstance(point[0], tuple)
    args = list(point[0] if packed else point)
    if not args:
        raise ValueError(f"{op}: inputs is empty; give at least one input")
    nums = 0 if len(args) == 1 and not packed else tuple(range(len(args)))
    args = [np.asarray(a) if isinstance(a, list) else a for a in args]     # array data, then
    names = ", ".join(["x"] if len(args) == 1 else ["x", "y"] if len(args) == 2 else
                      ["x", "y", "z"] if len(args) == 3 else
                      [f"x{k}" for k in range(len(args))])
    old = f"({names},)" if packed and len(args) == 1 else f"({names})" if packed else names
    spec = "" if nums == 0 else f", argnums={nums}"
    spec += "".join(f", {k}={v!r}" for k, v in kw.items()
                    if v is not (None if k == "create_graph" else False))
    warnings.warn(
        f"{op}(f, {old}) with the point given directly is deprecated and will be removed: "
        f"write F.{op}(f{spec})({names}) (F is autograd.functional)",
        DeprecationWarning, stacklevel=3)
    return nums, args


def jacobian(f, argnums=0, *inputs, has_aux=False, allow_unused=False, create_graph=None):
    """``f`` transformed into the function that returns its Jacobian, of shape
    ``out.shape + x.shape``.

    ``jacobian(f)(x)[out_index + in_index] = ∂out[out_index] / ∂x[in_index]``, as PyTorch and
    JAX lay it out. ``argnums`` is an int or a tuple of ints (then a tuple over the arguments);
    an argument may be a tuple, list or dict of arrays (then blocks of that structure). If ``f``
    returns a tuple (list, dict) of outputs, the result is that structure over the outputs,
    each holding the structure of the arguments: ``J[i][j] = ∂out_i/∂x_j``. It takes one
    backward pass per output element (reverse mode: ``jacrev`` is the same function). With
    ``create_graph=True`` (or a Tensor that requires grad given, see the module docstring) the
    Jacobian can be differentiated: ``jacobian(grad(f))`` is the Hessian.

    ``jacobian(f, x)``, ``jacobian(f, x, y)`` and ``jacobian(f, (x, y))`` (the point given
    directly) are deprecated: they warn and return ``jacobian(f)(x)``,
    ``jacobian(f, argnums=(0, 1))(x, y)``.

    Parameters
    ----------
    f : callable
        A function written with the library's operations, returning a Tensor or a tuple, list
        or dict of them (with ``has_aux``, a pair ``(output, aux)``).
    argnums : int or tuple of int, optional
        The positional arguments to differentiate with respect to (default 0).
    *inputs
        Deprecated: the point, in the old form.
    has_aux : bool, optional
        ``f`` returns ``(output, aux)``; the result is then ``(jacobian, aux)``.
    allow_unused : bool, optional
        Give zeros for an argument that no output depends on, instead of raising.
    create_graph : bool or None, optional
        Record the computation so that the Jacobian can be differentiated again (default
        None: when an argument differentiated is a Tensor that requires grad).

    Returns
    -------
    callable
        ``jacobian_f(*args, **kwargs)``: the Jacobian (Tensors if an argument differentiated is
        a Tensor), nested as described above. Calling it raises ``ValueError`` if no output
        depends on an argument differentiated (unless ``allow_unused``), ``TypeError`` for an
        argument that is not real numbers or an output that is neither a Tensor nor array
        data, ``RuntimeError`` if it differentiates a recorded backward pass in which a rule
        left the graph.

    Raises
    ------
    TypeError
        If ``argnums`` is not an int or a non-empty tuple of ints.
    ValueError
        If ``argnums`` repeats an argument, or (old form) the point is an empty tuple.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import functional as F
    >>> F.jacobian(lambda x: x ** 2)(np.array([1.0, 2.0]))
    array([[2., 0.],
           [0., 4.]])
    >>> F.jacobian(lambda x, y: x * y, argnums=(0, 1))(np.array([1.0, 2.0]),
    ...                                                np.array([3.0, 4.0]))
    (array([[3., 0.],
           [0., 4.]]), array([[1., 0.],
           [0., 2.]]))
    >>> F.jacobian(F.grad(lambda x: (x ** 3).sum()))(np.array([1.0, 2.0]))   # the Hessian
    array([[ 6.,  0.],
           [ 0., 12.]])
    """
    if inputs or not _is_argnums(argnums):
        nums, args = _old_form("jacobian", f, (argnums,) + inputs,
                               {"has_aux": has_aux, "allow_unused": allow_unused,
                                "create_graph": create_graph})
        return jacobian(f, nums, has_aux=has_aux, allow_unused=allow_unused,
                        create_graph=create_graph)(*args)
    nums, several = _argnums(argnums, "jacobian")

    @functools.wraps(f)
    def jacobian_f(*args, **kwargs):
        p = _Point(f, args, kwargs, nums, several, "jacobian", create_graph)
        with _hooks.watch() as left:
            result, aux = _call(f, p.args, kwargs, "jacobian", has_aux)
        outs, tree = _outputs(result, f, "jacobian")
        _check_left(left, "jacobian", f)
        blocks = _jacobian_blocks(outs, p, p.create_graph, allow_unused, "jacobian", f,
                                  "every output" if tree is not _LEAF else "the output")
        J = _build(tree, iter([p.tree([p.result(b) for b in row]) for row in blocks]))
        return (J, _aux(aux, p.as_tensor, p.create_graph)) if has_aux else J

    return _renamed(jacobian_f, f, "jacobian")


jacrev = jacobian       # reverse mode: the only mode here (JAX's name)


def hessian(f, argnums=0, *inputs, has_aux=False, allow_unused=False, create_graph=None):
    """``f`` transformed into the function that returns its Hessian, of shape
    ``x.shape + x.shape``.

    ``hessian(f)(x)[i + j] = ∂²f/∂x[i]∂x[j]`` for a scalar ``f``; for a tuple ``argnums`` (or
    an argument that is a tuple, list or dict of arrays) the blocks
    ``H[i][j] = ∂²f/∂x_i∂x_j`` of shape ``x_i.shape + x_j.shape``, nested as the arguments are
    (outer index first), as PyTorch and JAX.

    It is the Jacobian of the gradient: one backward pass records ``g = ∇f`` with
    ``create_graph=True``, then one backward pass through that record per element of ``g``.
    For a function with continuous second derivatives it is symmetric. If ``f`` is linear in an
    argument its blocks are zeros; if a rule of the recorded pass left the graph (a custom
    Function whose backward computes on plain arrays), it raises ``RuntimeError`` naming it.

    ``hessian(f, x)`` and ``hessian(f, x, y)`` (the point given directly) are deprecated: they
    warn and return ``hessian(f)(x)``, ``hessian(f, argnums=(0, 1))(x, y)``.

    Parameters
    ----------
    f : callable
        A function written with the library's operations, returning a one-element Tensor
        (with ``has_aux``, a pair ``(output, aux)``).
    argnums : int or tuple of int, optional
        The positional arguments to differentiate with respect to (default 0).
    *inputs
        Deprecated: the point, in the old form.
    has_aux : bool, optional
        ``f`` returns ``(output, aux)``; the result is then ``(hessian, aux)``.
    allow_unused : bool, optional
        Give zeros for an argument the output does not depend on, instead of raising.
    create_graph : bool or None, optional
        Record the computation so that the Hessian can be differentiated again (default None:
        when an argument differentiated is a Tensor that requires grad).

    Returns
    -------
    callable
        ``hessian_f(*args, **kwargs)``: the Hessian (Tensors if an argument differentiated is a
        Tensor). Calling it raises ``ValueError`` if ``f`` does not return a one-element output
        or does not depend on an argument differentiated (unless ``allow_unused``),
        ``RuntimeError`` if a rule of the recorded gradient left the graph.

    Raises
    ------
    TypeError
        If ``argnums`` is not an int or a non-empty tuple of ints.
    ValueError
        If ``argnums`` repeats an argument, or (old form) the point is an empty tuple.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import functional as F
    >>> F.hessian(lambda x: (x ** 3).sum())(np.array([1.0, 2.0]))     # diag(6x)
    array([[ 6.,  0.],
           [ 0., 12.]])
    >>> F.hessian(lambda x, y: (x * x * y).sum(), argnums=(0, 1))(np.array([1.0]),
    ...                                                           np.array([2.0]))
    ((array([[4.]]), array([[2.]])), (array([[2.]]), array([[0.]])))
    """
    if inputs or not _is_argnums(argnums):
        nums, args = _old_form("hessian", f, (argnums,) + inputs,
                               {"has_aux": has_aux, "allow_unused": allow_unused,
                                "create_graph": create_graph})
        return hessian(f, nums, has_aux=has_aux, allow_unused=allow_unused,
                       create_graph=create_graph)(*args)
    nums, several = _argnums(argnums, "hessian")

    @functools.wraps(f)
    def hessian_f(*args, **kwargs):
        p = _Point(f, args, kwargs, nums, several, "hessian", create_graph)
        with _hooks.watch() as left:
            result, aux = _call(f, p.args, kwargs, "hessian", has_aux)
            outs, tree = _outputs(result, f, "hessian")
            out = _scalar(f, outs, tree, "hessian")
            if _depends(out):
                with enable_grad():
                    gs = list(_grad([out], p.xs, create_graph=True, allow_unused=True))
            else:
                gs = [None] * len(p.xs)
        _check_left(left, "hessian", f)
        gs = _unused(gs, p.xs, p.names, allow_unused, "hessian", f)
        blocks = _jacobian_blocks(gs, p, p.create_graph, True, "hessian", f)
        H = p.tree([p.tree([p.result(b) for b in row]) for row in blocks])
        return (H, _aux(aux, p.as_tensor, p.create_graph)) if has_aux else H

    return _renamed(hessian_f, f, "hessian")
