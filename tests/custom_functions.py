"""User-style Functions shared by the gradient-check tests."""
import numpy as np

import autograd as ag


class Cube(ag.Function):
    """out = x³; backward 3x²·g written with operators, so it is recorded under create_graph."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * 3 * x * x


class NumpyCube(Cube):
    """The same derivative, computed on plain arrays: it leaves the graph."""

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * (3 * np.asarray(x) ** 2)


class CubeTwiceTooBig(Cube):
    """A wrong backward: 6x² where 3x² is right."""

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * 6 * x * x
