"""Layers: Linear (the chapter's h = xW + c), Sequential, and MLP; beyond the chapter,
Dropout and LayerNorm.

Examples
--------
>>> import numpy as np
>>> import nn
>>> model = nn.MLP([2, 4, 1], rng=0)
>>> model(np.zeros((3, 2))).shape
(3, 1)
"""
import copy
import math
from collections import OrderedDict

import numpy as np

import autograd as ag
from autograd.function import grad_times
from autograd.ops.creation import zeros_operand
from autograd.ops.reductions import sum_in_rule

from . import functional as F
from . import init
from .activations import ReLU
from .module import Module, Parameter, _scopes


def _float_dtype(dtype, where):
    dtype = ag.get_default_dtype() if dtype is None else np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"{where}: dtype must be a floating dtype, got {dtype}")
    return dtype


def _positive_int(value, name, where):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{where}: {name} must be a positive int, got {value!r}")
    return int(value)


class Affine(ag.Function):
    """The affine map out = x @ W + b as one graph node, what :class:`Linear` records.

    Composing matmul and add costs a second node and a temporary on every step.
    Gradients, for g = ∂L/∂out: ∂L/∂x = g Wᵀ;  ∂L/∂W = xᵀ g and ∂L/∂b = Σ g, over the rows
    of all leading axes of x. The rule uses operators and methods only, so it is
    differentiable again.

    Call it as ``Affine.apply(x, w, b)``: x of shape ``(..., in)``, w of shape ``(in, out)``
    and b of shape ``(out,)`` give a Tensor of shape ``(..., out)``.

    Examples
    --------
    >>> import autograd as ag
    >>> from nn.layers import Affine
    >>> x = ag.tensor([[1.0, 2.0]], requires_grad=True)
    >>> w = ag.tensor([[1.0, -1.0], [0.5, 0.5]], requires_grad=True)
    >>> b = ag.tensor([0.0, -1.0], requires_grad=True)
    >>> out = Affine.apply(x, w, b)
    >>> out
    Tensor([[ 2., -1.]], grad_fn=<Affine>)
    >>> out.sum().backward()
    >>> w.grad
    Tensor([[1., 1.],
            [2., 2.]])
    >>> b.grad
    Tensor([1., 1.])
    """

    @staticmethod
    def forward(ctx, x, w, b):
        """Compute x @ w + b on the inputs' arrays (run by ``Affine.apply``).

        Parameters
        ----------
        ctx : Affine
            The node: it saves x and w for backward.
        x : numpy.ndarray
            Input of shape ``(..., in)``.
        w : numpy.ndarray
            Weight of shape ``(in, out)``.
        b : numpy.ndarray
            Bias of shape ``(out,)``.

        Returns
        -------
        numpy.ndarray
            ``x @ w + b``, of shape ``(..., out)``.

        Examples
        --------
        >>> import autograd as ag
        >>> from nn.layers import Affine
        >>> Affine.apply(ag.tensor([[1.0, 2.0]]), ag.tensor([[1.0], [1.0]]), ag.tensor([0.5]))
        Tensor([[3.5]])
        """
        ctx.save_for_backward(x, w)
        out = x @ w
        out += b          # out is fresh: adding in place saves an array
        return out

    @staticmethod
    def backward(ctx, grad_output):
        """The gradients of x @ w + b: g Wᵀ, xᵀ g and Σ g (run by ``Tensor.backward``).

        Parameters
        ----------
        ctx : Affine
            The node, holding x and w.
        grad_output : numpy.ndarray or Tensor
            g = ∂L/∂out (a Tensor when the backward pass is recorded).

        Returns
        -------
        tuple
            ``(∂L/∂x, ∂L/∂w, ∂L/∂b)``, None for an input that needs no gradient.

        Examples
        --------
        >>> import autograd as ag
        >>> from nn.layers import Affine
        >>> x = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        >>> w = ag.tensor([[1.0], [-1.0]], requires_grad=True)
        >>> Affine.apply(x, w, ag.tensor([0.0])).sum().backward()
        >>> x.grad
        Tensor([[ 1., -1.],
                [ 1., -1.]])
        >>> w.grad
        Tensor([[4.],
                [6.]])
        """
        x, w = ctx.saved_tensors
        return _affine_grads(ctx.needs_input_grad, grad_output, x, w)


class AffineReLU(ag.Function):
    """out = max(0, x @ W + b) as one node: a Linear layer and the ReLU (D15) after it.

    This is what :class:`Sequential` records for that pair (one node, and no array, fewer
    per layer). With the mask m = [out > 0] and g = ∂L/∂out:  ∂L/∂x = (g ⊙ m) Wᵀ;
    ∂L/∂W = xᵀ (g ⊙ m) and ∂L/∂b = Σ (g ⊙ m), over the rows. Values and gradients equal
    Affine then ReLU's.

    Call it as ``AffineReLU.apply(x, w, b)``: x of shape ``(..., in)``, w of shape
    ``(in, out)`` and b of shape ``(out,)`` give a Tensor of shape ``(..., out)``.

    Examples
    --------
    >>> import autograd as ag
    >>> from nn.layers import AffineReLU
    >>> x = ag.tensor([[1.0, 2.0]])
    >>> w = ag.tensor([[1.0, -1.0], [0.5, 0.5]], requires_grad=True)
    >>> b = ag.tensor([0.0, -1.0], requires_grad=True)
    >>> out = AffineReLU.apply(x, w, b)
    >>> out
    Tensor([[2., 0.]], grad_fn=<AffineReLU>)
    >>> out.sum().backward()
    >>> b.grad
    Tensor([1., 0.])
    """

    @staticmethod
    def forward(ctx, x, w, b):
        """Compute max(0, x @ w + b) on the inputs' arrays (run by ``AffineReLU.apply``).

        Parameters
        ----------
        ctx : AffineReLU
            The node: it saves x, w and the mask out > 0 for backward.
        x : numpy.ndarray
            Input of shape ``(..., in)``.
        w : numpy.ndarray
            Weight of shape ``(in, out)``.
        b : numpy.ndarray
            Bias of shape ``(out,)``.

        Returns
        -------
        numpy.ndarray
            ``max(0, x @ w + b)``, of shape ``(..., out)``.

        Examples
        --------
        >>> import autograd as ag
        >>> from nn.layers import AffineReLU
        >>> w = ag.tensor([[1.0, -1.0], [1.0, -1.0]])
        >>> AffineReLU.apply(ag.tensor([[1.0, 2.0]]), w, ag.tensor([0.5, 0.5]))
        Tensor([[3.5, 0. ]])
        """
        out = x @ w
        out += b
        np.maximum(out, zeros_operand(out), out=out)   # out is fresh: the ReLU in place
        # the mask, not out: made while out is in cache, and out is freed once the next layer
        # is done with it (a smaller peak); a constant under create_graph, as in ReLU's rule.
        ctx.save_for_backward(x, w, out > 0)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        """The gradients of max(0, x @ w + b), with the mask m = [out > 0] as a constant.

        Parameters
        ----------
        ctx : AffineReLU
            The node, holding x, w and the mask.
        grad_output : numpy.ndarray or Tensor
            g = ∂L/∂out (a Tensor when the backward pass is recorded).

        Returns
        -------
        tuple
            ``((g ⊙ m) Wᵀ, xᵀ (g ⊙ m), Σ (g ⊙ m))``, None for an input that needs no
            gradient.

        Examples
        --------
        >>> import autograd as ag
        >>> from nn.layers import AffineReLU
        >>> w = ag.tensor([[1.0, -1.0], [1.0, -1.0]], requires_grad=True)
        >>> AffineReLU.apply(ag.tensor([[1.0, 2.0]]), w, ag.tensor([0.5, 0.5])).sum().backward()
        >>> w.grad
        Tensor([[1., 0.],
                [2., 0.]])
        """
        x, w, mask = ctx.saved_tensors
        return _affine_grads(ctx.needs_input_grad, grad_times(ctx, grad_output, mask), x, w)


def _affine_grads(need, g, x, w):
    """The gradients of x @ w + b for the output gradient g (arrays, or Tensors when recorded):
    g Wᵀ, xᵀ g and the column sums of g, with x and g flattened to rows.

    g Wᵀ comes last: the rule below (a ReLU's mask, say) reads it next, while it is still in
    cache (made first, the two other passes over g and x would evict it)."""
    g2, x2 = g, x
    if g.ndim != 2:
        g2 = g.reshape((-1, g.shape[-1]))
        x2 = x.reshape((-1, x.shape[-1]))
    gw = x2.T @ g2 if need[1] else None
    gb = sum_in_rule(g2, 0) if need[2] else None
    gx = g @ w.T if need[0] else None
    return gx, gw, gb


class Linear(Module):
    """An affine layer in the chapter's convention: ``out = x @ weight + bias``.

    ``weight`` has shape ``(in_features, out_features)`` and ``bias`` shape ``(out_features,)``,
    so the chapter's XOR numbers (D4: W = [[1, 1], [1, 1]], c = [0, −1]) load straight in. This
    is the transpose of PyTorch's ``(out, in)`` weight. ``x`` has shape ``(..., in_features)``.

    Gradients: ∂L/∂W = xᵀ g, ∂L/∂b = Σ_rows g, ∂L/∂x = g Wᵀ, for g = ∂L/∂out. With a bias
    the layer records one :class:`Affine` node per call.

    Default initialization is PyTorch's: weight and bias ~ U(−1/√in_features, 1/√in_features)
    (for the weight this is ``init.kaiming_uniform_(w, a=√5)``). A float32 layer keeps float32
    throughout.

    Parameters
    ----------
    in_features : int
        Size of the input's last axis (a positive int).
    out_features : int
        Size of the output's last axis (a positive int).
    bias : bool, optional
        Whether to add a learned bias (default True); without one, ``bias`` is None.
    rng : numpy.random.Generator or int, optional
        Draws the initial values: a Generator or an int seed (None: unseeded).
    dtype : dtype, optional
        A floating dtype; defaults to ``ag.get_default_dtype()``.

    Attributes
    ----------
    weight : Parameter
        Shape ``(in_features, out_features)``.
    bias : Parameter or None
        Shape ``(out_features,)``.

    Raises
    ------
    ValueError
        If ``in_features`` or ``out_features`` is not a positive int.
    TypeError
        If ``dtype`` is not a floating dtype.

    Examples
    --------
    The chapter's XOR hidden layer (D4), then its ReLU:

    >>> import autograd as ag
    >>> import numpy as np
    >>> import nn
    >>> layer = nn.Linear(2, 2, rng=0)
    >>> layer.weight.shape, layer.bias.shape
    ((2, 2), (2,))
    >>> _ = layer.load_state_dict({"weight": np.array([[1.0, 1.0], [1.0, 1.0]]),
    ...                            "bias": np.array([0.0, -1.0])})
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    >>> h = ag.relu(layer(X))
    >>> h
    Tensor([[0., 0.],
            [1., 0.],
            [1., 0.],
            [2., 1.]], grad_fn=<ReLU>)
    >>> h @ np.array([1.0, -2.0])
    Tensor([0., 1., 1., 0.], grad_fn=<MatMul>)
    """

    def __init__(self, in_features, out_features, bias=True, rng=None, dtype=None):
        super().__init__()
        where = "Linear"
        self.in_features = _positive_int(in_features, "in_features", where)
        self.out_features = _positive_int(out_features, "out_features", where)
        dtype = _float_dtype(dtype, where)
        rng = init.as_generator(rng)
        self.weight = Parameter(np.empty((self.in_features, self.out_features), dtype))
        init.kaiming_uniform_(self.weight, a=math.sqrt(5), rng=rng)
        if bias:
            bound = 1 / math.sqrt(self.in_features)
            self.bias = Parameter(np.empty(self.out_features, dtype))
            init.uniform_(self.bias, -bound, bound, rng=rng)
        else:
            self.bias = None

    def forward(self, x):
        """Compute ``x @ weight + bias``.

        Parameters
        ----------
        x : Tensor or array_like
            Input of shape ``(..., in_features)``. A numpy input is cast to the layer's
            dtype; a Tensor must already have it.

        Returns
        -------
        Tensor
            Output of shape ``(..., out_features)``.

        Raises
        ------
        TypeError
            If ``x`` is a Tensor of another dtype than the layer's.
        ValueError
            If the last axis of ``x`` is not ``in_features`` long.

        Examples
        --------
        >>> import autograd as ag
        >>> import numpy as np
        >>> import nn
        >>> layer = nn.Linear(2, 1, rng=0)
        >>> layer(np.ones((1, 2)))
        Tensor([[-0.78103914]], grad_fn=<Affine>)
        >>> layer(ag.tensor([[1.0, 1.0]], dtype=np.float32))
        Traceback (most recent call last):
            ...
        TypeError: Linear: input dtype float32 does not match the layer's dtype float64; ...
        >>> layer(np.ones((1, 3)))
        Traceback (most recent call last):
            ...
        ValueError: Linear(in_features=2): input of shape (1, 3) must have 2 features on its ...
        """
        x = self._input(x)
        if self.bias is not None:
            return Affine.apply(x, self.weight, self.bias)
        return ag.matmul(x, self.weight)

    def _forward_relu(self, x):
        """relu(self(x)), recorded as one node when the layer has a bias (for Sequential)."""
        x = self._input(x)
        if self.bias is not None:
            return AffineReLU.apply(x, self.weight, self.bias)
        return ag.relu(ag.matmul(x, self.weight))

    def _input(self, x):
        """``x`` checked for this layer: a Tensor of its dtype, or an array cast to it."""
        dtype = self.weight.numpy().dtype
        if isinstance(x, ag.Tensor):
            arr = x.numpy()
            if arr.dtype is not dtype and arr.dtype != dtype:
                fix = f"convert with x.astype(np.{dtype})"
                if x.dtype.kind == "f":     # Linear refuses integer, bool, complex dtypes
                    fix += f" or build the layer with dtype={x.dtype}"
                raise TypeError(f"Linear: input dtype {x.dtype} does not match the "
                                f"layer's dtype {dtype}; {fix}")
            shape = arr.shape
        else:
            x = np.asarray(x, dtype=dtype)
            shape = x.shape
        if not shape or shape[-1] != self.in_features:
            raise ValueError(f"Linear(in_features={self.in_features}): input of shape {shape} "
                             f"must have {self.in_features} features on its last axis")
        return x

    def _scope_label(self):
        """The pictures' label of this layer's cluster: ``Linear(64 → 32)``."""
        return f"Linear({self.in_features} → {self.out_features})"

    def extra_repr(self):
        """The layer's settings, as shown in its repr.

        Returns
        -------
        str
            ``"in_features=..., out_features=..., bias=..."``.

        Examples
        --------
        >>> import nn
        >>> nn.Linear(3, 2, bias=False, rng=0)
        Linear(in_features=3, out_features=2, bias=False)
        """
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Sequential(Module):
    """Modules applied in order: ``Sequential(m0, m1, ...)(x) = ... m1(m0(x))``.

    Submodules are named ``"0"``, ``"1"``, ... (or by the keys of one ordered dict argument,
    each also reachable as an attribute), so ``state_dict`` keys read ``"0.weight"`` as in
    PyTorch. Supports ``len``, iteration, ``seq[i]``, ``seq[a:b]`` (a new Sequential sharing
    the modules, which keep their names) and ``append``.

    Parameters
    ----------
    *modules : Module or dict of str to Module
        The modules, in order; or a single (ordered) dict from name to module.

    Raises
    ------
    TypeError
        If an element is not a Module.
    ValueError
        If two modules have the same name.

    Examples
    --------
    >>> from collections import OrderedDict
    >>> import numpy as np
    >>> import nn
    >>> model = nn.Sequential(nn.Linear(2, 3, rng=0), nn.ReLU(), nn.Linear(3, 1, rng=1))
    >>> len(model), list(model.state_dict())
    (3, ['0.weight', '0.bias', '2.weight', '2.bias'])
    >>> model[1:]
    Sequential(
      (1): ReLU()
      (2): Linear(in_features=3, out_features=1, bias=True)
    )
    >>> named = nn.Sequential(OrderedDict(hidden=nn.Linear(2, 3, rng=0), act=nn.Tanh()))
    >>> named.hidden
    Linear(in_features=2, out_features=3, bias=True)
    >>> named(np.ones((1, 2)))
    Tensor([[-0.32679367,  0.41531528, -0.00374186]], grad_fn=<Tanh>)
    """

    def __init__(self, *modules):
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], dict):
            items = list(modules[0].items())
        else:
            items = [(str(i), m) for i, m in enumerate(modules)]
        self._names = []
        self._layers = []
        for name, m in items:
            self._add(str(name), m)

    def _add(self, name, module):
        if not isinstance(module, Module):
            raise TypeError(f"{type(self).__name__}: every element must be a Module, got "
                            f"{type(module).__name__} for {name!r}")
        if name in self._names:
            raise ValueError(f"{type(self).__name__}: duplicate module name {name!r}")
        self._names.append(name)
        self._layers.append(module)

    def append(self, module):
        """Add ``module`` at the end, named by its position.

        Parameters
        ----------
        module : Module
            The module to add.

        Returns
        -------
        Sequential
            ``self``.

        Raises
        ------
        TypeError
            If ``module`` is not a Module.

        Examples
        --------
        >>> import nn
        >>> model = nn.Sequential(nn.Linear(2, 1, rng=0)).append(nn.Sigmoid())
        >>> len(model), type(model[1]).__name__
        (2, 'Sigmoid')
        """
        self._add(str(len(self._layers)), module)
        return self

    def _members(self):
        yield from zip(self._names, self._layers)
        for name, v in super()._members():
            if not name.startswith(("_layers.", "_names.")):
                yield name, v

    def __getattr__(self, name):
        # Only reached when normal lookup fails: a named child (Sequential(OrderedDict(...)))
        names = self.__dict__.get("_names", ())
        if name in names:
            return self.__dict__["_layers"][names.index(name)]
        raise AttributeError(f"{type(self).__name__} has no attribute or submodule {name!r}")

    def __len__(self):
        return len(self._layers)

    def __iter__(self):
        return iter(self._layers)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Sequential(OrderedDict(zip(self._names[index], self._layers[index])))
        return self._layers[index]

    def forward(self, x):
        """Apply the modules in order.

        A :class:`Linear` directly followed by a :class:`ReLU` (the exact classes, not
        subclasses) runs as one :class:`AffineReLU` node, with the same values and gradients,
        except inside :class:`nn.track_scopes`, where each module runs on its own.

        Parameters
        ----------
        x : Tensor or array_like
            The input of the first module.

        Returns
        -------
        Tensor
            The output of the last module (``x`` itself if there are none).

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> model = nn.Sequential(nn.Linear(2, 3, rng=0), nn.ReLU())
        >>> model(np.ones((1, 2)))
        Tensor([[0.        , 0.44201742, 0.        ]], grad_fn=<AffineReLU>)
        """
        layers = self._layers
        if _scopes.depth:           # inside track_scopes(): each module keeps its own nodes
            for m in layers:
                x = m(x)
            return x
        # A Linear followed by a ReLU runs as one AffineReLU node (the exact classes only: a
        # subclass may change what either does).
        i, n = 0, len(layers)
        while i < n:
            m = layers[i]
            i += 1
            if type(m) is Linear and i < n and type(layers[i]) is ReLU:
                x = m._forward_relu(x)
                i += 1
            else:
                x = m(x)
        return x


def _make_activation(activation, where):
    if isinstance(activation, Module):
        return copy.deepcopy(activation)
    if callable(activation):
        m = activation()
        if isinstance(m, Module):
            return m
    raise TypeError(f"{where}: activation must be a Module class (like nn.ReLU), a callable "
                    f"returning a Module, or a Module; got {activation!r}")


class MLP(Sequential):
    """A multilayer perceptron: Linear layers with an activation between each two.

    ``sizes = [n_in, hidden..., n_out]`` gives Linear(n_in, h1), activation, Linear(h1, h2),
    activation, ..., Linear(h_k, n_out), then ``output_activation`` if given.

    It is a :class:`Sequential`, so the layers are ``mlp[0]``, ``mlp[1]``, ... and state dict
    keys read ``"0.weight"``, ``"2.bias"``.

    Parameters
    ----------
    sizes : sequence of int
        The input size, the hidden sizes and the output size (at least two positive ints).
    activation : Module class, callable or Module, optional
        The hidden units' activation (default ``nn.ReLU``): a Module class, a zero-argument
        callable returning a Module, or a Module instance (copied for each use).
    output_activation : Module class, callable or Module, optional
        An activation after the last layer, given as ``activation`` is (default: none).
    rng : numpy.random.Generator or int, optional
        Draws every layer's weights, in order (a Generator or a seed; None: unseeded).
    dtype : dtype, optional
        The layers' floating dtype (default ``ag.get_default_dtype()``).
    bias : bool, optional
        Whether the Linear layers have biases (default True).

    Attributes
    ----------
    sizes : list of int
        The sizes given.

    Raises
    ------
    ValueError
        If ``sizes`` has fewer than two entries or one is not a positive int.
    TypeError
        If an activation is neither a Module, nor a class or callable that makes one.

    Examples
    --------
    >>> import numpy as np
    >>> import nn
    >>> mlp = nn.MLP([2, 8, 8, 1], activation=nn.Tanh, output_activation=nn.Sigmoid, rng=0)
    >>> mlp
    MLP(
      (0): Linear(in_features=2, out_features=8, bias=True)
      (1): Tanh()
      (2): Linear(in_features=8, out_features=8, bias=True)
      (3): Tanh()
      (4): Linear(in_features=8, out_features=1, bias=True)
      (5): Sigmoid()
    )
    >>> mlp(np.ones((5, 2))).shape
    (5, 1)
    """

    def __init__(self, sizes, activation=ReLU, output_activation=None, rng=None, dtype=None,
                 bias=True):
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(f"MLP: sizes must list at least the input and output sizes, got "
                             f"{sizes}")
        sizes = [_positive_int(s, f"sizes[{k}]", "MLP") for k, s in enumerate(sizes)]
        rng = init.as_generator(rng)
        modules = []
        for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            modules.append(Linear(n_in, n_out, bias=bias, rng=rng, dtype=dtype))
            if k < len(sizes) - 2:
                modules.append(_make_activation(activation, "MLP"))
        if output_activation is not None:
            modules.append(_make_activation(output_activation, "MLP"))
        super().__init__(*modules)
        self.sizes = sizes


# ----------------------------------------------------------------------------- beyond the chapter
class Dropout(Module):
    """Inverted dropout (PyTorch's ``nn.Dropout``): in training mode each element is zeroed
    with probability p and the kept ones are scaled by 1/(1 − p); after :meth:`eval
    <Module.eval>` it is the identity and returns its input itself.

    The masks come from one Generator, made from ``rng`` when the module is built, so a seed
    makes a run reproducible while each call draws a fresh mask. The gradient is the mask the
    forward drew (see :func:`nn.functional.dropout`).

    Parameters
    ----------
    p : float, optional
        The probability of dropping an element, in [0, 1] (default 0.5).
    rng : numpy.random.Generator, int or None, optional
        Draws the masks: a Generator (used as it is), an int seed, or None (unseeded).

    Attributes
    ----------
    p : float
        The drop probability.
    rng : numpy.random.Generator
        The Generator the masks are drawn from.

    Raises
    ------
    TypeError
        If ``p`` is not a real number, or ``rng`` is not a Generator, an int or None.
    ValueError
        If ``p`` lies outside [0, 1].

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> import nn
    >>> drop = nn.Dropout(p=0.5, rng=1)
    >>> drop
    Dropout(p=0.5)
    >>> x = ag.tensor([1.0, 2.0, 3.0, 4.0])
    >>> drop(x)
    Tensor([2., 4., 0., 8.])
    >>> drop.eval()(x) is x
    True
    """

    def __init__(self, p=0.5, rng=None):
        super().__init__()
        self.p = F.check_probability(p, "Dropout")
        self.rng = init.as_generator(rng)

    def forward(self, x):
        """Drop elements in training mode; return ``x`` itself in evaluation mode.

        Parameters
        ----------
        x : Tensor or array_like
            The input; a floating dtype (float32 stays float32).

        Returns
        -------
        Tensor
            ``x * mask``, or the input itself (an array is wrapped in a Tensor).

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> nn.Dropout(p=1.0).forward(np.ones(3))
        Tensor([0., 0., 0.])
        """
        return F.dropout(x, self.p, training=self.training, rng=self.rng)

    def extra_repr(self):
        """The probability, as shown in the repr.

        Returns
        -------
        str
            ``"p=..."``.

        Examples
        --------
        >>> import nn
        >>> nn.Dropout(0.1).extra_repr()
        'p=0.1'
        """
        return f"p={self.p}"


class LayerNorm(Module):
    """Layer normalization over the trailing ``normalized_shape`` axes (PyTorch's
    ``nn.LayerNorm``): y = (x − μ)/√(σ² + eps)·weight + bias, μ and the biased σ² taken over
    those axes. See :func:`nn.functional.layer_norm`.

    Parameters
    ----------
    normalized_shape : int or sequence of int
        The trailing shape of the inputs to normalize over.
    eps : float, optional
        Added to the variance (default 1e-5).
    elementwise_affine : bool, optional
        Whether to learn ``weight`` (ones at first) and ``bias`` (zeros at first), of shape
        ``normalized_shape`` (default True); without, both are None.
    bias : bool, optional
        Whether to learn ``bias`` when ``elementwise_affine`` (default True).
    dtype : dtype, optional
        A floating dtype for the parameters, and for array inputs; defaults to
        ``ag.get_default_dtype()``.

    Attributes
    ----------
    normalized_shape : tuple of int
        The normalized shape.
    weight : Parameter or None
        The scale γ, of shape ``normalized_shape`` (state dict key ``"weight"``).
    bias : Parameter or None
        The shift β, of shape ``normalized_shape`` (state dict key ``"bias"``).

    Raises
    ------
    ValueError
        If ``normalized_shape`` is not a positive int or a non-empty sequence of them.
    TypeError
        If ``dtype`` is not a floating dtype or ``eps`` is not a real number.

    Examples
    --------
    >>> import numpy as np
    >>> import nn
    >>> norm = nn.LayerNorm(3)
    >>> norm
    LayerNorm((3,), eps=1e-05, elementwise_affine=True)
    >>> list(norm.state_dict())
    ['weight', 'bias']
    >>> y = norm(np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 6.0]]))
    >>> y.numpy().mean(axis=-1).round(12), y.numpy().var(axis=-1).round(4)
    (array([0., 0.]), array([1., 1.]))
    """

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True,
                 dtype=None):
        super().__init__()
        where = "LayerNorm"
        self.normalized_shape = F._normalized_shape(normalized_shape, where)
        self.eps = F._real(eps, "eps", where)
        self.elementwise_affine = bool(elementwise_affine)
        self._dtype = _float_dtype(dtype, where)
        if self.elementwise_affine:
            self.weight = Parameter(np.ones(self.normalized_shape, self._dtype))
            self.bias = Parameter(np.zeros(self.normalized_shape, self._dtype)) if bias \
                else None
        else:
            self.weight = self.bias = None

    def forward(self, x):
        """Normalize ``x`` over its trailing ``normalized_shape`` axes, then scale and shift.

        Parameters
        ----------
        x : Tensor or array_like
            Input of shape ``(..., *normalized_shape)``. An array is cast to the layer's
            dtype; a Tensor must already have it when the layer has parameters.

        Returns
        -------
        Tensor
            The normalized input, of its shape.

        Raises
        ------
        TypeError
            If ``x`` is a Tensor of another dtype than the layer's parameters.
        ValueError
            If the trailing shape of ``x`` is not ``normalized_shape``.

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> nn.LayerNorm(2)(np.array([[1.0, 3.0]]))
        Tensor([[-0.999995,  0.999995]], grad_fn=<Add>)
        >>> nn.LayerNorm((2, 2))(np.ones((3, 2)))
        Traceback (most recent call last):
            ...
        ValueError: LayerNorm: normalized_shape (2, 2) must be the trailing shape of the ...
        """
        where = "LayerNorm"
        dtype = self.weight.numpy().dtype if self.weight is not None else self._dtype
        if isinstance(x, ag.Tensor):
            if self.weight is not None and x.dtype != dtype:
                fix = f"convert with x.astype(np.{dtype})"
                if x.dtype.kind == "f":
                    fix += f" or build the layer with dtype={x.dtype}"
                raise TypeError(f"{where}: input dtype {x.dtype} does not match the layer's "
                                f"dtype {dtype}; {fix}")
        else:
            x = np.asarray(x, dtype=dtype)
        shape = self.normalized_shape
        k = len(shape)
        if x.ndim < k or tuple(x.shape[x.ndim - k:]) != shape:
            raise ValueError(f"{where}: normalized_shape {shape} must be the trailing shape of "
                             f"the input, got an input of shape {tuple(x.shape)}")
        return F.layer_norm(x, shape, self.weight, self.bias, self.eps)

    def _scope_label(self):
        """The pictures' label of this layer's cluster: ``LayerNorm((64,))``."""
        return f"LayerNorm({self.normalized_shape})"

    def extra_repr(self):
        """The layer's settings, as shown in its repr (PyTorch's wording).

        Returns
        -------
        str
            ``"(shape), eps=..., elementwise_affine=..."`` (and ``bias=False`` without one).

        Examples
        --------
        >>> import nn
        >>> nn.LayerNorm((2, 3), eps=1e-6, elementwise_affine=False)
        LayerNorm((2, 3), eps=1e-06, elementwise_affine=False)
        """
        text = (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")
        if self.elementwise_affine and self.bias is None:
            text += ", bias=False"
        return text
