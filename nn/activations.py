"""The chapter's hidden units (D13–D19) as modules; the math lives in autograd's ops.

Each module's ``forward`` calls the op of the same name (``ag.relu``, ``ag.softmax``, ...),
also available as ``nn.functional.relu`` and so on. The modules have no parameters.
Beyond the chapter, :class:`GELU`, :class:`SiLU` and :class:`Hardtanh` call
``nn.functional.gelu``, ``silu`` and ``hardtanh``.

Examples
--------
>>> import autograd as ag
>>> import nn
>>> nn.Tanh()(ag.tensor([0.0, 1.0]))
Tensor([0.        , 0.76159416])
"""
import autograd as ag

from . import functional as F
from .module import Module


class Identity(Module):
    """D13 with m = 1: the linear unit R(z) = z, R' = 1. Returns its input unchanged.

    Examples
    --------
    >>> import autograd as ag
    >>> import nn
    >>> x = ag.tensor([-2.0, 3.0])
    >>> nn.Identity()(x) is x
    True
    """

    def forward(self, x):
        """Return the input unchanged (the same object).

        Parameters
        ----------
        x : object
            Anything.

        Returns
        -------
        object
            ``x`` itself.

        Examples
        --------
        >>> import nn
        >>> nn.Identity()(1.5)
        1.5
        """
        return x


class ReLU(Module):
    """D15: the rectified linear unit max(0, z).

    Its derivative is 1 for z > 0 and 0 for z ≤ 0 (0 at z = 0). After a :class:`Linear`
    inside a :class:`Sequential`, the pair runs as one node.

    Examples
    --------
    >>> import autograd as ag
    >>> import nn
    >>> z = ag.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    >>> nn.ReLU()(z)
    Tensor([0., 0., 3.], grad_fn=<ReLU>)
    >>> nn.ReLU()(z).sum().backward()
    >>> z.grad
    Tensor([0., 0., 1.])
    """

    def forward(self, x):
        """Apply the activation elementwise.

        Parameters
        ----------
        x : Tensor or array_like
            The pre-activations z.

        Returns
        -------
        Tensor
            max(0, z), of the input's shape.

        Examples
        --------
        >>> import autograd as ag
        >>> import nn
        >>> nn.ReLU().forward(ag.tensor([-1.0, 2.0]))
        Tensor([0., 2.])
        """
        return ag.relu(x)


class LeakyReLU(Module):
    """D16: the leaky ReLU, z for z > 0 and negative_slope·z otherwise.

    Its derivative is 1 for z > 0 and negative_slope for z ≤ 0.

    Parameters
    ----------
    negative_slope : float, optional
        The slope for z ≤ 0 (default 0.01).

    Examples
    --------
    >>> import autograd as ag
    >>> import nn
    >>> act = nn.LeakyReLU(0.1)
    >>> act
    LeakyReLU(negative_slope=0.1)
    >>> act(ag.tensor([-2.0, 0.0, 3.0]))
    Tensor([-0.2,  0. ,  3. ])
    """

    def __init__(self, negative_slope=0.01):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x):
        """Apply the activation elementwise.

        Parameters
        ----------
        x : Tensor or array_like
            The pre-activations z.

        Returns
        -------
        Tensor
            z or negative_slope·z, of the input's shape.

        Examples
        --------
        >>> import autograd as ag
        >>> import nn
        >>> nn.LeakyReLU(0.5).forward(ag.tensor([-1.0, 2.0]))
        Tensor([-0.5,  2. ])
        """
        return ag.leaky_relu(x, self.negative_slope)

    def extra_repr(self):
        """The slope, as shown in the repr.

        Returns
        -------
        str
            ``"negative_slope=..."``.

        Examples
        --------
        >>> import nn
        >>> nn.LeakyReLU().extra_repr()
        'negative_slope=0.01'
        """
        return f"negative_slope={self.negative_slope}"


class ELU(Module):
    """D14: the exponential linear unit, z for z > 0 and alpha·(eᶻ − 1) otherwise.

    Its derivative is 1 for z > 0 and alpha·eᶻ for z ≤ 0; for z → −∞ it tends to −alpha.

    Parameters
    ----------
    alpha : float, optional
        The negative saturation value's magnitude (default 1.0).

    Examples
    --------
    >>> import autograd as ag
    >>> import nn
    >>> nn.ELU()(ag.tensor([-2.0, 0.0, 3.0]))
    Tensor([-0.86466472,  0.        ,  3.        ])
    >>> nn.ELU(alpha=2.0)(ag.tensor([-50.0]))
    Tensor([-2.])
    """

    def __init__(self, alpha=1.0):
        super().__init__()
        self.alpha = alpha

    def forward(self, x):
        """Apply the activation elementwise.

        Parameters
        ----------
        x : Tensor or array_like
            The pre-activations z.

        Returns
        -------
        Tensor
            z or alpha·(eᶻ − 1), of the input's shape.

        Examples
        --------
        >>> import autograd as ag
        >>> import nn
        >>> nn.ELU().forward(ag.tensor([-1.0, 2.0]))
        Tensor([-0.63212056,  2.        ])
        """
        return ag.elu(x, self.alpha)

    def extra_repr(self):
        """``alpha``, as shown in the repr.

        Returns
        -------
        str
            ``"alpha=..."``.

        Examples
        --------
        >>> import nn
        >>> nn.ELU(alpha=0.5)
        ELU(alpha=0.5)
        """
        return f"alpha={self.alpha}"


class Sigmoid(Module):
    """D17: the logistic sigmoid σ(z) = 1 / (1 + e⁻ᶻ), in (0, 1); σ' = σ(1 − σ).

    Examples
    --------
    >>> import autograd as ag
    >>> import nn
    >>> z = ag.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    >>> nn.Sigmoid()(z)
    Tensor([0.11920292, 0.5       , 0.95257413], grad_fn=<Sigmoid>)
    >>> nn.Sigmoid()(z).sum().backward()
    >>> z.grad
    Tensor([0.10499359, 0.25      , 0.04517666])
    """

    def forward(self, x):
        """Apply the activation elementwise.

        Parameters
        ----------
        x : Tensor or array_like
            The pre-activations z.

        Returns
        -------
        Tensor
            σ(z), of the input's shape.

        Examples
        --------
        >>> import autograd as ag
        >>> import nn
        >>> nn.Sigmoid().forward(ag.tensor([0.0]))
        Tensor([0.5])
        """
        return ag.sigmoid(x)


class Tanh(Module):
    """D18: the hyperbolic tangent tanh z, in (−1, 1), zero-centred; derivative 1 − tanh² z.

    Examples
    --------
    >>> import autograd as ag
    >>> import nn
    >>> nn.Tanh()(ag.tensor([-2.0, 0.0, 3.0]))
    Tensor([-0.96402758,  0.        ,  0.99505475])
    """

    def forward(self, x):
        """Apply the activation elementwise.

        Parameters
        ----------
        x : Tensor or array_like
            The pre-activations z.

        Returns
        -------
        Tensor
            tanh z, of the input's shape.

        Examples
        --------
        >>> import autograd as ag
        >>> import nn
        >>> nn.Tanh().forward(ag.tensor([0.0]))
        Tensor([0.])
        """
        return ag.tanh(x)


class Softplus(Module):
    """The softplus log(1 + eᶻ), a smooth ReLU; derivative σ(z).

    Examples
    --------
    >>> import autograd as ag
    >>> import nn
    >>> z = ag.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    >>> nn.Softplus()(z)
    Tensor([0.12692801, 0.69314718, 3.04858735], grad_fn=<Softplus>)
    >>> nn.Softplus()(z).sum().backward()
    >>> z.grad
    Tensor([0.11920292, 0.5       , 0.95257413])
    """

    def forward(self, x):
        """Apply the activation elementwise.

        Parameters
        ----------
        x : Tensor or array_like
            The pre-activations z.

        Returns
        -------
        Tensor
            log(1 + eᶻ), of the input's shape.

        Examples
        --------
        >>> import autograd as ag
        >>> import nn
        >>> nn.Softplus().forward(ag.tensor([0.0]))
        Tensor([0.69314718])
        """
        return ag.softplus(x)


class Softmax(Module):
    """D8, D10, D19: softmax along ``axis``, a probability distribution.

    y = eᶻ / Σ eᶻ along ``axis``; its Jacobian is diag(y) − y yᵀ.

    Parameters
    ----------
    axis : int, optional
        The axis that sums to 1 (default the last).

    Examples
    --------
    >>> import autograd as ag
    >>> import nn
    >>> nn.Softmax()(ag.tensor([1.0, 2.0, 3.0]))
    Tensor([0.09003057, 0.24472847, 0.66524096])
    >>> nn.Softmax(axis=0)(ag.tensor([[1.0, 2.0], [3.0, 4.0]]))
    Tensor([[0.11920292, 0.11920292],
            [0.88079708, 0.88079708]])
    """

    def __init__(self, axis=-1):
        super().__init__()
        self.axis = axis

    def forward(self, x):
        """Apply softmax along ``self.axis``.

        Parameters
        ----------
        x : Tensor or array_like
            The logits z.

        Returns
        -------
        Tensor
            Probabilities of the input's shape, summing to 1 along the axis.

        Examples
        --------
        >>> import autograd as ag
        >>> import nn
        >>> nn.Softmax().forward(ag.tensor([0.0, 0.0]))
        Tensor([0.5, 0.5])
        """
        return ag.softmax(x, axis=self.axis)

    def extra_repr(self):
        """The axis, as shown in the repr.

        Returns
        -------
        str
            ``"axis=..."``.

        Examples
        --------
        >>> import nn
        >>> nn.Softmax()
        Softmax(axis=-1)
        """
        return f"axis={self.axis}"


class LogSoftmax(Module):
    """D9: log-softmax z − log Σ eᶻ along ``axis``, stable for any logits.

    Parameters
    ----------
    axis : int, optional
        The axis of the classes (default the last).

    Examples
    --------
    >>> import autograd as ag
    >>> import nn
    >>> nn.LogSoftmax()(ag.tensor([1.0, 2.0, 3.0]))
    Tensor([-2.40760596, -1.40760596, -0.40760596])
    >>> nn.LogSoftmax()(ag.tensor([1000.0, 0.0]))
    Tensor([    0., -1000.])
    """

    def __init__(self, axis=-1):
        super().__init__()
        self.axis = axis

    def forward(self, x):
        """Apply log-softmax along ``self.axis``.

        Parameters
        ----------
        x : Tensor or array_like
            The logits z.

        Returns
        -------
        Tensor
            Log-probabilities of the input's shape.

        Examples
        --------
        >>> import autograd as ag
        >>> import nn
        >>> nn.LogSoftmax().forward(ag.tensor([0.0, 0.0]))
        Tensor([-0.69314718, -0.69314718])
        """
        return ag.log_softmax(x, axis=self.axis)

    def extra_repr(self):
        """The axis, as shown in the repr.

        Returns
        -------
        str
            ``"axis=..."``.

        Examples
        --------
        >>> import nn
        >>> nn.LogSoftmax(axis=0)
        LogSoftmax(axis=0)
        """
        return f"axis={self.axis}"


# ----------------------------------------------------------------------------- beyond the chapter
class GELU(Module):
    """The Gaussian error linear unit x·Φ(x) (PyTorch's ``nn.GELU``); see
    :func:`nn.functional.gelu`.

    Parameters
    ----------
    approximate : {"none", "tanh"}, optional
        The exact form x·(1 + erf(x/√2))/2 (the default, which uses ``ag.special.erf``) or
        the tanh approximation x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))/2.

    Raises
    ------
    ValueError
        If ``approximate`` is neither "none" nor "tanh".

    Examples
    --------
    >>> import autograd as ag
    >>> import nn
    >>> act = nn.GELU(approximate="tanh")
    >>> act
    GELU(approximate='tanh')
    >>> act(ag.tensor([-1.0, 0.0, 1.0]))
    Tensor([-0.15880801,  0.        ,  0.84119199])
    """

    def __init__(self, approximate="none"):
        super().__init__()
        self.approximate = F.check_approximate(approximate, "GELU")

    def forward(self, x):
        """Apply the activation elementwise.

        Parameters
        ----------
        x : Tensor or array_like
            The pre-activations; a floating dtype.

        Returns
        -------
        Tensor
            GELU(x), of the input's shape and dtype.

        Examples
        --------
        >>> import autograd as ag
        >>> import nn
        >>> nn.GELU("tanh").forward(ag.tensor([0.0, 2.0]))
        Tensor([0.        , 1.95459769])
        """
        return F.gelu(x, approximate=self.approximate)

    def extra_repr(self):
        """The approximation, as shown in the repr.

        Returns
        -------
        str
            ``"approximate='...'"``.

        Examples
        --------
        >>> import nn
        >>> nn.GELU()
        GELU(approximate='none')
        """
        return f"approximate={self.approximate!r}"


class SiLU(Module):
    """The sigmoid linear unit (swish) x·σ(x) (PyTorch's ``nn.SiLU``); derivative
    σ(x)·(1 + x·(1 − σ(x))).

    Examples
    --------
    >>> import autograd as ag
    >>> import nn
    >>> nn.SiLU()(ag.tensor([-1.0, 0.0, 2.0]))
    Tensor([-0.26894142,  0.        ,  1.76159416])
    """

    def forward(self, x):
        """Apply the activation elementwise.

        Parameters
        ----------
        x : Tensor or array_like
            The pre-activations; a floating dtype.

        Returns
        -------
        Tensor
            x·σ(x), of the input's shape and dtype.

        Examples
        --------
        >>> import autograd as ag
        >>> import nn
        >>> nn.SiLU().forward(ag.tensor([0.0]))
        Tensor([0.])
        """
        return F.silu(x)


class Hardtanh(Module):
    """x clipped to [min_val, max_val] (PyTorch's ``nn.Hardtanh``); the gradient is 1 strictly
    inside and 0 elsewhere, kinks included. See :func:`nn.functional.hardtanh`.

    Parameters
    ----------
    min_val : float, optional
        The lower bound (default -1.0).
    max_val : float, optional
        The upper bound (default 1.0); not below ``min_val``.

    Raises
    ------
    TypeError
        If a bound is not a real number.
    ValueError
        If ``min_val > max_val``.

    Examples
    --------
    >>> import autograd as ag
    >>> import nn
    >>> act = nn.Hardtanh(-2.0, 2.0)
    >>> act
    Hardtanh(min_val=-2.0, max_val=2.0)
    >>> act(ag.tensor([-3.0, 0.5, 3.0]))
    Tensor([-2. ,  0.5,  2. ])
    """

    def __init__(self, min_val=-1.0, max_val=1.0):
        super().__init__()
        where = "Hardtanh"
        self.min_val = F._real(min_val, "min_val", where)
        self.max_val = F._real(max_val, "max_val", where)
        if self.min_val > self.max_val:
            raise ValueError(f"{where}: min_val ({self.min_val}) must not exceed max_val "
                             f"({self.max_val})")

    def forward(self, x):
        """Apply the activation elementwise.

        Parameters
        ----------
        x : Tensor or array_like
            The input; a floating dtype.

        Returns
        -------
        Tensor
            The clipped values, of the input's shape and dtype.

        Examples
        --------
        >>> import autograd as ag
        >>> import nn
        >>> nn.Hardtanh().forward(ag.tensor([-5.0, 0.25]))
        Tensor([-1.  ,  0.25])
        """
        return F.hardtanh(x, self.min_val, self.max_val)

    def extra_repr(self):
        """The bounds, as shown in the repr.

        Returns
        -------
        str
            ``"min_val=..., max_val=..."``.

        Examples
        --------
        >>> import nn
        >>> nn.Hardtanh().extra_repr()
        'min_val=-1.0, max_val=1.0'
        """
        return f"min_val={self.min_val}, max_val={self.max_val}"
