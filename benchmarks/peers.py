"""PyTorch CPU eager as a peer, when it is installed (``pip install torch==2.13.0``).

The same computations as floors.py and impls.py, from the same starting weights. HIPS autograd
cannot be a peer here: its import name is ours.
"""
import numpy as np

_torch = None


def torch_available():
    """(module, None) when torch imports, else (None, why)."""
    global _torch
    if _torch is None:
        try:
            import torch
        except Exception as e:  # noqa: BLE001 - any failure means: skip the peer, say why
            return None, f"PyTorch not installed ({type(e).__name__}: {e}); install with " \
                         f"`.venv/bin/pip install torch==2.13.0`"
        _torch = torch
    return _torch, None


def chain_build(x, a, b, codes):
    torch = _torch
    leaf = torch.tensor(x, requires_grad=True)
    a = torch.from_numpy(a)
    b = torch.from_numpy(b)
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
    leaf, y = chain_build(x, a, b, codes)
    y.backward(_torch.from_numpy(grad_output))
    return y.detach().numpy(), leaf.grad.numpy()


class MLPRaw:
    """Tensors with requires_grad, functional ops, SGD on the tensors under no_grad."""

    def __init__(self, params, lr):
        torch = _torch
        self.params = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True))
                       for W, b in params]
        self.lr = lr

    def step(self, X, y):
        torch = _torch
        h = X
        last = len(self.params) - 1
        for k, (W, b) in enumerate(self.params):
            h = h @ W + b
            if k < last:
                h = h.relu()
        loss = -torch.log_softmax(h, dim=1)[torch.arange(h.shape[0]), y].mean()
        loss.backward()
        with torch.no_grad():
            for W, b in self.params:
                W -= self.lr * W.grad
                b -= self.lr * b.grad
                W.grad = b.grad = None
        return loss


class MLPNN:
    """torch.nn.Sequential of Linear/ReLU, nn.CrossEntropyLoss, optim.SGD."""

    def __init__(self, params, lr):
        torch = _torch
        layers = []
        for k, (W, b) in enumerate(params):
            lin = torch.nn.Linear(W.shape[0], W.shape[1], dtype=_dtype(W.dtype))
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(np.ascontiguousarray(W.T)))
                lin.bias.copy_(torch.from_numpy(b))
            layers.append(lin)
            if k < len(params) - 1:
                layers.append(torch.nn.ReLU())
        self.model = torch.nn.Sequential(*layers)
        self.loss_fn = torch.nn.CrossEntropyLoss()
        self.opt = torch.optim.SGD(self.model.parameters(), lr=lr)

    def step(self, X, y):
        self.opt.zero_grad()
        loss = self.loss_fn(self.model(X), y)
        loss.backward()
        self.opt.step()
        return loss


def _dtype(np_dtype):
    return _torch.float32 if np_dtype == np.float32 else _torch.float64


def as_input(X, y):
    """The batch as torch tensors (sharing memory with the arrays)."""
    return _torch.from_numpy(X), _torch.from_numpy(y.astype(np.int64))
