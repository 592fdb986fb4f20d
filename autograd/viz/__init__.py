"""Pictures that teach: the computation graph (graphviz), gradient flow over a model, and a
failed gradient check (matplotlib). Both libraries are optional and imported only when a
picture is made.

- :func:`draw_graph` — the graph behind some tensors, with values, gradients and module scopes.
- :func:`plot_grad_flow` — each layer's gradient norm, and dead or saturated units.
- :func:`plot_gradcheck` — analytic and numerical Jacobians of a failed check, and their
  difference.
"""
from .graph import GraphvizNotFoundError, draw_graph
from .plots import plot_grad_flow, plot_gradcheck

__all__ = ["draw_graph", "plot_grad_flow", "plot_gradcheck", "GraphvizNotFoundError"]
