"""The library's demo: ``make demo``, or ``python notebooks/demo.py [--out DIR] [--epochs N]``.

In a few seconds it
1. works the chapter's XOR network (D1–D4) with ``nn`` layers holding the chapter's weights,
   then trains the same 2-2-1 ReLU network from random initialization;
2. trains an MLP on scikit-learn's digits (shipped with scikit-learn, nothing is downloaded)
   with a progress bar, and prints its accuracy on held-out images;
3. gradient-checks a custom ``ag.Function`` and shows the report that a wrong backward gets;
4. writes pictures to a folder it names at the end (default ``./demo-output/``): both
   networks' graphs (SVG, rendered by Graphviz's ``dot``; the DOT text if ``dot`` is missing),
   the training curves and the failed gradient check (PNG).

Needs the demo extras: ``pip install -e '.[demo]'`` (graphviz, matplotlib, scikit-learn, tqdm).
"""
import argparse
import os
import sys
import time
from collections import OrderedDict

import numpy as np

# Run as a script (`python notebooks/demo.py`), Python puts notebooks/ first on sys.path, not
# the repository root: add it, so that the library is found even when it is not installed.
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import autograd as ag  # noqa: E402
import nn  # noqa: E402

X_XOR = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)      # D1
Y_XOR = np.array([[0], [1], [1], [0]], dtype=float)


def xor_network(seed=None):
    """The chapter's 2-2-1 network with named layers, randomly initialized from ``seed``."""
    rng = np.random.default_rng(seed)
    return nn.Sequential(OrderedDict(hidden=nn.Linear(2, 2, rng=rng), relu=nn.ReLU(),
                                     output=nn.Linear(2, 1, rng=rng)))


def xor_with_the_chapters_weights():
    """D4: f(x) = wᵀ max{0, Wᵀx + c} + b with the chapter's W, c, w, b gives XOR exactly."""
    print("== XOR with the chapter's weights (D4) ==")
    model = xor_network()
    model.load_state_dict({"hidden.weight": [[1, 1], [1, 1]], "hidden.bias": [0, -1],
                           "output.weight": [[1], [-2]], "output.bias": [0]})
    with ag.no_grad():
        pre = model[0](X_XOR)
        h = model[:2](X_XOR)
        out = model(X_XOR)
    print("XW + c =\n", pre.data)
    print("h = max{0, XW + c} =\n", h.data)
    print("f(X) = h w + b =", out.data.ravel())
    assert np.array_equal(pre.data, [[0, -1], [1, 0], [1, 0], [2, 1]])
    assert np.array_equal(h.data, [[0, 0], [1, 0], [1, 0], [2, 1]])
    assert np.array_equal(out.data, Y_XOR)
    return model


def train_xor(steps=300, lr=0.05, max_seeds=20):
    """Train the 2-2-1 ReLU network on XOR (MSE, D1) from random initialization.

    From a share of seeds the network stops in a local minimum where hidden units are dead on
    the data (notebook 01 explains which), so seeds are tried in turn until one solves it.
    Returns (model, losses, seed).
    """
    print("\n== The same 2-2-1 ReLU network trained on XOR from random initialization ==")
    loss_fn = nn.MSELoss()
    for seed in range(max_seeds):
        model = xor_network(seed)
        optimizer = nn.optim.Adam(model.parameters(), lr=lr)
        losses = []
        for _ in range(steps):
            optimizer.zero_grad()
            loss = loss_fn(model(X_XOR), Y_XOR)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        with ag.no_grad():
            out = model(X_XOR).data
        if np.abs(out - Y_XOR).max() < 0.1:
            print(f"seed {seed}: solved, J = {losses[-1]:.1e}, f(X) = {np.round(out.ravel(), 3)}")
            return model, np.array(losses), seed
        print(f"seed {seed}: stuck in a local minimum at J = {losses[-1]:.4f}")
    raise RuntimeError(f"train_xor: no seed of {max_seeds} solved XOR")


def digits_network(seed=0):
    return nn.Sequential(OrderedDict(hidden=nn.Linear(64, 64, rng=seed), relu=nn.ReLU(),
                                     output=nn.Linear(64, 10, rng=seed + 1)))


def load_digits_split(seed=0, n_test=360):
    """scikit-learn's digits scaled to [0, 1], split by a seeded permutation."""
    from sklearn.datasets import load_digits

    images, labels = load_digits(return_X_y=True)
    order = np.random.default_rng(seed).permutation(len(images))
    test, train = order[:n_test], order[n_test:]
    images = images / 16.0
    return images[train], labels[train], images[test], labels[test]


def train_digits(epochs=20, seed=0):
    """An MLP 64-64-10 on the digits with Adam and cross-entropy; returns (model, history,
    test accuracy), history holding per-epoch (loss, accuracy) for "train" and "test"."""
    from tqdm.auto import tqdm

    print("\n== An MLP on scikit-learn's digits ==")
    X_train, y_train, X_test, y_test = load_digits_split(seed)
    model = digits_network(seed)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = nn.optim.Adam(model.parameters(), lr=1e-2)
    loader = nn.DataLoader(X_train, y_train, batch_size=64, shuffle=True, rng=seed)

    def evaluate(X, y):
        with ag.no_grad():
            logits = model(X)
            return loss_fn(logits, y).item(), float((logits.data.argmax(axis=1) == y).mean())

    history = {"train": [evaluate(X_train, y_train)], "test": [evaluate(X_test, y_test)]}
    start = time.perf_counter()
    with tqdm(range(epochs), desc="digits MLP", unit="epoch") as bar:
        for _ in bar:
            model.train()
            for xb, yb in loader:
                optimizer.zero_grad()
                loss_fn(model(xb), yb).backward()
                optimizer.step()
            model.eval()
            history["train"].append(evaluate(X_train, y_train))
            history["test"].append(evaluate(X_test, y_test))
            bar.set_postfix(loss=f"{history['train'][-1][0]:.3f}",
                            test_acc=f"{history['test'][-1][1]:.3f}")
    accuracy = history["test"][-1][1]
    print(f"{len(X_train)} training images, {epochs} epochs in "
          f"{time.perf_counter() - start:.1f} s: test accuracy {accuracy:.3f} "
          f"on {len(X_test)} held-out images")
    return model, history, accuracy


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
    """gradcheck passes Swish and catches SwishWrong; returns the GradcheckError."""
    print("\n== Gradient-checking a custom Function ==")
    x = ag.Tensor(np.linspace(-2, 2, 5), requires_grad=True)
    print("Swish passes gradcheck:", ag.gradcheck(Swish.apply, x))
    try:
        ag.gradcheck(SwishWrong.apply, x)
    except ag.GradcheckError as err:
        print("A wrong backward is caught:\n" + str(err))
        return err
    raise AssertionError("gradcheck should have caught SwishWrong")


# ----------------------------------------------------------------------------- pictures
def write_graph(loss, model, path, **options):
    """Draw the graph behind ``loss`` with ``model``'s layer and parameter names (``options``
    go to ``ag.viz.draw_graph``); write it to ``path`` + ".svg" with Graphviz's dot, or, if dot
    is missing, the DOT text to ``path`` + ".dot". Returns (written path, note)."""
    graph = ag.viz.draw_graph(loss, params=model.named_parameters(), **options)
    try:
        svg = graph.pipe(format="svg")
    except ag.viz.GraphvizNotFoundError:
        with open(path + ".dot", "w", encoding="utf-8") as f:
            f.write(graph.source)
        return path + ".dot", ("Graphviz's `dot` was not found: wrote the DOT text instead "
                               "(install Graphviz, then `dot -Tsvg FILE.dot -o FILE.svg`)")
    with open(path + ".svg", "wb") as f:
        f.write(svg)
    return path + ".svg", None


CURVES_SIZE = (12, 3.6)       # inches
CURVES_DPI = 100              # so the PNG is 1200 × 360 pixels


def write_curves(xor_losses, history, path):
    """The XOR and digits training curves, three panels, as a PNG."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=CURVES_SIZE, layout="constrained")
    ax1, ax2, ax3 = fig.subplots(1, 3)
    ax1.semilogy(xor_losses)
    ax1.set(xlabel="Adam step", ylabel="J (MSE)", title="XOR, 2-2-1 ReLU network")
    train, test = np.array(history["train"]), np.array(history["test"])
    ax2.semilogy(train[:, 0], label="train")
    ax2.semilogy(test[:, 0], label="test")
    ax2.set(xlabel="epoch", title="digits MLP: cross-entropy")
    ax2.legend()
    ax3.plot(train[:, 1], label="train")
    ax3.plot(test[:, 1], label="test")
    ax3.axhline(0.95, color="gray", ls="--", lw=0.8)
    ax3.set(xlabel="epoch", title="digits MLP: accuracy", ylim=(0, 1.02))
    ax3.legend()
    fig.savefig(path, dpi=CURVES_DPI)
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="demo-output",
                        help="folder for the pictures (default: ./demo-output)")
    parser.add_argument("--epochs", type=int, default=20,
                        help="training epochs of the digits MLP (default: 20)")
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error(f"--epochs must be at least 1, got {args.epochs}")
    out_dir = os.path.abspath(args.out)
    os.makedirs(out_dir, exist_ok=True)
    start = time.perf_counter()

    chapter_net = xor_with_the_chapters_weights()
    xor_model, xor_losses, _ = train_xor()
    digits_model, history, accuracy = train_digits(args.epochs)
    error = check_a_custom_function()

    files, notes = [], []
    with nn.track_scopes():
        xor_loss = nn.MSELoss()(chapter_net(X_XOR), Y_XOR)
    xor_loss.name = "J"
    _, _, X_test, y_test = load_digits_split()
    with nn.track_scopes():
        digits_loss = nn.CrossEntropyLoss()(digits_model(X_test[:8]), y_test[:8])
    digits_loss.name = "loss"
    # the chapter's network with its numbers (figure 43); the MLP with its gradients
    for loss, model, name, options in [
            (xor_loss, chapter_net, "xor_graph", {"show_values": True}),
            (digits_loss, digits_model, "digits_mlp_graph", {"show_grads": True})]:
        path, note = write_graph(loss, model, os.path.join(out_dir, name), **options)
        files.append(path)
        if note and note not in notes:
            notes.append(note)
    files.append(write_curves(xor_losses, history, os.path.join(out_dir, "training_curves.png")))
    fig = ag.viz.plot_gradcheck(error)
    files.append(os.path.join(out_dir, "gradcheck_report.png"))
    fig.savefig(files[-1], dpi=80)

    print(f"\nDone in {time.perf_counter() - start:.1f} s: XOR solved (J = {xor_losses[-1]:.1e}), "
          f"digits MLP test accuracy {accuracy:.3f}.")
    for note in notes:
        print(note)
    print(f"Pictures written to {out_dir}{os.sep}:")
    for path in files:
        print("  " + os.path.basename(path))
    return {"accuracy": accuracy, "xor_loss": xor_losses[-1], "files": files,
            "out_dir": out_dir}


if __name__ == "__main__":
    main()
