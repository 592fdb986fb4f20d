"""The library's side of each benchmark: the chain, and MLP training with raw Tensors and with nn.

Every class starts from the same weights as the floor (``floors.init_mlp``), so one step of
each gives the same loss and gradients (checked in tests/test_benchmarks.py).
"""
import numpy as np

import autograd as ag


# ----------------------------------------------------------------------------- the chain
def chain_build(x, a, b, codes):
    """The chain ×a, +b, tanh, ... on a leaf made from ``x``: (leaf, output)."""
    leaf = ag.Tensor(x, requires_grad=True)
    y = leaf
    for c in codes:
        if c == 0:
            y = y * a
        elif c == 1:
            y = y + b
        else:
            y = y.tanh()
    return leaf, y


def chain_grad(x, a, b, codes, grad_output):
    """Forward and backward of the chain, as a user writes it: (y, dy/dx · grad_output)."""
    leaf, y = chain_build(x, a, b, codes)
    y.backward(grad_output)
    return y.data, leaf.grad.data


# ----------------------------------------------------------------------------- MLPs
class MLPRaw:
    """The MLP with Tensors and ops only: ``x @ W + b``, relu, log_softmax, mean of the picked
    log-probabilities, and an SGD update written on the ``.data`` arrays."""

    def __init__(self, params, lr):
        self.params = [(ag.Tensor(W.copy(), requires_grad=True),
                        ag.Tensor(b.copy(), requires_grad=True)) for W, b in params]
        self.lr = lr

    def loss(self, X, y):
        h = X
        last = len(self.params) - 1
        for k, (W, b) in enumerate(self.params):
            h = h @ W + b
            if k < last:
                h = h.relu()
        return -ag.log_softmax(h, axis=1)[np.arange(h.shape[0]), y].mean()

    def loss_and_grads(self, X, y):
        loss = self.loss(X, y)
        loss.backward()
        grads = [(W.grad.data, b.grad.data) for W, b in self.params]
        for W, b in self.params:
            W.grad = b.grad = None
        return loss.item(), grads

    def step(self, X, y):
        loss = self.loss(X, y)
        loss.backward()
        lr = self.lr
        for W, b in self.params:
            W.data -= lr * W.grad.data
            b.data -= lr * b.grad.data
            W.grad = b.grad = None
        return loss


class MLPRawInPlace(MLPRaw):
    """MLPRaw with its layers written as the floor writes them: ``h = h @ W``, ``h += b``,
    ``h.relu_()``. Nothing else holds the matmul's output, so the library writes the bias and
    the ReLU into it, and records them as the out-of-place ops (the same gradients)."""

    def loss(self, X, y):
        h = X
        last = len(self.params) - 1
        for k, (W, b) in enumerate(self.params):
            h = h @ W
            h += b
            if k < last:
                h.relu_()
        return -ag.log_softmax(h, axis=1)[np.arange(h.shape[0]), y].mean()


def nn_available():
    """(True, None) when the library's nn layer imports with what the benchmark uses, else
    (False, why)."""
    try:
        import nn
        nn.MLP, nn.CrossEntropyLoss, nn.optim.SGD  # noqa: B018 - the names the bench needs
    except Exception as e:  # noqa: BLE001 - any failure means: skip, and say why
        return False, f"{type(e).__name__}: {e}"
    return True, None


def load_linear_weights(model, params, linear_type):
    """Copy the floor's (W, b) pairs, in order, into the model's Linear layers."""
    linears = [m for m in model.modules() if isinstance(m, linear_type)]
    if len(linears) != len(params):
        raise RuntimeError(f"expected {len(params)} Linear layers, found {len(linears)}")
    for lin, (W, b) in zip(linears, params):
        w = lin.weight.data
        src = W if w.shape == W.shape else W.T   # (in, out) or PyTorch's (out, in)
        if w.shape != src.shape:
            raise RuntimeError(f"Linear weight of shape {w.shape} cannot take {W.shape}")
        np.copyto(w, src)
        np.copyto(lin.bias.data, b)


class MLPNN:
    """The MLP with the library's nn layer: nn.MLP, nn.CrossEntropyLoss, nn.optim.SGD."""

    def __init__(self, params, lr):
        import nn
        sizes = [params[0][0].shape[0]] + [W.shape[1] for W, _ in params]
        dtype = params[0][0].dtype
        self.model = nn.MLP(sizes, dtype=dtype)
        load_linear_weights(self.model, params, nn.Linear)
        self.linears = [m for m in self.model.modules() if isinstance(m, nn.Linear)]
        self.loss_fn = nn.CrossEntropyLoss()
        self.opt = nn.optim.SGD(self.model.parameters(), lr=lr)

    def loss_and_grads(self, X, y):
        self.opt.zero_grad()
        loss = self.loss_fn(self.model(X), y)
        loss.backward()
        grads = [(m.weight.grad.data.copy(), m.bias.grad.data.copy()) for m in self.linears]
        self.opt.zero_grad()
        return loss.item(), grads

    def step(self, X, y):
        self.opt.zero_grad()
        loss = self.loss_fn(self.model(X), y)
        loss.backward()
        self.opt.step()
        return loss
