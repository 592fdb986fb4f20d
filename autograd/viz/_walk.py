"""From roots to a plain description of the graph: items (ops, tensors, constants) and edges.

The walk is iterative. Items get their indices in data-flow order (producers before consumers),
which gives the DOT nodes stable ids: the same graph always yields the same items.

What the graph stores and what is derived here:
- an op's output shape and dtype are not stored on the node; a consumer's ``_meta[i]`` holds
  them (and a root tensor holds its own), so every drawn intermediate has both;
- an input that needs no gradient is recorded as None: it becomes a "constant" item, with its
  shape (and value) only when the op saved that very array for backward, and its name when
  the user named that Tensor (the node's ``_names``);
- intermediate values are not kept by the graph; they are shown when an op saved them.
"""
import numpy as np

from ..function import edge_target
from ..tensor import Tensor
from ._text import Stats, shape_str


class Item:
    """One node of the picture."""

    __slots__ = ("kind", "role", "name", "label", "opname", "shape", "dtype", "scope", "root",
                 "value", "grad", "members", "info")

    def __init__(self, kind, role=None, name=None, label=None, shape=None, dtype=None,
                 scope=None):
        self.kind = kind            # "op", "tensor", "const", "group", "note"
        self.role = role            # tensors: "param", "input", "inter"; groups: "chain", "scope"
        self.name = name            # a user-given name (escaped when drawn)
        self.label = label          # ops: "softmax(axis=1)"
        self.opname = label         # ops: "softmax" (to count and summarize)
        self.shape = shape
        self.dtype = dtype
        self.scope = scope          # dotted module name, or None
        self.root = False
        self.value = None           # Stats or None
        self.grad = None            # Stats or None
        self.members = None         # groups: member item indices
        self.info = None            # groups and notes: text lines


# ----------------------------------------------------------------------------- op labels
_NAMES = {"Sub": "subtract", "Mul": "multiply", "Div": "divide", "Pow": "power",
          "Neg": "negative", "MatMul": "matmul", "ReLU": "relu", "LeakyReLU": "leaky_relu",
          "ELU": "elu", "LogSoftmax": "log_softmax", "LogSumExp": "logsumexp",
          "GetItem": "getitem", "ScatterAdd": "scatter_add", "BroadcastTo": "broadcast_to",
          "AsType": "astype"}


def _reduced(node, in_shape, out_shape):
    """axis= and keepdims= of a reduction, from the normalized axes it stored."""
    axes = node.axes
    args = []
    if len(axes) < len(in_shape):
        args.append(f"axis={axes[0] if len(axes) == 1 else tuple(axes)}")
    if len(out_shape) == len(in_shape) and len(in_shape):
        args.append("keepdims=True")
    return args


def _index_str(index):
    items = index if isinstance(index, tuple) else (index,)
    parts = []
    for it in items:
        if isinstance(it, slice):
            s = "" if it.start is None else str(it.start)
            s += ":" + ("" if it.stop is None else str(it.stop))
            if it.step is not None:
                s += f":{it.step}"
            parts.append(s)
        elif it is Ellipsis:
            parts.append("...")
        elif it is None:
            parts.append("None")
        elif isinstance(it, (int, np.integer)):
            parts.append(str(int(it)))
        else:
            a = np.asarray(it)
            if a.ndim == 1 and a.size <= 4 and a.dtype.kind in "iu":
                parts.append(str([int(v) for v in a]))
            else:
                parts.append(f"{a.dtype.name}{shape_str(a.shape)}")
    return "[" + ", ".join(parts) + "]"


# Which arguments to show, per op class name: f(node, in_shape, out_shape) -> ["k=v", ...].
_ARGS = {
    "Softmax": lambda n, i, o: [f"axis={n.axis}"],
    "LogSoftmax": lambda n, i, o: [f"axis={n.axis}"],
    "LeakyReLU": lambda n, i, o: [f"negative_slope={n.slope:g}"],
    "ELU": lambda n, i, o: [f"alpha={n.alpha:g}"],
    "Clip": lambda n, i, o: [f"{k}={v:g}" for k, v in zip(("a_min", "a_max"), n.bounds)
                             if v is not None],
    "Sum": _reduced,
    "Mean": _reduced,
    "LogSumExp": _reduced,
    "Max": _reduced,
    "Min": _reduced,
    "Reshape": lambda n, i, o: [f"shape={shape_str(o)}"],
    "BroadcastTo": lambda n, i, o: [f"shape={shape_str(o)}"],
    "Transpose": lambda n, i, o: ([] if n.inverse is None else
                                  [f"axes={tuple(int(a) for a in np.argsort(n.inverse))}"]),
    "Concatenate": lambda n, i, o: [f"axis={len(n.slices[0]) - 1}"],
    "Stack": lambda n, i, o: [f"axis={len(n.slices[0]) - 1}"],
}


def op_label(node, in_shape, out_meta):
    """The op's name as the API spells it, with its arguments where the node keeps them."""
    cls = type(node)
    cname = cls.__name__
    builtin = cls.__module__.startswith("autograd.ops")
    name = _NAMES.get(cname, cname.lower()) if builtin else cname
    out_shape, out_dtype = out_meta if out_meta is not None else ((), None)
    try:
        if builtin and cname == "GetItem":
            return name, name + _index_str(node.index)
        if builtin and cname == "AsType" and out_dtype is not None:
            return name, f"{name}({np.dtype(out_dtype).name})"
        fmt = _ARGS.get(cname) if builtin else None
        args = fmt(node, in_shape, out_shape) if fmt is not None and in_shape is not None else []
    except Exception:   # a node missing an attribute is drawn by its bare name
        args = []
    return name, (f"{name}({', '.join(args)})" if args else name)


# ----------------------------------------------------------------------------- the walk
def _scope_of(node, labels):
    """The node's module scope as a plain str; ``labels`` collects what a scope and the scopes
    around it say of their modules (nn tags ops with a str that carries ``label``, e.g.
    "Linear(64 → 32)", and ``parent``, the enclosing module's scope)."""
    s = getattr(node, "scope", None)
    if s in (None, ""):
        return None
    name, up = str(s), s
    while up not in (None, "") and str(up) not in labels:
        label = getattr(up, "label", None)
        if label is None:
            break
        labels[str(up)] = str(label)
        up = getattr(up, "parent", None)
    return name


def _saved_values(node):
    """{("in", i) or ("out", k): array} for the inputs and outputs the node saved for backward.

    ``apply`` records ``id`` of every input array and output when something is saved; a saved
    object with one of those ids is that very array (it was alive when the ids were taken).
    """
    saved = getattr(node, "_saved", None)
    if type(saved) is not tuple or not saved:
        return {}
    ids = getattr(node, "_ids", ())
    out_ids = getattr(node, "_out_ids", ())
    found = {}
    for s in saved:
        sid = id(s)
        for k, o in enumerate(out_ids):
            if o == sid:
                found[("out", k)] = s
        for i, o in enumerate(ids):
            if o == sid:
                found[("in", i)] = s
    return found


def _stored_out_meta(node, nr):
    """(shape, dtype) of a node's output, where the node stores it."""
    try:
        return node._out_meta[nr] if node._n_out > 1 else node._out
    except (AttributeError, IndexError):
        return None


class Walk:
    """The graph of ``roots`` as items and edges ``(src, dst, ref)``, where ``ref`` is
    ``(node, i)`` for an edge into input ``i`` of ``node`` and ``(node, "out", nr)`` for an
    edge from a node to its output ``nr``.

    ``key[i]`` ties a tensor item back to the graph: ``(node, nr)`` for an op's output,
    ``("leaf", id)`` for a leaf; ``leaves[i]`` is a leaf item's Tensor.
    """

    def __init__(self, roots, names, want_values):
        self.items = []
        self.edges = []
        self.key = {}
        self.leaves = {}
        self.nodes = []         # Function nodes in data-flow order
        self.scope_labels = {}  # module scope -> "Linear(64 → 32)", where nn says so
        self._names = names
        self._values = want_values
        self._tensor_at = {}    # ("leaf", id) or (node, nr) -> item
        self._build(roots)

    def _add(self, item):
        self.items.append(item)
        return len(self.items) - 1

    def _leaf(self, t):
        k = ("leaf", id(t))
        idx = self._tensor_at.get(k)
        if idx is None:
            name = self._names.get(id(t))
            param = name is not None or type(t).__name__ == "Parameter"
            if name is None:
                name = t.name
            item = Item("tensor", "param" if param else "input", name,
                        shape=t.shape, dtype=t.dtype)
            if self._values:
                item.value = _stats(t.data)
            idx = self._tensor_at[k] = self._add(item)
            self.key[idx] = k
            self.leaves[idx] = t
        return idx

    def _build(self, roots):
        out_meta = {}       # (node, nr) -> (shape, dtype), from the consumers' _meta
        root_nodes = []
        for t in roots:
            if t.grad_fn is not None:
                root_nodes.append(t.grad_fn)
                out_meta[(t.grad_fn, t._nr)] = (t.shape, t.dtype)
        root_nodes = list(dict.fromkeys(root_nodes))
        consumers = {n: 0 for n in root_nodes}
        stack = list(root_nodes)
        while stack:
            node = stack.pop()
            meta = None
            for i, edge in enumerate(node._next):
                child, nr = edge_target(edge)
                if nr is None:                  # no edge, or a leaf
                    continue
                if (child, nr) not in out_meta:
                    m = _stored_out_meta(child, nr)
                    if m is None:       # derived from this consumer's view of its input
                        meta = node._meta if meta is None else meta
                        m = meta[i]
                    out_meta[(child, nr)] = m
                if child in consumers:
                    consumers[child] += 1
                else:
                    consumers[child] = 1
                    stack.append(child)
        # Kahn order from the roots (consumers first), reversed: producers first.
        order, left = [], dict(consumers)
        ready = [n for n in reversed(root_nodes) if left[n] == 0]
        while ready:
            node = ready.pop()
            order.append(node)
            for edge in reversed(node._next):
                child, nr = edge_target(edge)
                if nr is None:
                    continue
                left[child] -= 1
                if left[child] == 0:
                    ready.append(child)
        order.reverse()
        self.nodes = order
        outs_of = {}
        for (node, nr) in out_meta:
            outs_of.setdefault(node, []).append(nr)

        for node in order:
            scope = _scope_of(node, self.scope_labels)
            saved = _saved_values(node)
            names = getattr(node, "_names", None) or ()
            in_items = []
            for i, edge in enumerate(node._next):
                target = edge_target(edge)
                if target[0] is None:           # an input that takes no gradient
                    val = saved.get(("in", i))
                    if val is None:
                        item = Item("const", scope=scope)
                    else:
                        val = np.asarray(val)
                        item = Item("const", shape=val.shape, dtype=val.dtype, scope=scope)
                        if self._values or val.size == 1:     # a scalar shows its value
                            item.value = _stats(val)
                    if i < len(names) and names[i] is not None:   # ag.tensor(X, name="X")
                        item.name = str(names[i])
                    in_items.append(self._add(item))
                elif target[1] is None:         # a leaf
                    in_items.append(self._leaf(edge))
                else:
                    idx = self._tensor_at[target]
                    val = saved.get(("in", i)) if self._values else None
                    if val is not None and self.items[idx].value is None:
                        self.items[idx].value = _stats(val)
                    in_items.append(idx)
            nrs = sorted(outs_of.get(node, ()))
            meta = node._meta
            in_shape = meta[0][0] if meta and meta[0] is not None else None
            opname, label = op_label(node, in_shape,
                                     out_meta.get((node, nrs[0])) if nrs else None)
            op = Item("op", label=label, scope=scope)
            op.opname = opname
            op_idx = self._add(op)
            for i, src in enumerate(in_items):
                self.edges.append((src, op_idx, (node, i)))
            for nr in nrs:
                shape, dtype = out_meta[(node, nr)]
                item = Item("tensor", "inter", shape=shape, dtype=dtype, scope=scope)
                val = saved.get(("out", nr)) if self._values else None
                if val is not None:
                    item.value = _stats(val)
                idx = self._add(item)
                self._tensor_at[(node, nr)] = idx
                self.key[idx] = (node, nr)
                self.edges.append((op_idx, idx, (node, "out", nr)))

        self.root_items = []
        for t in roots:
            if t.grad_fn is None:
                idx = self._leaf(t)
            else:
                idx = self._tensor_at[(t.grad_fn, t._nr)]
                item = self.items[idx]
                if t.name is not None and item.name is None:
                    item.name = t.name
                if self._values:
                    item.value = _stats(t.data)
            self.items[idx].root = True
            self.root_items.append(idx)


def _stats(a):
    try:
        return Stats(a)
    except TypeError:       # an object array or the like: shown without numbers
        return None
