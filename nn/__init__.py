"""nn: modules, layers, activations, losses, initializers and optimizers on autograd's ops.

PyTorch's vocabulary (``nn.Module``, ``nn.Linear``, ``optimizer.step()``) in the chapter's
conventions: ``nn.Linear`` computes ``x @ W + b`` with ``W`` of shape (in, out).

Contents:

- :class:`Module`, :class:`Parameter`, :class:`track_scopes`: containers of weights, and
  the tagging of graph nodes by module; :func:`functional_call` runs a module with other
  weights (a loss as a function of the parameters, for ``F.grad`` and ``vmap``).
- :class:`Linear`, :class:`Sequential`, :class:`MLP`: layers.
- :class:`GELU`, :class:`SiLU`, :class:`Hardtanh`, :class:`Dropout`, :class:`LayerNorm`:
  layers beyond the chapter, with PyTorch's semantics.
- :class:`Identity`, :class:`ReLU`, :class:`LeakyReLU`, :class:`ELU`, :class:`Sigmoid`,
  :class:`Tanh`, :class:`Softplus`, :class:`Softmax`, :class:`LogSoftmax`: the chapter's
  hidden units (D13–D19) as modules.
- :class:`MSELoss`, :class:`GaussianNLLLoss`, :class:`BCELoss`, :class:`BCEWithLogitsLoss`,
  :class:`CrossEntropyLoss`, :class:`NLLLoss`: losses as modules.
- :mod:`nn.functional` (also ``nn.F``): the same as functions, and ``linear``.
- :mod:`nn.init`: initializers that fill a tensor in place.
- :mod:`nn.optim`: ``SGD``, ``Adam``, ``AdamW``.
- :mod:`nn.data`: :func:`minibatches` and :class:`DataLoader`.
- :func:`save` and :func:`load`: state dicts in ``.npz`` files, with no pickle.

Examples
--------
The XOR problem, learned by a small MLP:

>>> import numpy as np
>>> import nn
>>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
>>> y = np.array([0, 1, 1, 0])
>>> model = nn.MLP([2, 8, 2], rng=0)
>>> opt = nn.optim.Adam(model.parameters(), lr=0.05)
>>> loss_fn = nn.CrossEntropyLoss()
>>> for step in range(200):
...     opt.zero_grad()
...     loss = loss_fn(model(X), y)
...     loss.backward()
...     opt.step()
>>> model(X).numpy().argmax(axis=1).tolist()
[0, 1, 1, 0]
>>> float(loss) < 0.01
True
"""
from . import data, functional, init, optim, utils
from .activations import (ELU, GELU, Hardtanh, Identity, LeakyReLU, LogSoftmax, ReLU, Sigmoid,
                          SiLU, Softmax, Softplus, Tanh)
from .data import DataLoader, minibatches
from .io import load, save
from .layers import MLP, Dropout, LayerNorm, Linear, Sequential
from .losses import (BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, GaussianNLLLoss, MSELoss,
                     NLLLoss)
from .module import Module, Parameter, functional_call, track_scopes

F = functional

__all__ = [
    "Module", "Parameter", "track_scopes", "functional_call",
    "Linear", "Sequential", "MLP",
    "Identity", "ReLU", "LeakyReLU", "ELU", "Sigmoid", "Tanh", "Softplus", "Softmax",
    "LogSoftmax",
    "GELU", "SiLU", "Hardtanh", "Dropout", "LayerNorm",
    "MSELoss", "GaussianNLLLoss", "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "NLLLoss",
    "functional", "F", "init", "optim", "data", "minibatches", "DataLoader", "save", "load",
    "utils",
]
