"""User-style Functions shared by the gradient-check tests, and how a test tells that an
in-place operator wrote into the tensor's own array."""
import weakref

import numpy as np

import autograd as ag
from autograd.function import grad_times


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


class SquareAndTriple(ag.Function):
    """(x², 3x): a Function with two outputs."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x, 3 * x

    @staticmethod
    def backward(ctx, g_square, g_triple):
        x, = ctx.saved_tensors
        return 2 * x * g_square + 3 * g_triple


class HandedMask(ag.Function):
    """out = x · m for a fixed 0/1 mask; its backward multiplies by the mask with grad_times and
    notes in ``handed`` whether that wrote into the incoming gradient (the compiled pass's
    hand-over)."""
    handed = []

    @staticmethod
    def forward(ctx, x, mask=None):
        ctx.save_for_backward(mask)
        return x * mask

    @staticmethod
    def backward(ctx, grad_output):
        m, = ctx.saved_tensors
        out = grad_times(ctx, grad_output, np.asarray(m, dtype=bool))
        HandedMask.handed.append(out is grad_output)
        return out


def in_place(h, op):
    """Whether op(h) wrote into h's own array (watched by a weak reference, which does not
    count)."""
    before = weakref.ref(h._data)
    op(h)
    return h._data is before()
