"""Makes docs/mlp_graph.svg, the picture in the README: a small MLP's graph with gradients.

Run from the repository root:  .venv/bin/python docs/mlp_graph.py
"""
import os

import numpy as np

import autograd as ag
import autograd.viz  # noqa: F401 - makes ag.viz available

rng = np.random.default_rng(0)
x = ag.Tensor(rng.normal(size=(8, 4)))                  # a batch of 8 inputs
y = np.array([0, 1, 2, 1, 0, 2, 1, 0])                  # their classes
W1 = ag.Tensor(rng.normal(size=(4, 16)) * 0.5, requires_grad=True)
b1 = ag.Tensor(np.zeros(16), requires_grad=True)
W2 = ag.Tensor(rng.normal(size=(16, 3)) * 0.5, requires_grad=True)
b2 = ag.Tensor(np.zeros(3), requires_grad=True)

h = ag.relu(x @ W1 + b1)
logits = h @ W2 + b2
loss = -ag.log_softmax(logits, axis=-1)[np.arange(8), y].mean()
loss.name = "loss"

g = ag.viz.draw_graph(loss, params={"W1": W1, "b1": b1, "W2": W2, "b2": b2},
                      show_grads=True)
here = os.path.dirname(os.path.abspath(__file__))
g.render(os.path.join(here, "mlp_graph"), format="svg", cleanup=True)
