"""The library's demo: `make demo`.

Works the chapter's XOR example (D1–D4) with raw Tensors, trains a small ReLU network on XOR
from random initialization, and gradient-checks a user-defined function, showing the report
that a wrong backward rule gets.
"""
import numpy as np

import autograd as ag


def xor_with_the_chapters_weights():
    print("== XOR with the chapter's weights (D4) ==")
    X = ag.Tensor([[0, 0], [0, 1], [1, 0], [1, 1]], name="X")
    W = ag.Tensor([[1, 1], [1, 1]], name="W")
    c = ag.Tensor([0, -1], name="c")
    w = ag.Tensor([1, -2], name="w")
    b = ag.Tensor(0.0, name="b")
    pre = X @ W + c
    h = ag.relu(pre)
    out = h @ w + b
    print("XW + c =\n", pre.data)
    print("h = relu(XW + c) =\n", h.data)
    print("f(X) = h w + b =", out.data)
    assert np.array_equal(out.data, [0, 1, 1, 0])


def train_xor(seed=0, steps=2000, lr=0.1):
    print("\n== A 2-2-1 ReLU network trained on XOR from random initialization ==")
    rng = np.random.default_rng(seed)
    X = ag.Tensor([[0, 0], [0, 1], [1, 0], [1, 1]])
    t = ag.Tensor([0, 1, 1, 0])
    W = ag.Tensor(rng.normal(0, 1, (2, 2)), requires_grad=True)
    c = ag.Tensor(np.full(2, 0.1), requires_grad=True)
    w = ag.Tensor(rng.normal(0, 1, 2), requires_grad=True)
    b = ag.Tensor(0.0, requires_grad=True)
    params = [W, c, w, b]
    for step in range(steps + 1):
        out = ag.relu(X @ W + c) @ w + b
        loss = ((t - out) ** 2).mean()          # D1: J = 1/4 Σ (f*(x) − f(x))²
        for p in params:
            p.grad = None
        loss.backward()
        with ag.no_grad():
            for p in params:
                p.data -= lr * p.grad.data
        if step % 500 == 0:
            print(f"step {step:5d}  loss {loss.item():.6f}")
    print("f(X) =", np.round(out.data, 3))
    return loss.item()


class Swish(ag.Function):
    """y = x·σ(x);  dy/dx = σ(x) + x·σ(x)(1 − σ(x))."""

    @staticmethod
    def forward(ctx, x):
        s = 1 / (1 + np.exp(-x))
        ctx.save_for_backward(x, s)
        return x * s

    @staticmethod
    def backward(ctx, grad_output):
        x, s = ctx.saved_tensors
        return grad_output * (s + x * s * (1 - s))


class SwishWrong(Swish):
    @staticmethod
    def backward(ctx, grad_output):
        x, s = ctx.saved_tensors
        return grad_output * (s + x * s * s)       # a typo: s·s where s(1 − s) is meant


def check_a_custom_function():
    print("\n== Gradient-checking a custom Function ==")
    x = ag.Tensor(np.linspace(-2, 2, 5), requires_grad=True)
    print("Swish passes gradcheck:", ag.gradcheck(Swish.apply, x))
    try:
        ag.gradcheck(SwishWrong.apply, x)
    except ag.GradcheckError as err:
        print("A wrong backward is caught:\n" + str(err))


if __name__ == "__main__":
    xor_with_the_chapters_weights()
    final = train_xor()
    check_a_custom_function()
    print(f"\nDone: XOR trained to loss {final:.2e}.")
