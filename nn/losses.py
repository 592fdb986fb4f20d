"""Loss modules: thin wrappers of ``nn.functional``'s losses holding ``reduction``.

Each is made with ``reduction="mean" | "sum" | "none"`` (checked at once: anything else is a
ValueError) and called as ``loss(input, target)``; ``forward`` passes the call on to the
function in :mod:`nn.functional` named in its docstring.

Examples
--------
>>> import autograd as ag
>>> import numpy as np
>>> import nn
>>> nn.MSELoss(reduction="sum")(ag.tensor([0.5, 2.0]), np.array([1.0, 1.0]))
Tensor(1.25)
>>> nn.MSELoss(reduction="avg")
Traceback (most recent call last):
    ...
ValueError: MSELoss: reduction must be 'mean', 'sum' or 'none', got 'avg'
"""
from . import functional as F
from .module import Module


class _Loss(Module):
    def __init__(self, reduction="mean"):
        super().__init__()
        self.reduction = F.check_reduction(reduction, type(self).__name__)

    def extra_repr(self):
        return "" if self.reduction == "mean" else f"reduction={self.reduction!r}"


class MSELoss(_Loss):
    """Squared error (ŷ − y)², reduced (D1, D6). See :func:`nn.functional.mse_loss`.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}, optional
        "mean" (the default) averages the losses, "sum" adds them, "none" returns one per
        element.

    Raises
    ------
    ValueError
        If ``reduction`` is not one of the three.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> import nn
    >>> y_hat = ag.tensor([0.5, 2.0], requires_grad=True)
    >>> loss = nn.MSELoss()(y_hat, np.array([1.0, 1.0]))
    >>> loss
    Tensor(0.625, grad_fn=<Mean>)
    >>> loss.backward()
    >>> y_hat.grad
    Tensor([-0.5,  1. ])
    """

    def forward(self, input, target):
        """The squared error of ``input`` against ``target``, reduced.

        Parameters
        ----------
        input : Tensor or array_like
            The predictions ŷ (floating).
        target : Tensor or array_like
            The targets y, of the same shape.

        Returns
        -------
        Tensor
            A scalar, or one value per element for ``reduction="none"``.

        Raises
        ------
        TypeError, ValueError
            As :func:`nn.functional.mse_loss` does (dtypes, shapes).

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> nn.MSELoss(reduction="none").forward(np.array([0.5, 2.0]), np.array([1.0, 1.0]))
        Tensor([0.25, 1.  ])
        """
        return F.mse_loss(input, target, reduction=self.reduction)


class GaussianNLLLoss(_Loss):
    """D6: −log N(target; input, var), as PyTorch's: ``loss(input, target, var)``.

    See :func:`nn.functional.gaussian_nll_loss`.

    Parameters
    ----------
    full : bool, optional
        Add the constant ½ log 2π (default False).
    eps : float, optional
        var is clamped at it from below (default 1e-6).
    reduction : {"mean", "sum", "none"}, optional
        "mean" (the default) averages the losses, "sum" adds them, "none" returns one per
        element.

    Raises
    ------
    ValueError
        If ``reduction`` is not one of the three.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> import nn
    >>> y_hat = ag.tensor([0.5, 2.0], requires_grad=True)
    >>> loss = nn.GaussianNLLLoss()(y_hat, np.array([1.0, 1.0]), 1.0)
    >>> loss
    Tensor(0.3125, grad_fn=<Mean>)
    >>> loss.backward()
    >>> y_hat.grad
    Tensor([-0.25,  0.5 ])
    """

    def __init__(self, full=False, eps=1e-6, reduction="mean"):
        super().__init__(reduction)
        self.full = full
        self.eps = eps

    def forward(self, input, target, var):
        """The Gaussian negative log-likelihood of ``target`` under N(input, var), reduced.

        Parameters
        ----------
        input : Tensor or array_like
            The predicted means ŷ (floating).
        target : Tensor or array_like
            The targets y, of the input's shape.
        var : Tensor, array_like or float
            The variances (not negative): a scalar, of the input's shape, of that shape with
            a last axis of 1, or of the input's shape without its last axis.

        Returns
        -------
        Tensor
            A scalar, or one value per element for ``reduction="none"``.

        Raises
        ------
        TypeError, ValueError
            As :func:`nn.functional.gaussian_nll_loss` does (shapes, negative variances).

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> loss = nn.GaussianNLLLoss(full=True)
        >>> loss
        GaussianNLLLoss(full=True, eps=1e-06)
        >>> loss.forward(np.array([0.0]), np.array([0.0]), np.array([1.0]))
        Tensor(0.91893853)
        """
        return F.gaussian_nll_loss(input, target, var, full=self.full, eps=self.eps,
                                   reduction=self.reduction)

    def extra_repr(self):
        """``full``, ``eps`` and (when not "mean") ``reduction``, as shown in the repr.

        Returns
        -------
        str
            ``"full=..., eps=..."``, then ``", reduction=..."`` if it is not "mean".

        Examples
        --------
        >>> import nn
        >>> nn.GaussianNLLLoss(reduction="sum").extra_repr()
        "full=False, eps=1e-06, reduction='sum'"
        """
        extra = super().extra_repr()
        return ", ".join(s for s in (f"full={self.full}, eps={self.eps}", extra) if s)


class BCELoss(_Loss):
    """Binary cross-entropy of probabilities in [0, 1], logs clamped at −100 (as PyTorch).

    So p of exactly 0 or 1 gives finite values (at most 100 per element). Prefer
    :class:`BCEWithLogitsLoss` on logits. See :func:`nn.functional.binary_cross_entropy`.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}, optional
        "mean" (the default) averages the losses, "sum" adds them, "none" returns one per
        element.

    Raises
    ------
    ValueError
        If ``reduction`` is not one of the three.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> import nn
    >>> p = ag.tensor([0.9, 0.2, 1.0])
    >>> nn.BCELoss(reduction="none")(p, np.array([1.0, 0.0, 0.0]))
    Tensor([  0.10536052,   0.22314355, 100.        ])
    """

    def forward(self, input, target):
        """The binary cross-entropy of probabilities ``input`` against ``target``, reduced.

        Parameters
        ----------
        input : Tensor or array_like
            Probabilities p in [0, 1] (floating).
        target : Tensor or array_like
            Targets t in [0, 1], of the input's shape.

        Returns
        -------
        Tensor
            A scalar, or one value per element for ``reduction="none"``.

        Raises
        ------
        TypeError, ValueError
            As :func:`nn.functional.binary_cross_entropy` does (values outside [0, 1],
            shapes, dtypes).

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> nn.BCELoss().forward(np.array([0.5, 0.5]), np.array([1.0, 0.0]))
        Tensor(0.69314718)
        """
        return F.binary_cross_entropy(input, target, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """D7: sigmoid + binary cross-entropy from logits, stable for any logit; gradient σ(z) − t.

    See :func:`nn.functional.binary_cross_entropy_with_logits`.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}, optional
        "mean" (the default) averages the losses, "sum" adds them, "none" returns one per
        element.

    Raises
    ------
    ValueError
        If ``reduction`` is not one of the three.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> import nn
    >>> z = ag.tensor([2.0, -1.0, 1e4], requires_grad=True)
    >>> loss = nn.BCEWithLogitsLoss(reduction="sum")(z, np.array([1.0, 0.0, 0.0]))
    >>> round(float(loss), 6)
    10000.44019
    >>> loss.backward()
    >>> z.grad
    Tensor([-0.11920292,  0.26894142,  1.        ])
    """

    def forward(self, input, target):
        """The binary cross-entropy of logits ``input`` against ``target``, reduced.

        Parameters
        ----------
        input : Tensor or array_like
            Logits z of any size (floating).
        target : Tensor or array_like
            Targets t in [0, 1] (soft labels allowed), of the input's shape.

        Returns
        -------
        Tensor
            A scalar, or one value per element for ``reduction="none"``.

        Raises
        ------
        TypeError, ValueError
            As :func:`nn.functional.binary_cross_entropy_with_logits` does.

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> nn.BCEWithLogitsLoss().forward(np.array([0.0]), np.array([1.0]))
        Tensor(0.69314718)
        """
        return F.binary_cross_entropy_with_logits(input, target, reduction=self.reduction)


class CrossEntropyLoss(_Loss):
    """D11/D12: softmax cross-entropy from logits, with integer labels or probability targets.

    Classes are on the last axis; targets are integer labels or one-hot/probability targets;
    the gradient in the logits is softmax(z) − t. See :func:`nn.functional.cross_entropy`.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}, optional
        "mean" (the default) averages the losses, "sum" adds them, "none" returns one per
        sample.

    Raises
    ------
    ValueError
        If ``reduction`` is not one of the three.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> import nn
    >>> z = ag.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]], requires_grad=True)
    >>> labels = np.array([0, 1])
    >>> loss = nn.CrossEntropyLoss()(z, labels)
    >>> loss
    Tensor(0.31853977, grad_fn=<CrossEntropyFromLogits>)
    >>> loss.backward()
    >>> z.grad
    Tensor([[-0.17049943,  0.12121649,  0.04928295],
            [ 0.05430187, -0.09876047,  0.04445861]])
    >>> nn.CrossEntropyLoss(reduction="none")(z, np.eye(3)[labels])
    Tensor([0.41703002, 0.22004952], grad_fn=<CrossEntropyFromLogits>)
    """

    def forward(self, input, target):
        """The softmax cross-entropy of logits ``input`` against ``target``, reduced.

        Parameters
        ----------
        input : Tensor or array_like
            Logits of shape ``(..., C)`` (floating).
        target : Tensor or array_like
            Integer labels of shape ``input.shape[:-1]``, or one-hot/probability targets of
            the input's shape.

        Returns
        -------
        Tensor
            A scalar, or one value per sample for ``reduction="none"``.

        Raises
        ------
        TypeError, ValueError
            As :func:`nn.functional.cross_entropy` does (label dtype, shape or range).

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> nn.CrossEntropyLoss().forward(np.zeros((1, 4)), np.array([3]))
        Tensor(1.38629436)
        """
        return F.cross_entropy(input, target, reduction=self.reduction)


class NLLLoss(_Loss):
    """Negative log-likelihood of integer labels from log-probabilities.

    Classes are on the last axis; ``NLLLoss()(LogSoftmax()(z), y)`` equals
    ``CrossEntropyLoss()(z, y)``. See :func:`nn.functional.nll_loss`.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}, optional
        "mean" (the default) averages the losses, "sum" adds them, "none" returns one per
        sample.

    Raises
    ------
    ValueError
        If ``reduction`` is not one of the three.

    Examples
    --------
    >>> import autograd as ag
    >>> import numpy as np
    >>> import nn
    >>> z = ag.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
    >>> labels = np.array([0, 1])
    >>> nn.NLLLoss()(nn.LogSoftmax()(z), labels)
    Tensor(0.31853977)
    >>> nn.CrossEntropyLoss()(z, labels)
    Tensor(0.31853977)
    """

    def forward(self, input, target):
        """The negative log-likelihood of labels ``target`` under log-probabilities ``input``.

        Parameters
        ----------
        input : Tensor or array_like
            Log-probabilities of shape ``(..., C)`` (floating).
        target : array_like
            Integer labels of shape ``input.shape[:-1]``, each in ``0..C-1``.

        Returns
        -------
        Tensor
            A scalar, or one value per sample for ``reduction="none"``.

        Raises
        ------
        TypeError, ValueError
            As :func:`nn.functional.nll_loss` does (label dtype, shape or range).

        Examples
        --------
        >>> import numpy as np
        >>> import nn
        >>> log_p = np.log([[0.5, 0.5], [0.1, 0.9]])
        >>> nn.NLLLoss(reduction="none").forward(log_p, np.array([0, 1]))
        Tensor([0.69314718, 0.10536052])
        """
        return F.nll_loss(input, target, reduction=self.reduction)
