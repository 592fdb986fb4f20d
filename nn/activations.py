"""The chapter's hidden units (D13–D19) as modules; the math lives in autograd's ops."""
import autograd as ag

from .module import Module


class Identity(Module):
    """D13 with m = 1: the linear unit R(z) = z, R' = 1. Returns its input unchanged."""

    def forward(self, x):
        return x


class ReLU(Module):
    """D15: max(0, z); derivative 1 for z > 0 and 0 for z ≤ 0 (0 at z = 0)."""

    def forward(self, x):
        return ag.relu(x)


class LeakyReLU(Module):
    """D16: z for z > 0, negative_slope·z otherwise; derivative 1 or negative_slope."""

    def __init__(self, negative_slope=0.01):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x):
        return ag.leaky_relu(x, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}"


class ELU(Module):
    """D14: z for z > 0, alpha·(eᶻ − 1) otherwise; derivative 1 or alpha·eᶻ; tends to −alpha."""

    def __init__(self, alpha=1.0):
        super().__init__()
        self.alpha = alpha

    def forward(self, x):
        return ag.elu(x, self.alpha)

    def extra_repr(self):
        return f"alpha={self.alpha}"


class Sigmoid(Module):
    """D17: σ(z) = 1 / (1 + e⁻ᶻ) in (0, 1); σ' = σ(1 − σ)."""

    def forward(self, x):
        return ag.sigmoid(x)


class Tanh(Module):
    """D18: tanh z in (−1, 1), zero-centred; derivative 1 − tanh² z."""

    def forward(self, x):
        return ag.tanh(x)


class Softplus(Module):
    """log(1 + eᶻ), a smooth ReLU; derivative σ(z)."""

    def forward(self, x):
        return ag.softplus(x)


class Softmax(Module):
    """D8, D10, D19: softmax along ``axis``, a probability distribution; Jacobian
    diag(y) − y yᵀ."""

    def __init__(self, axis=-1):
        super().__init__()
        self.axis = axis

    def forward(self, x):
        return ag.softmax(x, axis=self.axis)

    def extra_repr(self):
        return f"axis={self.axis}"


class LogSoftmax(Module):
    """D9: z − log Σ eᶻ along ``axis``, stable for any logits."""

    def __init__(self, axis=-1):
        super().__init__()
        self.axis = axis

    def forward(self, x):
        return ag.log_softmax(x, axis=self.axis)

    def extra_repr(self):
        return f"axis={self.axis}"
