"""Every public name of the library's design (numpy's vocabulary for array ops, PyTorch's for
nn, JAX's for function transforms; the API reference in docs/api/ lists them) exists and is what
it says it is."""
import inspect

import numpy as np
import pytest

import autograd as ag
import nn

AG_FUNCTIONS = """exp log sqrt abs tanh sigmoid relu leaky_relu elu softplus maximum minimum where
clip sum mean max min logsumexp softmax log_softmax matmul reshape transpose broadcast_to
concatenate stack zeros ones zeros_like ones_like full arange randn rand no_grad enable_grad
is_grad_enabled grad detect_anomaly gradcheck gradgradcheck set_default_dtype
get_default_dtype""".split()
TENSOR_ATTRIBUTES = "data grad requires_grad is_leaf grad_fn shape ndim size dtype T name".split()
TENSOR_METHODS = """backward detach numpy item astype requires_grad_ sum mean max min exp log sqrt
tanh sigmoid relu clip reshape transpose abs""".split()
FUNCTIONAL = "grad value_and_grad jacobian hessian vjp jvp hvp".split()
NN_NAMES = """Module Parameter Linear Sequential MLP Identity ReLU LeakyReLU ELU Sigmoid Tanh
Softmax LogSoftmax MSELoss BCELoss BCEWithLogitsLoss CrossEntropyLoss NLLLoss GaussianNLLLoss
functional init optim save load""".split()
NN_FUNCTIONAL = """relu leaky_relu elu sigmoid tanh softmax log_softmax mse_loss
binary_cross_entropy binary_cross_entropy_with_logits cross_entropy nll_loss
gaussian_nll_loss""".split()
NN_INIT = "xavier_uniform_ xavier_normal_ kaiming_uniform_ kaiming_normal_ zeros_ ones_".split()
MODULE_METHODS = """forward __call__ parameters named_parameters children modules zero_grad
train eval state_dict load_state_dict""".split()


@pytest.mark.parametrize("name", AG_FUNCTIONS)
def test_autograd_function_exists(name):
    assert callable(getattr(ag, name))


def test_tensor_attributes_and_methods():
    t = ag.tensor([[1.0, 2.0]], requires_grad=True, name="t")
    for name in TENSOR_ATTRIBUTES:
        getattr(t, name)
    for name in TENSOR_METHODS:
        assert callable(getattr(t, name))
    assert ag.tensor is ag.Tensor
    assert issubclass(ag.GradcheckError, Exception)


@pytest.mark.parametrize("name", AG_FUNCTIONS[:AG_FUNCTIONS.index("no_grad")])
def test_functions_accept_arrays_and_scalars(name):
    """Each function also accepts arrays and scalars (the array ops, that is)."""
    fn = getattr(ag, name)
    x = np.array([[0.5, 1.5], [2.0, 0.25]])
    calls = {"maximum": (x, 1.0), "minimum": (x, 1.0), "where": (x > 1, x, 0.0),
             "clip": (x, 0.3, 1.0), "matmul": (x, x), "reshape": (x, (4,)),
             "broadcast_to": (x, (3, 2, 2)), "concatenate": ([x, x],), "stack": ([x, x],),
             "zeros": (2,), "ones": (2,), "full": ((2,), 3.0), "zeros_like": (x,),
             "ones_like": (x,), "arange": (3,), "randn": (2,), "rand": (2,)}
    out = fn(*calls.get(name, (x,)))
    assert isinstance(out, ag.Tensor)


@pytest.mark.parametrize("name", FUNCTIONAL)
def test_functional_transform_exists(name):
    assert callable(getattr(ag.functional, name))


def test_viz_names():
    sig = inspect.signature(ag.viz.draw_graph)
    assert list(sig.parameters)[:5] == ["roots", "params", "show_values", "show_grads",
                                        "max_nodes"]


@pytest.mark.parametrize("name", NN_NAMES)
def test_nn_name_exists(name):
    assert getattr(nn, name) is not None


def test_nn_functional_init_optim_and_module_methods():
    for name in NN_FUNCTIONAL:
        assert callable(getattr(nn.functional, name))
    for name in NN_INIT:
        assert callable(getattr(nn.init, name))
    for name in ("SGD", "Adam", "AdamW"):
        opt = getattr(nn.optim, name)([nn.Parameter(np.zeros(2))], lr=0.1)
        for method in ("step", "zero_grad", "state_dict", "load_state_dict"):
            assert callable(getattr(opt, method))
    for name in MODULE_METHODS:
        assert callable(getattr(nn.Module, name))
    p = nn.Parameter(np.zeros(2))
    assert isinstance(p, ag.Tensor) and p.requires_grad
