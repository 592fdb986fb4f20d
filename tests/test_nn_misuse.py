"""The nn layer's table of misuse: each case is a clear error naming the loss, layer or
optimizer, the argument, and the shapes, dtypes or values at fault. (The core's cases are in
test_misuse.py.) A failed call leaves nothing half-updated: the tests after the table check
that parameters, optimizer state and files are unchanged."""
import numpy as np
import pytest

import autograd as ag
import nn

F = nn.functional


def _logits(*shape):
    return ag.Tensor(np.zeros(shape), requires_grad=True)


def _mlp():
    return nn.MLP([3, 4, 2], rng=0)


def _state_without(key):
    return {k: v for k, v in _mlp().state_dict().items() if k != key}


CASES = [
    # losses: labels
    ("ce-label-too-high", lambda: nn.CrossEntropyLoss()(_logits(2, 3), np.array([0, 3])),
     ValueError, r"^cross_entropy: label 3 is out of range for 3 classes \(labels must lie in "
                 r"0\.\.2\)"),
    ("ce-label-negative", lambda: nn.CrossEntropyLoss()(_logits(2, 3), np.array([-1, 0])),
     ValueError, r"^cross_entropy: label -1 is out of range for 3 classes"),
    ("nll-label-too-high", lambda: nn.NLLLoss()(_logits(4, 3), np.array([0, 1, 5, 2])),
     ValueError, r"^nll_loss: label 5 is out of range for 3 classes"),
    ("ce-float-labels", lambda: nn.CrossEntropyLoss()(_logits(2, 3), np.array([0.0, 1.0])),
     TypeError, r"^cross_entropy: class labels must have an integer dtype, got float64 \(shape "
                r"\(2,\)\); convert with \.astype\(np\.int64\), or pass probabilities of the "
                r"input's shape \(2, 3\)"),
    ("nll-float-labels", lambda: nn.NLLLoss()(_logits(2, 3), np.array([0.0, 1.0])),
     TypeError, r"^nll_loss: class labels must have an integer dtype, got float64 \(shape "
                r"\(2,\)\); convert with \.astype\(np\.int64\)$"),
    ("ce-labels-shape", lambda: nn.CrossEntropyLoss()(_logits(2, 3), np.array([0, 1, 2])),
     ValueError, r"^cross_entropy: input of shape \(2, 3\) \(classes on the last axis\) needs "
                 r"labels of shape \(2,\), got \(3,\)"),
    ("ce-probabilities-shape",
     lambda: nn.CrossEntropyLoss()(_logits(2, 3), np.full((2, 4), 0.25)), TypeError,
     r"^cross_entropy: .*got float64 \(shape \(2, 4\)\).*probabilities of the input's shape "
     r"\(2, 3\)"),
    ("ce-probabilities-range",
     lambda: nn.CrossEntropyLoss()(_logits(2, 3), np.array([[1.5, -0.5, 0], [0, 1, 0]])),
     ValueError, r"^cross_entropy: probability target must lie in \[0, 1\], got values in "
                 r"\[-0\.5, 1\.5\] \(shape \(2, 3\)\)"),
    ("ce-scalar-input", lambda: nn.CrossEntropyLoss()(ag.Tensor(1.0), np.array(0)),
     ValueError, r"^cross_entropy: input must have a class axis \(its last\), got a scalar"),
    ("ce-integer-logits",
     lambda: nn.CrossEntropyLoss()(ag.Tensor(np.zeros((2, 3), np.int64)), np.array([0, 1])),
     TypeError, r"^cross_entropy: input must have a floating dtype, got int64 \(shape "
                r"\(2, 3\)\)"),
    # losses: targets
    ("mse-target-shape", lambda: nn.MSELoss()(_logits(2, 3), np.zeros((3, 2))), ValueError,
     r"^mse_loss: input of shape \(2, 3\) and target of shape \(3, 2\) must have the same "
     r"shape"),
    ("mse-broadcastable-target", lambda: nn.MSELoss()(_logits(2, 3), np.zeros(3)), ValueError,
     r"^mse_loss: input of shape \(2, 3\) and target of shape \(3,\) must have the same shape"),
    ("bce-target-range",
     lambda: nn.BCELoss()(ag.Tensor([0.5, 0.5]), np.array([0.0, 2.0])), ValueError,
     r"^binary_cross_entropy: target must lie in \[0, 1\], got values in \[0, 2\] \(shape "
     r"\(2,\)\)"),
    ("bce-probability-range",
     lambda: nn.BCELoss()(ag.Tensor([1.5, 0.5]), np.array([0.0, 1.0])), ValueError,
     r"^binary_cross_entropy: input probabilities must lie in \[0, 1\], got values in "
     r"\[0\.5, 1\.5\] \(shape \(2,\)\)"),
    ("bce-logits-target-range",
     lambda: nn.BCEWithLogitsLoss()(ag.Tensor([3.0, -3.0]), np.array([-1.0, 1.0])), ValueError,
     r"^binary_cross_entropy_with_logits: target must lie in \[0, 1\], got values in \[-1, 1\]"),
    ("bce-logits-target-shape",
     lambda: nn.BCEWithLogitsLoss()(ag.Tensor([3.0, -3.0]), np.array([1.0])), ValueError,
     r"^binary_cross_entropy_with_logits: input of shape \(2,\) and target of shape \(1,\) "
     r"must have the same shape"),
    ("bce-string-target", lambda: nn.BCELoss()(ag.Tensor([0.5]), np.array(["a"])), TypeError,
     r"^binary_cross_entropy: target must be numeric, got dtype <U1"),
    ("gaussian-nll-negative-var",
     lambda: nn.GaussianNLLLoss()(_logits(2, 3), np.zeros((2, 3)), -np.ones((2, 3))),
     ValueError, r"^gaussian_nll_loss: var has negative entries \(min -1\)"),
    ("gaussian-nll-var-shape",
     lambda: nn.GaussianNLLLoss()(_logits(2, 3), np.zeros((2, 3)), np.ones(4)), ValueError,
     r"^gaussian_nll_loss: var of shape \(4,\) does not fit input of shape \(2, 3\)"),
    ("loss-reduction", lambda: nn.MSELoss(reduction="avg"), ValueError,
     r"^MSELoss: reduction must be 'mean', 'sum' or 'none', got 'avg'"),
    ("functional-reduction",
     lambda: F.cross_entropy(_logits(2, 3), np.array([0, 1]), reduction="elementwise_mean"),
     ValueError, r"^cross_entropy: reduction must be 'mean', 'sum' or 'none', got "
                 r"'elementwise_mean'"),
    # optimizers
    ("optimizer-no-parameters", lambda: nn.optim.SGD([], lr=0.1), ValueError,
     r"^SGD: got an empty parameter list; pass model.parameters\(\) of a model that has "
     r"parameters"),
    ("optimizer-model-without-parameters",
     lambda: nn.optim.Adam(nn.Sequential(nn.ReLU()).parameters()), ValueError,
     r"^Adam: got an empty parameter list"),
    ("optimizer-given-the-module", lambda: nn.optim.SGD(_mlp(), lr=0.1), TypeError,
     r"^SGD: params must be an iterable of Tensors, such as model.parameters\(\), got a MLP"),
    ("optimizer-named-parameters", lambda: nn.optim.SGD(_mlp().named_parameters(), lr=0.1),
     TypeError, r"^SGD: got \(name, parameter\) pairs; pass model.parameters\(\), not "
                r"named_parameters\(\)"),
    ("optimizer-negative-lr", lambda: nn.optim.SGD(_mlp().parameters(), lr=-0.1), ValueError,
     r"^SGD: lr must be a number >= 0, got -0\.1"),
    ("adam-negative-lr", lambda: nn.optim.Adam(_mlp().parameters(), lr=-1e-3), ValueError,
     r"^Adam: lr must be a number >= 0, got -0\.001"),
    ("adam-betas", lambda: nn.optim.Adam(_mlp().parameters(), betas=(0.9, 1.0)), ValueError,
     r"^Adam: betas must be two numbers in \[0, 1\), got \(0\.9, 1\.0\)"),
    ("sgd-nesterov-without-momentum",
     lambda: nn.optim.SGD(_mlp().parameters(), lr=0.1, nesterov=True), ValueError,
     r"^SGD: nesterov=True needs momentum > 0 and dampening = 0"),
    ("optimizer-duplicate-parameter",
     lambda: nn.optim.SGD(list(_mlp().parameters()) * 2, lr=0.1), ValueError,
     r"^SGD: params\[4\] \(shape \(3, 4\)\) appears more than once"),
    ("optimizer-non-leaf", lambda: nn.optim.SGD([_mlp()[0].weight * 2], lr=0.1), ValueError,
     r"^SGD: params\[0\] \(shape \(3, 4\), dtype float64\) must be a floating leaf Tensor "
     r"with requires_grad=True"),
    # state dicts
    ("load-state-dict-missing-key", lambda: _mlp().load_state_dict(_state_without("2.bias")),
     ValueError, r"^MLP\.load_state_dict: nothing was loaded:\n  missing key\(s\): '2\.bias'$"),
    ("load-state-dict-extra-key",
     lambda: _mlp().load_state_dict({**_mlp().state_dict(), "9.weight": np.zeros(2)}),
     ValueError, r"^MLP\.load_state_dict: nothing was loaded:\n  unexpected key\(s\): "
                 r"'9\.weight'$"),
    ("load-state-dict-wrong-shape",
     lambda: _mlp().load_state_dict({**_mlp().state_dict(), "0.weight": np.zeros((4, 3))}),
     ValueError, r"^MLP\.load_state_dict: nothing was loaded:\n  '0\.weight': shape \(4, 3\) "
                 r"in the state dict, but the parameter has shape \(3, 4\)$"),
    ("load-state-dict-not-a-dict", lambda: _mlp().load_state_dict([1, 2]), TypeError,
     r"^MLP\.load_state_dict: expected a dict of arrays, got list"),
    ("optimizer-load-state-dict-groups",
     lambda: nn.optim.SGD(_mlp().parameters(), lr=0.1).load_state_dict(
         {"state": {}, "param_groups": []}), ValueError,
     r"^SGD\.load_state_dict: the state has 0 parameter group\(s\), this optimizer 1"),
    # layers
    ("linear-input-width", lambda: nn.Linear(3, 2, rng=0)(np.ones((5, 4))), ValueError,
     r"^Linear\(in_features=3\): input of shape \(5, 4\) must have 3 features on its last "
     r"axis"),
    ("linear-scalar-input", lambda: nn.Linear(3, 2, rng=0)(ag.Tensor(1.0)), ValueError,
     r"^Linear\(in_features=3\): input of shape \(\) must have 3 features"),
    ("functional-linear-width",
     lambda: F.linear(ag.Tensor(np.ones((2, 3))), ag.Tensor(np.ones((4, 2)))), ValueError,
     r"^matmul: shapes \(2, 3\) and \(4, 2\) are not aligned: the last axis of x \(3\) must "
     r"equal the second-to-last axis of y \(4\)"),
    ("linear-input-dtype",
     lambda: nn.Linear(3, 2, rng=0)(ag.Tensor(np.ones((1, 3), np.float32))), TypeError,
     r"^Linear: input dtype float32 does not match the layer's dtype float64; convert with "
     r"x\.astype\(np\.float64\) or build the layer with dtype=float32"),
    ("linear-zero-features", lambda: nn.Linear(0, 2), ValueError,
     r"^Linear: in_features must be a positive int, got 0"),
    ("linear-integer-dtype", lambda: nn.Linear(3, 2, dtype=np.int32), TypeError,
     r"^Linear: dtype must be a floating dtype, got int32"),
    ("mlp-one-size", lambda: nn.MLP([3]), ValueError,
     r"^MLP: sizes must list at least the input and output sizes, got \[3\]"),
    ("mlp-no-sizes", lambda: nn.MLP([]), ValueError,
     r"^MLP: sizes must list at least the input and output sizes, got \[\]"),
    ("mlp-zero-size", lambda: nn.MLP([3, 0, 2]), ValueError,
     r"^MLP: sizes\[1\] must be a positive int, got 0"),
    ("mlp-activation-string", lambda: nn.MLP([3, 2, 1], activation="relu"), TypeError,
     r"^MLP: activation must be a Module class \(like nn\.ReLU\), a callable returning a "
     r"Module, or a Module; got 'relu'"),
    ("sequential-non-module", lambda: nn.Sequential(nn.ReLU(), abs), TypeError,
     r"^Sequential: every element must be a Module, got builtin_function_or_method for '1'"),
    ("module-to-integer", lambda: _mlp().to(np.int32), TypeError,
     r"^MLP\.to: expected a floating dtype, got int32"),
    ("save-object", lambda: nn.save({"a": object()}, "/nonexistent-dir/x.npz"), TypeError,
     r"^nn\.save: cannot save 'a' of type object: only arrays, Tensors, numbers, strings"),
    ("save-object-array", lambda: nn.save({"a": np.array([None])}, "/nonexistent-dir/x.npz"),
     TypeError, r"^nn\.save: 'a' has dtype object, which cannot be stored without pickle"),
]


@pytest.mark.parametrize("call,error,message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_nn_misuse_is_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_linear_given_integers_suggests_a_cast_only():
    with pytest.raises(TypeError, match=r"^Linear: input dtype int64 does not match the "
                                        r"layer's dtype float64; convert with "
                                        r"x\.astype\(np\.float64\)$"):
        nn.Linear(3, 2, rng=0)(ag.Tensor(np.ones((1, 3), np.int64)))


def _snapshot(model):
    return {k: v.copy() for k, v in model.state_dict().items()}


def _assert_unchanged(model, before):
    after = model.state_dict()
    assert list(after) == list(before)
    for k in before:
        np.testing.assert_array_equal(after[k], before[k])


@pytest.mark.parametrize("strict", [True, False])
@pytest.mark.parametrize("bad", ["wrong-shape", "wrong-dtype", "missing-and-wrong-shape"])
def test_a_refused_state_dict_changes_no_parameter(bad, strict):
    """The good keys of a bad state dict are not loaded either: checks come before writes."""
    model = _mlp()
    before = _snapshot(model)
    state = {k: v + 1.0 for k, v in _snapshot(model).items()}   # every key would change
    if bad == "wrong-shape":
        state["2.bias"] = np.zeros(3)
    elif bad == "wrong-dtype":
        state["2.bias"] = np.array(["a", "b"])
    else:
        del state["0.bias"]
        state["2.weight"] = np.zeros((2, 4))
    with pytest.raises(ValueError, match=r"^MLP\.load_state_dict: nothing was loaded"):
        model.load_state_dict(state, strict=strict)
    _assert_unchanged(model, before)


def test_a_missing_key_changes_no_parameter_under_strict_and_loads_the_rest_otherwise():
    model = _mlp()
    before = _snapshot(model)
    state = {k: v + 1.0 for k, v in before.items() if k != "2.bias"}
    with pytest.raises(ValueError, match=r"missing key\(s\): '2\.bias'"):
        model.load_state_dict(state)
    _assert_unchanged(model, before)
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert (list(missing), list(unexpected)) == (["2.bias"], [])
    after = model.state_dict()
    np.testing.assert_array_equal(after["0.weight"], before["0.weight"] + 1.0)
    np.testing.assert_array_equal(after["2.bias"], before["2.bias"])


def test_a_refused_optimizer_state_changes_neither_state_nor_hyperparameters():
    model = _mlp()
    opt = nn.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model(np.ones((2, 3))).sum().backward()
    opt.step()
    saved = opt.state_dict()
    bad = opt.state_dict()
    bad["param_groups"][0]["lr"] = -1.0                     # refused
    bad["state"][0]["momentum_buffer"] = bad["state"][0]["momentum_buffer"] + 5.0
    with pytest.raises(ValueError, match=r"^SGD: lr must be a number >= 0, got -1\.0"):
        opt.load_state_dict(bad)
    now = opt.state_dict()
    assert now["param_groups"] == saved["param_groups"]
    np.testing.assert_array_equal(now["state"][0]["momentum_buffer"],
                                  saved["state"][0]["momentum_buffer"])


def test_a_failed_save_leaves_the_previous_file_intact(tmp_path):
    path = tmp_path / "state.npz"
    nn.save({"w": np.arange(3.0)}, path)
    with pytest.raises(TypeError, match=r"^nn\.save: cannot save 'w' of type object"):
        nn.save({"w": object()}, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.npz"]   # no temporary left
    np.testing.assert_array_equal(nn.load(path)["w"], np.arange(3.0))


def test_a_loss_that_raised_recorded_nothing():
    z = _logits(2, 3)
    with pytest.raises(ValueError):
        nn.CrossEntropyLoss()(z, np.array([0, 7]))
    nn.CrossEntropyLoss(reduction="sum")(z, np.array([0, 2])).backward()
    np.testing.assert_allclose(z.grad.data, np.full((2, 3), 1 / 3) - np.eye(3)[[0, 2]])
