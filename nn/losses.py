"""Loss modules: thin wrappers of ``nn.functional``'s losses holding ``reduction``."""
from . import functional as F
from .module import Module


class _Loss(Module):
    def __init__(self, reduction="mean"):
        super().__init__()
        self.reduction = F.check_reduction(reduction, type(self).__name__)

    def extra_repr(self):
        return "" if self.reduction == "mean" else f"reduction={self.reduction!r}"


class MSELoss(_Loss):
    """Squared error (ŷ − y)², reduced (D1, D6). See :func:`nn.functional.mse_loss`."""

    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


class GaussianNLLLoss(_Loss):
    """D6: −log N(target; input, var), as PyTorch's: ``loss(input, target, var)``, with
    ``full`` (add ½ log 2π) and ``eps`` (var is clamped at it). See
    :func:`nn.functional.gaussian_nll_loss`."""

    def __init__(self, full=False, eps=1e-6, reduction="mean"):
        super().__init__(reduction)
        self.full = full
        self.eps = eps

    def forward(self, input, target, var):
        return F.gaussian_nll_loss(input, target, var, full=self.full, eps=self.eps,
                                   reduction=self.reduction)

    def extra_repr(self):
        extra = super().extra_repr()
        return ", ".join(s for s in (f"full={self.full}, eps={self.eps}", extra) if s)


class BCELoss(_Loss):
    """Binary cross-entropy of probabilities in [0, 1], logs clamped at −100 (as PyTorch), so
    p of exactly 0 or 1 gives finite values. See :func:`nn.functional.binary_cross_entropy`."""

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """D7: sigmoid + binary cross-entropy from logits, stable for any logit; gradient σ(z) − t.
    See :func:`nn.functional.binary_cross_entropy_with_logits`."""

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, reduction=self.reduction)


class CrossEntropyLoss(_Loss):
    """D11/D12: softmax cross-entropy from logits (classes on the last axis) with integer labels
    or one-hot/probability targets; gradient softmax(z) − t. See
    :func:`nn.functional.cross_entropy`."""

    def forward(self, input, target):
        return F.cross_entropy(input, target, reduction=self.reduction)


class NLLLoss(_Loss):
    """Negative log-likelihood of integer labels from log-probabilities (classes on the last
    axis); ``NLLLoss()(LogSoftmax()(z), y)`` equals ``CrossEntropyLoss()(z, y)``."""

    def forward(self, input, target):
        return F.nll_loss(input, target, reduction=self.reduction)
