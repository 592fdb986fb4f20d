"""The floor: forward and backward written by hand in numpy, as an expert would.

Nothing here builds a graph. Each backward is the closed form, fused where an expert would fuse
it (softmax cross-entropy gives (p − onehot)/n directly; the ReLU derivative is a mask of the
stored activation), and the SGD update is in place. The benchmark's ratios divide by these
times, and tests/test_benchmarks.py checks that they give the library's gradients.

Weights are stored as (in_features, out_features), so a layer is ``x @ W + b``.
"""
import numpy as np

MUL, ADD, TANH = 0, 1, 2


def chain_codes(n):
    """The op sequence of the per-op chain: ×a, +b, tanh, ×a, +b, tanh, ..."""
    return [k % 3 for k in range(n)]


def chain_inputs(rng, shape=(8,), dtype=np.float64):
    """x, a, b for the chain; |a| < 1.5 and the tanh keep every value bounded at any length."""
    x = rng.uniform(-1, 1, shape).astype(dtype)
    a = rng.uniform(0.5, 1.5, shape).astype(dtype)
    b = rng.uniform(-0.5, 0.5, shape).astype(dtype)
    return x, a, b


def chain_forward(x, a, b, codes):
    """The chain's output and what its backward needs (the tanh outputs, in order)."""
    saved = []
    y = x
    for c in codes:
        if c == MUL:
            y = y * a
        elif c == ADD:
            y = y + b
        else:
            y = np.tanh(y)
            saved.append(y)
    return y, saved


def chain_backward(a, codes, saved, grad_output):
    """d(sum(grad_output · y))/dx: ×a gives ·a, +b passes through, tanh gives ·(1 − t²)."""
    g = grad_output
    k = len(saved)
    for c in reversed(codes):
        if c == MUL:
            g = g * a
        elif c == TANH:
            k -= 1
            t = saved[k]
            g = g * (1.0 - t * t)
    return g


def chain_grad(x, a, b, codes, grad_output=None):
    """Forward and backward of the chain: (y, dy/dx · grad_output)."""
    y, saved = chain_forward(x, a, b, codes)
    if grad_output is None:
        grad_output = np.ones_like(y)
    return y, chain_backward(a, codes, saved, grad_output)


# ----------------------------------------------------------------------------- MLPs
def init_mlp(sizes, rng, dtype=np.float64):
    """He-initialised weights (in, out) and small biases, the same for every implementation."""
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        W = rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)
        b = rng.uniform(-0.1, 0.1, n_out)
        params.append((W.astype(dtype), b.astype(dtype)))
    return params


_ZEROS = {}


def _zeros(h):
    """Zeros of h's shape and dtype, made once per shape (the same trick as the library's
    zeros_operand, written here in plain numpy)."""
    z = _ZEROS.get((h.shape, h.dtype))
    if z is None:
        z = _ZEROS[(h.shape, h.dtype)] = np.zeros_like(h)
    return z


class MLPFloor:
    """A ReLU MLP with softmax cross-entropy (mean over the batch) and plain SGD, by hand.

    ``step(X, y)`` is one training step and returns the loss. ``loss_and_grads`` returns the
    loss and the gradients [(dW, db), ...] without updating (for the equality tests).
    """

    def __init__(self, params, lr):
        self.params = [(W.copy(), b.copy()) for W, b in params]
        self.lr = lr

    def loss_and_grads(self, X, y):
        params = self.params
        acts = [X]
        h = X
        for W, b in params[:-1]:
            h = h @ W
            h += b
            # the activation doubles as the ReLU mask; zeros as an array, not the scalar 0:
            # numpy's maximum against a scalar takes a slower loop (2-3x on these sizes)
            np.maximum(h, _zeros(h), out=h)
            acts.append(h)
        W, b = params[-1]
        z = h @ W
        z += b
        n = z.shape[0]
        # softmax cross-entropy on the transposed logits (classes along the first axis, so
        # that the row maxima and sums broadcast along the samples), as the library's
        z = np.ascontiguousarray(z.T)
        z -= np.maximum.reduce(z, axis=0)
        picked = y * n + np.arange(n)          # (label, row) in that layout, flattened
        loss = -z.reshape(-1)[picked].mean()
        e = np.exp(z)
        s = np.add.reduce(e, axis=0)
        loss += np.log(s).mean()
        # fused: dL/dz = (p − onehot) / n
        e /= s
        e.reshape(-1)[picked] -= 1
        e /= n
        dz = e.T
        grads = [None] * len(params)
        for k in range(len(params) - 1, -1, -1):
            a = acts.pop()                   # each activation is freed once used
            grads[k] = (a.T @ dz, dz.sum(axis=0))
            if k:
                dz = dz @ params[k][0].T
                dz *= a > 0
        return loss, grads

    def step(self, X, y):
        loss, grads = self.loss_and_grads(X, y)
        lr = self.lr
        for (W, b), (dW, db) in zip(self.params, grads):
            dW *= lr
            W -= dW
            db *= lr
            b -= db
        return loss


class MLPOpByOp(MLPFloor):
    """The raw-Tensor step's operations (benchmarks/impls.MLPRaw) in numpy, one array op at a
    time as that code composes them and as the library's ops compute them, with no graph:
    ``h @ W + b`` and the ReLU out of place, log_softmax (on the transposed logits, keeping
    e^(z − max) and its sums for the backward), the picked log-probabilities and their mean,
    then each op's backward (the mean's spread, the picks assigned into zeros, log_softmax's
    g − softmax·Σg, the ReLU mask product, the bias sums) and the update ``W -= lr * dW``. Not
    a floor: the reference that splits the raw rows' ratio into the engine's cost (raw / this)
    and the cost of computing op by op (this / the floor)."""

    def loss_and_grads(self, X, y):
        params = self.params
        inputs, outs = [], []
        h = X
        for k, (W, b) in enumerate(params):
            inputs.append(h)
            h = h @ W + b
            if k < len(params) - 1:
                h = np.maximum(h, _zeros(h))     # as the library's ReLU
                outs.append(h)
        n = h.shape[0]
        rows = np.arange(n)
        logp = np.ascontiguousarray(h.T)         # log_softmax, as the library's
        logp -= np.maximum.reduce(logp, axis=0)
        e = np.exp(logp)
        s = np.add.reduce(e, axis=0)
        logp -= np.log(s)
        logp = logp.T
        loss = -logp[rows, y].mean()
        g_pick = np.full(n, -1.0 / n, dtype=h.dtype)           # d(−mean)/d(picked)
        g = np.zeros_like(h)
        g[rows, y] = g_pick                                    # no position twice
        g = np.ascontiguousarray(g.T)                          # log_softmax's backward
        g = (g - e * (np.add.reduce(g, axis=0) / s)).T
        grads = [None] * len(params)
        for k in range(len(params) - 1, -1, -1):
            grads[k] = (inputs[k].T @ g, g.sum(axis=0))
            if k:
                g = (g @ params[k][0].T) * (outs[k - 1] > 0)
        return loss, grads

    def step(self, X, y):
        loss, grads = self.loss_and_grads(X, y)
        lr = self.lr
        for (W, b), (dW, db) in zip(self.params, grads):
            W -= lr * dW
            b -= lr * db
        return loss


def mlp_flops(sizes, batch):
    """Floating-point operations of the matrix products of one training step (2·m·n·k each):
    forward, the weight gradients, and the input gradients of every layer but the first."""
    fwd = sum(2 * batch * i * o for i, o in zip(sizes[:-1], sizes[1:]))
    dx = sum(2 * batch * i * o for i, o in zip(sizes[1:-1], sizes[2:]))
    return 2 * fwd + dx


def matmuls_only(sizes, batch, rng, dtype):
    """A callable doing exactly the matrix products of one step on fixed arrays: the rate numpy's
    BLAS gives on this machine now, with nothing else around it."""
    ws = [rng.standard_normal((i, o)).astype(dtype) for i, o in zip(sizes[:-1], sizes[1:])]
    xs = [rng.standard_normal((batch, i)).astype(dtype) for i in sizes[:-1]]
    gs = [rng.standard_normal((batch, o)).astype(dtype) for o in sizes[1:]]

    def run():
        for x, w in zip(xs, ws):
            x @ w
        for k in range(len(ws) - 1, -1, -1):
            xs[k].T @ gs[k]
            if k:
                gs[k] @ ws[k].T
    return run
