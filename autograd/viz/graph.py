"""draw_graph: the computation graph as a ``graphviz.Digraph``.

Data flows down the page: inputs, parameters and constants at the top, then each op (an
ellipse) and the tensor it produced (a box), the roots at the bottom in bold. ``graphviz`` is
imported only when a graph is drawn.
"""
from ..tensor import Tensor
from ._edgegrads import GradsUnavailable, edge_gradients
from ._reduce import Reducer, const_text
from ._text import Stats, esc, html_label, named_tensors, num, pen_width, type_str
from ._walk import Item, Walk

DEFAULT_MAX_NODES = 300

INSTALL_HINT = (
    "Install Graphviz: `sudo apt-get install graphviz` (Debian/Ubuntu), `brew install "
    "graphviz` (macOS), `conda install -c conda-forge graphviz` (conda), or the installer from "
    "https://graphviz.org/download/ (Windows: add its bin folder to PATH). Without it the DOT "
    "text is still available as `.source`.")

_STYLE = {
    "op": {"shape": "ellipse", "style": "filled", "fillcolor": "#eeeeee", "color": "#888888"},
    "param": {"shape": "box", "style": "filled", "fillcolor": "#cfe2ff", "color": "#3d6fb6"},
    "input": {"shape": "box", "style": "filled", "fillcolor": "#d4edda", "color": "#3f8f50"},
    "inter": {"shape": "box", "style": "rounded", "color": "#666666"},
    "const": {"shape": "box", "style": "dashed", "color": "#999999", "fontcolor": "#555555",
              "fontsize": "9"},
    "chain": {"shape": "box3d", "style": "filled", "fillcolor": "#fff3cd"},
    "scope": {"shape": "box3d", "style": "filled", "fillcolor": "#e2d9f3"},
    "note": {"shape": "note", "style": "filled", "fillcolor": "#fffbe6", "fontsize": "10"},
}
_PREFIX = {"op": "op", "tensor": "t", "const": "c", "group": "g", "note": "note"}


class GraphvizNotFoundError(RuntimeError):
    """Rendering needs the Graphviz ``dot`` program, which was not found.

    Raised by ``render`` and ``pipe`` of the picture that :func:`draw_graph` returns; its
    message says how to install Graphviz (``apt-get install graphviz``, ``brew install
    graphviz``, ``conda install -c conda-forge graphviz``) and that the DOT text is still
    there as ``.source``. In Jupyter the picture then shows that advice and the DOT text.
    """


_digraph_class = None


def _picture_class():
    """``graphviz.Digraph`` with rendering errors that say how to install Graphviz."""
    global _digraph_class
    if _digraph_class is not None:
        return _digraph_class
    try:
        import graphviz
    except ImportError:
        raise ImportError("draw_graph needs the graphviz Python package: pip install graphviz "
                          "(or pip install 'chapter-autograd[viz]'). " + INSTALL_HINT) from None

    def missing(exc):
        return GraphvizNotFoundError(
            f"rendering the graph needs the Graphviz program `dot`, which was not found on "
            f"PATH ({exc}). " + INSTALL_HINT)

    class GraphPicture(graphviz.Digraph):
        """A ``graphviz.Digraph`` (see its docs); when ``dot`` is missing, rendering raises
        :class:`GraphvizNotFoundError` saying how to install it, and Jupyter shows the DOT
        text with that advice."""

        def pipe(self, *args, **kwargs):
            try:
                return super().pipe(*args, **kwargs)
            except graphviz.ExecutableNotFound as exc:
                raise missing(exc) from exc

        def render(self, *args, **kwargs):
            try:
                return super().render(*args, **kwargs)
            except graphviz.ExecutableNotFound as exc:
                raise missing(exc) from exc

        def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
            try:
                return super()._repr_mimebundle_(include, exclude, **kwargs)
            except GraphvizNotFoundError as exc:
                return {"text/plain": f"{exc}\n\n{self.source}"}

    _digraph_class = GraphPicture
    return GraphPicture


def _param_names(params):
    """{id(tensor): name} from a dict, pairs like ``named_parameters()``, or a module."""
    names = {}
    if params is not None:
        for name, t in named_tensors(params, "draw_graph"):
            names.setdefault(id(t), name)
    return names


def draw_graph(*roots, params=None, show_values=False, show_grads=False,
               max_nodes=DEFAULT_MAX_NODES, collapse=None, rankdir="TB"):
    """Draw the graph that produced ``roots`` (Tensors) and return a ``graphviz.Digraph``.

    One ellipse per op with its arguments (``softmax(axis=1)``), one box per tensor with its
    name, shape and dtype. Parameters (named by ``params`` or by ``Tensor.name``) are blue,
    other leaves that require grad green, constant inputs small and dashed (with the name the
    user gave the Tensor, ``ag.tensor(X, name="X")``; their shape and value appear when the op
    saved them), roots bold. Edges follow the data: inputs -> op -> output. Ops recorded
    under ``nn.track_scopes()`` are grouped in one cluster per module, labelled with its
    dotted name and class (``0: Linear(64 → 32)``). The same graph always gives the same DOT
    text; every user-given name is escaped.

    Parameters
    ----------
    *roots : Tensor
        The outputs whose graph is drawn (a loss, or several tensors).
    params : dict, iterable of (str, Tensor) or module, optional
        Names for the leaves: a dict, pairs like ``module.named_parameters()``, or a module.
    show_values : bool
        Tensors show their numbers (at most 16 elements) or min/mean/max, norm and share of
        zeros; NaN and inf are flagged in red. Values of intermediates appear where an op kept
        them for backward.
    show_grads : bool
        Runs backward once more on the side (writing nothing, freeing nothing) and draws each
        edge by the norm of the gradient flowing back along it (width 2 at norm 1, one point
        per factor 100; dashed at zero, red for NaN/inf, the norm as its label); tensors show
        their gradient. It needs the saved arrays: draw before ``backward()`` or after
        ``backward(retain_graph=True)``; otherwise leaves show their ``.grad`` and a note says
        why.
    max_nodes : int
        Beyond it, repeated chains of ops become one box ("[tanh] × 20000"), then module scopes
        collapse into one box each, deepest first, then the nodes farthest from the roots are
        left out; a note node says what was done.
    collapse : str, list of str or True, optional
        Module scopes to collapse into one box anyway, or True for every outermost scope.
    rankdir : {"TB", "LR", "BT", "RL"}
        The direction data flows on the page (graphviz's ``rankdir``).

    Returns
    -------
    graphviz.Digraph
        ``.source`` is the DOT text; ``.render(path, format="svg")`` and ``.pipe()`` need
        Graphviz's ``dot`` (else :class:`GraphvizNotFoundError`); Jupyter shows it inline.

    Raises
    ------
    TypeError
        If no root is given, a root is not a Tensor, or ``params`` holds a non-Tensor.
    ValueError
        If ``max_nodes`` is not an int >= 2, ``rankdir`` is unknown, or ``collapse`` names a
        scope that no op of the graph has.
    ImportError
        If the graphviz Python package is not installed (the ``viz`` extra).

    Examples
    --------
    >>> import numpy as np
    >>> import autograd as ag
    >>> X = ag.tensor(np.ones((4, 2)), name="X")                  # a named constant
    >>> W = ag.tensor(np.ones((2, 3)), requires_grad=True)
    >>> loss = ag.relu(X @ W).sum()
    >>> g = ag.viz.draw_graph(loss, params={"W": W})
    >>> [line.strip().split(" [")[0] for line in g.source.splitlines() if "->" in line]
    ['c0 -> op2', 't1 -> op2', 'op2 -> t3', 't3 -> op4', 'op4 -> t5', 't5 -> op6', 'op6 -> t7']
    >>> "<B>X</B>" in g.source and "<B>W</B>" in g.source
    True
    """
    if not roots:
        raise TypeError("draw_graph: give at least one Tensor to draw")
    for k, t in enumerate(roots):
        if not isinstance(t, Tensor):
            raise TypeError(f"draw_graph: roots must be Tensors, got {type(t).__name__} "
                            f"(argument {k})")
    if not isinstance(max_nodes, int) or max_nodes < 2:
        raise ValueError(f"draw_graph: max_nodes must be an int >= 2, got {max_nodes!r}")
    if rankdir not in ("TB", "LR", "BT", "RL"):
        raise ValueError(f"draw_graph: rankdir must be 'TB', 'LR', 'BT' or 'RL', got "
                         f"{rankdir!r}")
    cls = _picture_class()
    walk = Walk(roots, _param_names(params), show_values)
    items = walk.items
    grads, notes = [None] * len(walk.edges), []
    if show_grads:
        try:
            edge, out, leaf = edge_gradients(roots, walk.nodes, Stats)
            for idx, key in walk.key.items():
                items[idx].grad = leaf.get(key[1]) if key[0] == "leaf" else out.get(key)
            grads = [out.get((ref[0], ref[2])) if len(ref) == 3 else edge.get(ref)
                     for _, _, ref in walk.edges]
        except GradsUnavailable as exc:
            notes.append(f"gradients along edges not shown: {exc}")
            for idx, t in walk.leaves.items():
                if t.grad is not None:
                    items[idx].grad = Stats(t.grad.data)
    edges = [(s, d, g) for (s, d, _), g in zip(walk.edges, grads)]
    if collapse is not None and collapse is not True:
        collapse = _check_scopes(collapse, items)
    red = Reducer(items, edges, walk.root_items)
    red.reduce(max_nodes, bool(notes), collapse)
    return _emit(cls, red, notes + red.notes, show_values, show_grads, rankdir,
                 walk.scope_labels)


def _check_scopes(collapse, items):
    names = [collapse] if isinstance(collapse, str) else list(collapse)
    present = sorted({it.scope for it in items if it.kind == "op" and it.scope is not None})
    for s in names:
        if not isinstance(s, str) or not any(p == s or p.startswith(s + ".") for p in present):
            raise ValueError(f"draw_graph: collapse names {s!r}, which is not the scope of any "
                             f"op in this graph; scopes: {present[:10]}")
    return names


# ----------------------------------------------------------------------------- DOT
def _tensor_lines(it, show_values, show_grads):
    lines = []
    if it.name is not None:
        lines.append(f"<B>{esc(it.name)}</B>")
    lines.append(esc(type_str(it.shape, it.dtype)))
    if show_values and it.value is not None:
        lines += it.value.lines()
    if show_grads and it.grad is not None:
        lines += it.grad.lines("grad")
    return lines


def _scope_title(scope, labels):
    """A module scope as the picture names it: "0: Linear(64 → 32)", or the bare dotted name
    where nn gave no label (a prefix shared by several modules)."""
    label = labels.get(scope)
    return scope if label is None else f"{scope}: {label}"


def _node(it, show_values, show_grads, labels):
    """(label, attributes) of one visible item."""
    kind = it.kind
    if kind == "op":
        return html_label([esc(it.label)]), dict(_STYLE["op"], **{"class": "op"})
    if kind == "tensor":
        attrs = dict(_STYLE[it.role])
        lines = _tensor_lines(it, show_values, show_grads)
    elif kind == "const":
        attrs = dict(_STYLE["const"])
        text = const_text(it)
        lines = [esc(text)]
        if it.name is not None:         # the user's name; a scalar's value stays beside it
            lines = [f"<B>{esc(it.name)}</B>"] + (lines if text != "constant" else [])
        if it.shape is not None:
            lines.append(esc(type_str(it.shape, it.dtype)))
            if show_values and it.value is not None and text == "constant":
                lines += it.value.lines()
    elif kind == "group":
        attrs = dict(_STYLE[it.role])
        head = _scope_title(it.name, labels) if it.role == "scope" else it.label
        lines = [f"<B>{esc(head)}</B>"] + [esc(s) for s in it.info]
    else:
        attrs = dict(_STYLE["note"])
        lines = [esc(s) for s in it.info]
    if it.root:
        attrs["penwidth"] = "2.5"
        if it.role == "inter":
            attrs.update(style="rounded,filled", fillcolor="#ffe5cc")
    if (it.value is not None and it.value.bad and show_values) or (
            it.grad is not None and it.grad.bad and show_grads):
        attrs.update(color="red", penwidth="2.5")
    attrs["class"] = (it.role or kind) + (" root" if it.root else "")
    return html_label(lines), attrs


def _edge_attrs(g, from_note):
    if from_note:
        return {"style": "dashed", "color": "#aaaaaa"}
    if g is None:
        return {}
    if g.bad:
        what = "NaN" if g.nan else "inf"
        return {"color": "red", "penwidth": "3", "label": what, "fontcolor": "red"}
    if g.norm == 0:
        return {"style": "dashed", "color": "#bbbbbb", "label": "0", "fontcolor": "#999999"}
    return {"penwidth": f"{pen_width(g.norm):.2f}", "label": num(g.norm)}


def _emit(cls, red, notes, show_values, show_grads, rankdir, labels):
    items, find = red.items, red.find
    note = None
    if notes:
        note = len(items)
        it = Item("note")
        it.info = notes
        items.append(it)
        red.rep.append(note)
        red.pos.append(-1)
        red.cluster.append(None)
    dropped = red.dropped
    visible = sorted((v for v in range(len(items)) if find(v) == v and v not in dropped),
                     key=lambda v: red.pos[v])
    ids = {v: f"{_PREFIX[items[v].kind]}{v}" for v in visible}

    g = cls(name="autograd", format="svg",
            graph_attr={"rankdir": rankdir, "nodesep": "0.25", "ranksep": "0.3",
                        "fontname": "Helvetica", "fontsize": "10"},
            node_attr={"fontname": "Helvetica", "fontsize": "11", "margin": "0.08,0.04",
                       "height": "0.3"},
            edge_attr={"arrowsize": "0.6", "color": "#555555", "fontname": "Helvetica",
                       "fontsize": "9", "fontcolor": "#555555"})
    # Nodes go into the cluster of their module scope; clusters nest by dotted prefix.
    members, used = {}, set()
    for v in visible:
        c = red.cluster_of(v) if v != note else None
        members.setdefault(c, []).append(v)
        while c is not None and c not in used:
            used.add(c)
            c = red.parent.get(c)
    order = sorted(used, key=lambda s: (min((red.pos[v] for v in members.get(s, ())),
                                            default=0), s))
    graphs = {None: g}
    for k, s in enumerate(order):
        graphs[s] = cls(name=f"cluster_{k}", graph_attr={
            "label": html_label([f"<B>{esc(_scope_title(s, labels))}</B>"]),
            "style": "rounded,dashed",
            "color": "#9b8ac4", "fontcolor": "#5b4a84", "labeljust": "l"})
    for c, vs in members.items():
        target = graphs[c]
        for v in vs:
            label, attrs = _node(items[v], show_values, show_grads, labels)
            cls_attr = attrs.pop("class")
            target.node(ids[v], label, _attributes={"class": cls_attr}, **attrs)
    for s in sorted(order, key=lambda s: -s.count(".")):
        graphs[red.parent.get(s)].subgraph(graphs[s])

    drawn = {}
    for k, (s, d, grad) in enumerate(red.edges):
        a, b = find(s), find(d)
        if a == b or b in dropped:
            continue
        if a in dropped:
            a = note
        # edges between merged boxes become one; an op's two uses of one tensor (x * x) stay two
        key = (a, b) if (a, b) != (s, d) else (a, b, k)
        if key in drawn:
            old = drawn[key]
            if grad is not None and (old is None or grad.bad or grad.norm > old.norm):
                drawn[key] = grad
        else:
            drawn[key] = grad
    for (a, b, *_), grad in drawn.items():
        attrs = _edge_attrs(grad if show_grads else None, a == note)
        g.edge(ids[a], ids[b], **attrs)
    return g
