"""autograd: reverse-mode automatic differentiation on numpy.

``import autograd as ag``: numpy's vocabulary for array ops, a ``Tensor`` that records the
graph, ``Function`` for ops with their own backward, ``gradcheck``; transforms in
``ag.functional`` and pictures in ``ag.viz`` (the API reference, ``docs/api/``, lists them).
"""
from .tensor import Tensor, get_default_dtype, set_default_dtype
from . import functional
from .anomaly import AnomalyError, detect_anomaly, is_anomaly_enabled
from .engine import enable_grad, grad, is_grad_enabled, no_grad
from .function import Function
from .gradcheck import GradcheckError, GradcheckFailure, gradcheck, gradgradcheck
from .ops.activations import (elu, leaky_relu, log_softmax, relu, sigmoid, softmax, softplus,
                              tanh)
from .ops.binary import *  # noqa: F401,F403 (numpy's vocabulary: each module's __all__)
from .ops.creation import arange, full, ones, ones_like, rand, randn, zeros, zeros_like
from .ops.elementwise import (abs, add, astype, clip, divide, exp, log, maximum, minimum,
                              multiply, negative, power, sqrt, subtract, where)
from .ops.indexing import *  # noqa: F401,F403
from .ops.layout import *  # noqa: F401,F403
from .ops.linalg import matmul
from .ops.products import *  # noqa: F401,F403
from .ops.reductions import logsumexp, max, mean, min, sum
from .ops.scans import *  # noqa: F401,F403
from .ops.shape import broadcast_to, concatenate, reshape, stack, swapaxes, transpose
from .ops.sorting import *  # noqa: F401,F403
from .ops.ufuncs import *  # noqa: F401,F403

tensor = Tensor

__version__ = "0.1.0"
from . import linalg, special  # noqa: E402,F401  (ag.linalg, ag.special)
from . import viz  # noqa: E402,F401  (graphviz/matplotlib are imported only when drawing)
from . import binding  # noqa: E402,F401  (last: binds Tensor to its operations)
