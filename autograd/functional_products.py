"""The products at a point: :func:`vjp`, :func:`jvp`, :func:`hvp`. :mod:`autograd.functional`
exports them; its docstring has the conventions (types in and out, ``create_graph``, never a
silent zero).
"""
import numpy as np

from . import hooks as _hooks
from .engine import enable_grad, grad as _grad
from .pytree import _LEAF, _Tree
from .tensor import Tensor
from .transform_checks import _check_left, _scalar, _unused, _zeros
from .transform_passes import _backward, _link
from .transform_point import _Inputs, _call_at, _directions, _pack

__all__ = ["vjp", "jvp", "hvp"]


def vjp(f, inputs, v=None, allow_unused=False, create_graph=None):
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
    allow_unused : bool, optional
        Give zeros for an input the output does not depend on, instead of raising.
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
        outputs in number or shape; if no output depends on an input (unless
        ``allow_unused``).
    TypeError
        If an input is not real numbers, or ``f`` returns something that is neither a Tensor
        nor array data.
    RuntimeError
        If a recorded backward pass that it differentiates had a rule that left the graph.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import functional as F
    >>> F.vjp(lambda x: x ** 2, np.array([1.0, 2.0]), np.array([1.0, 0.5]))
    (array([1., 4.]), array([2., 2.]))
    >>> F.vjp(lambda x: (x ** 2).sum(), np.array([1.0, 2.0]))        # the gradient
    (array(5.), array([2., 4.]))
    """
    p = _Inputs(inputs, v, "vjp", create_graph)
    with _hooks.watch() as left:
        outs, several_out = _call_at(f, p.xs, "vjp")
    vs = _directions(v, outs, several_out, f, "vjp", "v", outputs=True)
    _check_left(left, "vjp", f)
    gs, own = _backward(outs, vs, p, "vjp", f, allow_unused, p.create_graph)
    if p.create_graph:
        gs = [_link(g, p.outer, own) for g in gs]
    return (_pack([p.result(o) for o in outs], several_out),
            _pack([p.result(g) for g in gs], p.several))


def jvp(f, inputs, tangents=None, allow_unused=False, create_graph=None):
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
    backward turns ``grad_output`` into a plain array would contribute zero: that raises
    ``RuntimeError`` naming it). The result does
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
    allow_unused : bool, optional
        Give zeros for an input the output does not depend on, instead of raising.
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
        the inputs in number or shape; if no output depends on an input (unless
        ``allow_unused``).
    TypeError
        If an input is not real numbers, or ``f`` returns something that is neither a Tensor
        nor array data.
    RuntimeError
        If a recorded backward pass that it differentiates had a rule that left the graph.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import functional as F
    >>> F.jvp(lambda x: x ** 2, np.array([1.0, 2.0]), np.array([1.0, 0.5]))
    (array([1., 4.]), array([2., 2.]))
    >>> F.jvp(lambda x: x ** 3, 2.0)                  # f'(2) = 3·2²
    (array(8.), array(12.))
    """
    p = _Inputs(inputs, tangents, "jvp", create_graph)
    ts = _directions(tangents, p.xs, p.several, f, "jvp", "tangents", outputs=False)
    with _hooks.watch() as left:
        outs, several_out = _call_at(f, p.xs, "jvp")
        us = [Tensor._make(np.zeros(o.shape, o.dtype), None, True) for o in outs]
        with enable_grad():
            gs, _ = _backward(outs, us, p, "jvp", f, None, True)
    _check_left(left, "jvp", f)
    gs = _unused(gs, p.xs, p.names, allow_unused, "jvp", f)
    live = [(g, t) for g, t in zip(gs, ts) if g.requires_grad]
    jt = [None] * len(us)
    if live:
        with _hooks.watch() as own:
            jt = _grad([g for g, _ in live], us, grad_outputs=[t for _, t in live],
                       create_graph=p.create_graph, allow_unused=True)
    jt = [_zeros(u) if j is None else j for u, j in zip(us, jt)]
    if p.create_graph:
        jt = [_link(j, p.outer, own if live else []) for j in jt]
    return (_pack([p.result(o) for o in outs], several_out),
            _pack([p.result(j) for j in jt], several_out))


def hvp(f, inputs, v=None, allow_unused=False, create_graph=None):
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
    allow_unused : bool, optional
        Give zeros for an input the output does not depend on, instead of raising.
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
        more than one element or does not match the inputs in number or shape; if the output
        does not depend on an input (unless ``allow_unused``).
    TypeError
        If an input is not real numbers, or ``f`` returns something that is neither a Tensor
        nor array data.
    RuntimeError
        If a recorded backward pass that it differentiates had a rule that left the graph.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import functional as F
    >>> F.hvp(lambda x: (x ** 3).sum(), np.array([1.0, 2.0]), np.array([1.0, 0.5]))
    (array(9.), array([6., 6.]))
    >>> F.hvp(lambda x, y: (x * y).sum(), (np.array([1.0]), np.array([2.0])),
    ...       (np.array([1.0]), np.array([0.0])))
    (array(2.), (array([0.]), array([1.])))
    """
    p = _Inputs(inputs, v, "hvp", create_graph)
    vs = _directions(v, p.xs, p.several, f, "hvp", "v", outputs=False)
    with _hooks.watch() as left:
        outs, several_out = _call_at(f, p.xs, "hvp")
        out = _scalar(f, outs, _Tree(tuple, None, [_LEAF] * len(outs)) if several_out else _LEAF,
                      "hvp")
        with enable_grad():
            gs, _ = _backward([out], [None], p, "hvp", f, None, True)
    _check_left(left, "hvp", f)
    gs = _unused(gs, p.xs, p.names, allow_unused, "hvp", f)
    hv, own = _backward(gs, vs, p, "hvp", f, True, p.create_graph)
    if p.create_graph:
        hv = [_link(h, p.outer, own) for h in hv]
    return p.result(out), _pack([p.result(h) for h in hv], p.several)
