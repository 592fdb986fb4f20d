"""nn: modules, layers, activations, losses, initializers and optimizers on autograd's ops.

PyTorch's vocabulary (``nn.Module``, ``nn.Linear``, ``optimizer.step()``) in the chapter's
conventions: ``nn.Linear`` computes ``x @ W + b`` with ``W`` of shape (in, out).
"""
from . import data, functional, init, optim
from .activations import (ELU, Identity, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax,
                          Softplus, Tanh)
from .data import DataLoader, minibatches
from .io import load, save
from .layers import MLP, Linear, Sequential
from .losses import (BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, GaussianNLLLoss, MSELoss,
                     NLLLoss)
from .module import Module, Parameter, track_scopes

F = functional

__all__ = [
    "Module", "Parameter", "track_scopes",
    "Linear", "Sequential", "MLP",
    "Identity", "ReLU", "LeakyReLU", "ELU", "Sigmoid", "Tanh", "Softplus", "Softmax",
    "LogSoftmax",
    "MSELoss", "GaussianNLLLoss", "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "NLLLoss",
    "functional", "F", "init", "optim", "data", "minibatches", "DataLoader", "save", "load",
]
