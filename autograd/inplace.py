"""In-place modification: Tensor operators that change a tensor, and the check that an array saved
for backward was not changed after it was saved.

The rules (PyTorch's, with a cheaper bookkeeping):
- An in-place operator (``+= -= *= /=``, ``t[index] = value``) on a leaf that requires grad,
  while gradients are recorded, is an error: its earlier uses in the graph would be wrong.
- While gradients are recorded, an in-place operator on a tensor that is part of the graph
  (it requires grad, or the value written does) computes a new array and rebinds the tensor to
  it, recording the op: the old array, which backward may need, is left intact.
- Otherwise (no gradient involved, or under ``no_grad``) the tensor's array is changed in place,
  and the change is registered. A node whose saved arrays include a changed one refuses to run
  its backward and names the tensor and the op that saved it.

The hot path pays one integer per node: every node that saves arrays stamps the value of a
global modification clock; the engine compares it with the clock before running the node's
backward and looks further only when some in-place change happened since.

Writes through ``t.data`` cannot be intercepted, but the hand-out can: a tensor that a node
saved is "pinned" (it holds a weak reference to the node), and while that node keeps its saved
arrays, reading its ``.data`` (or ``np.asarray(t)``, ``np.array(t, copy=False)``: numpy's
``__array__`` hands the array out through ``.data``) records a checksum of the array at that
moment, with a tick of the clock. Once the node has run backward, or is gone with its graph,
the pin lapses by itself.
Before a node's backward, an array it saved whose first checksum after the node was recorded
no longer matches was written through ``.data``: an error, however many reads came between
(that checksum is kept while the node pins the array; see ``_looks``). (So the cost is a
checksum per ``.data`` read of a saved tensor, never anything on the op path.)
Tensors over the same memory are one family: a tensor made by an op whose output is a view of
an input's array (``w.T``, ``w[1]``, ``w.reshape(4)``, any Function returning such a view), by
``detach()`` or by ``Tensor(t)`` points to the tensor whose array it views (``_base``), and that
tensor keeps what it needs of each view whose array a node saved (``_SavedView``). Handing out
``.data`` of any member watches every member that a node saved, so a write through any route
to the saved memory is caught. (The cost: a pointer test per op output, and a Python call per
view op and per saved view.)
Writes through references obtained before the save, through ``t.numpy()``, or through a numpy
array wrapped in a second tensor (``ag.Tensor(a)`` twice over one array ``a``) are not seen;
under :func:`autograd.detect_anomaly` every saved array is checksummed when saved, which
catches those too.
"""
import weakref

import numpy as np


class _Clock:
    value = 0


clock = _Clock()
# id(array) -> [clock value, weak reference to the array, (name, shape, dtype) of the tensor]
_changed = {}


def _describe(t):
    return _label((t.name, t.shape, t.dtype))


def _label(about):
    name, shape, dtype = about
    return f"tensor {f'{name!r} ' if name else ''}of shape {shape} ({dtype})"


def _about(t):
    # formatted only if an error is raised
    return t.name, t._data.shape, t._data.dtype


def register_change(t):
    """Record that ``t``'s array (and the arrays it is a view of) changed in place.

    Call it after writing into a tensor's array by a way the library does not see (through
    ``t.numpy()``, or an array taken before the forward pass): a node that saved the array
    then refuses to run its backward, instead of giving a wrong gradient. The in-place
    operators call it themselves.

    Parameters
    ----------
    t : Tensor
        The tensor whose array changed.

    Examples
    --------
    >>> import autograd as ag
    >>> w = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> y = (w * w).sum()             # Mul saves w's array
    >>> w.numpy()[0] = 5.0
    >>> ag.inplace.register_change(w)
    >>> y.backward()
    Traceback (most recent call last):
        ...
    RuntimeError: Mul.backward needs an array it saved in the forward pass (saved item 0), but
    it was modified in place afterwards: ...
    """
    register_changes((t,))


def register_changes(tensors):
    """:func:`register_change` for several tensors at once (an optimizer's step), one tick.

    Parameters
    ----------
    tensors : iterable of Tensor
        The tensors whose arrays changed.

    Examples
    --------
    >>> import autograd as ag
    >>> params = [ag.tensor([1.0], requires_grad=True), ag.tensor([2.0], requires_grad=True)]
    >>> for p in params:
    ...     p.numpy()[...] -= 0.1
    >>> ag.inplace.register_changes(params)
    >>> params
    [Tensor([0.9], requires_grad=True), Tensor([1.9], requires_grad=True)]
    """
    clock.value = now = clock.value + 1
    for t in tensors:
        arr = t._data
        while True:
            entry = _changed.get(id(arr))
            if entry is not None and entry[1]() is arr:
                # the same array changing again (an optimizer's parameters, every step)
                entry[0] = now
                if entry[2][0] != t.name:
                    entry[2] = _about(t)
            else:
                if len(_changed) > 10_000:
                    for key in [k for k, (_, ref, _) in _changed.items() if ref() is None]:
                        del _changed[key]
                try:
                    _changed[id(arr)] = [now, weakref.ref(arr), _about(t)]
                except TypeError:       # an object numpy holds as a base that is not an array
                    break
            arr = arr.base
            if not isinstance(arr, np.ndarray):
                break


# id(array) -> (weak reference to the array, runs) for the arrays of pinned tensors handed out
# through .data. A run is the reads that saw one content in a row: [prev, last, checksum, name],
# with last the clock value of its latest read, prev that of the read before its first (0 if
# none): a node born at b takes as reference the first run whose last > b (the run of its first
# read after b), if that run's prev <= b. Oldest first, the newest is the array's latest content.
# A read that sees the same content only moves its run's last; one that sees a new content
# starts a run and keeps of the older runs only those that are the reference of a node still
# pinning the tensor read. So repeated reads cost one checksum and one comparison, with no
# window: the record is one run per live pin, plus the newest, however many reads.
_looks = {}


def _checksum(arr):
    return hash(np.ascontiguousarray(arr).tobytes())


# The pin of a tensor that the node which made it saved (tanh, exp, sigmoid, relu save their
# output): that node is its grad_fn, held already. A later node saving the same array adds no
# pin of its own while this one holds: it runs backward before the tensor's own node. (The one
# case this misses: a backward through the tensor's own node alone, then a write through .data,
# then ag.grad of the later node's output for an input whose path skips that node.)
SELF = "saved by its own node"


def _keeps(ref):
    """Whether the node behind the weak reference still keeps its saved arrays."""
    node = ref()
    return node is not None and type(node._saved) is tuple   # freed: a marker, not a tuple


# A pin that several live nodes hold (a constant or a weight that many nodes of one graph save,
# as the ×a of a long chain, or that several live graphs saved) is a list of weak references,
# newest last: adding one is an append, and the nodes that let go are dropped each time the
# list's length reaches a power of two (from _PRUNE_FROM), so that a pin costs the same per
# node however many nodes hold it (a tuple rebuilt at each node made a chain quadratic).
_PRUNE_FROM = 8


def repin(t, ref):
    """Add the node behind ``ref`` to those that saved ``t``'s array (``t._pinned`` is a weak
    reference, or a list of them, newest last, when several live nodes saved the same array).
    """
    old = t._pinned
    if type(old) is list:
        if old[-1] is not ref:
            old.append(ref)
            n = len(old)
            if n >= _PRUNE_FROM and not n & (n - 1):
                old[:] = [r for r in old if _keeps(r)]     # ref itself keeps: never empty
    elif old is not ref:
        t._pinned = [old, ref] if _keeps(old) else ref


def _lapse(t):
    """Drop the pins of ``t`` whose nodes no longer keep their saved arrays."""
    pin = t._pinned
    if pin is SELF:
        if t.grad_fn is None or type(t.grad_fn._saved) is not tuple:
            t._pinned = None
    elif type(pin) is list:
        live = [r for r in pin if _keeps(r)]
        t._pinned = live if len(live) > 1 else live[0] if live else None
    elif not _keeps(pin):
        t._pinned = None


def watch_pinned(t):
    """``t.data`` is being handed out and ``t`` was pinned: watch it if a node still keeps its
    array, else unpin it (the graph was run backward, or dropped)."""
    _lapse(t)
    if t._pinned is not None:
        watch(t)


def root(arr):
    """The array that owns ``arr``'s memory (the end of its chain of bases)."""
    while True:
        base = arr.base
        if not isinstance(base, np.ndarray):
            return arr
        arr = base


def link(t, source):
    """Make ``t``, whose array shares memory with ``source``'s, one of ``source``'s family:
    ``t._base`` is the family's head (the tensor that is no view of another). The compiled
    apply does the same for an op's output that is a view of an input's array (or that array
    itself)."""
    head = _head(source)
    if head is not t and t._base is None:
        t._base = head
        if t._pinned is not None:
            pin_view(t)


def _head(t):
    """The head of ``t``'s family: the tensor whose ``_base`` is None or its list of views."""
    base = t._base
    return t if base is None or type(base) is list else base


class _SavedView:
    """What a family's head keeps of a view whose array a node saved: the array, the view's
    name and its pin, but not the view tensor itself, which is often a temporary (``x @
    w.T``) while its array lives on in the node. Weak references only (to the view, to the
    nodes), so the head keeps no node alive and closes no reference cycle. ``watch_pinned``
    takes it as it takes a tensor."""

    __slots__ = ("view", "_data", "name", "_pinned", "grad_fn")

    def __init__(self, t):
        self.view = weakref.ref(t)
        self._data, self.name, self.grad_fn = t._data, t.name, None
        self.update(t)

    def update(self, t):
        pin = t._pinned
        # its own node's pin (SELF) as a weak reference to that node
        self._pinned = weakref.ref(t.grad_fn) if pin is SELF else pin


def pin_view(t):
    """A node saved the array of ``t``, a view: its family's head keeps a :class:`_SavedView`
    of it for as long as its pin holds, so that ``.data`` of the head or of another view
    watches that array. The pins that lapsed are dropped each time the list's length reaches
    a power of two, as :func:`repin` does."""
    head = t._base
    views = head._base
    if views and views[-1].view() is t:
        views[-1].update(t)         # pinned again (a list of pins, or a new one)
        return
    if views is None:
        head._base = views = []
    views.append(_SavedView(t))
    n = len(views)
    if n >= _PRUNE_FROM and not n & (n - 1):
        views[:] = [v for v in views if _holds(v)]


def _holds(v):
    """Whether the pin of ``v`` still holds (a node keeps its array); drops it if it lapsed."""
    if v._pinned is not None:
        _lapse(v)
    return v._pinned is not None


def watch_family(t):
    """``t.data`` is being handed out and ``t`` shares its memory with other tensors: watch
    each member of the family (``t`` included) that a node saved."""
    head = _head(t)
    views = head._base if type(head._base) is list else ()
    for member in (t, head, *views):
        if member._pinned is not None:
            watch_pinned(member)
    if views:
        views[:] = [v for v in views if v._pinned is not None]
        if not views:
            head._base = None


def watch(t):
    """Note the content of ``t``'s array as it is handed out through ``t.data`` (or
    ``np.asarray(t)``, which goes through ``t.data``)."""
    arr = t._data
    clock.value = now = clock.value + 1
    key = id(arr)
    checksum = _checksum(arr)
    entry = _looks.get(key)
    if entry is None or entry[0]() is not arr:
        if len(_looks) > 10_000:
            for k in [k for k, (ref, _) in _looks.items() if ref() is None]:
                del _looks[k]
        _looks[key] = (weakref.ref(arr), [[0, now, checksum, t.name]])
        return
    runs = entry[1]
    newest = runs[-1]
    if newest[2] == checksum:
        newest[1] = now                 # the common case: the same content read again
        newest[3] = t.name
        return
    # a new content (written since the last read): keep the runs that are still a reference
    borns = _pin_borns(t)
    runs[:] = [r for r in runs if any(r[0] <= b < r[1] for b in borns)]
    runs.append([newest[1], now, checksum, t.name])


def _pin_borns(t):
    """The clock values at which the live nodes pinning ``t`` were recorded."""
    pin = t._pinned
    if pin is SELF:
        return (t.grad_fn._born,)
    refs = pin if type(pin) is list else (pin,)
    return [node._born for node in (r() for r in refs) if node is not None]


def _written_through_data(arr, born):
    """The tensor's description if ``arr`` changed since its first hand-out after ``born``, else
    None."""
    entry = _looks.get(id(arr))
    if entry is None or entry[0]() is not arr:
        return None
    for prev, last, checksum, name in entry[1]:
        if last > born:
            # prev > born: the run of the node's first read after born was let go, and a later
            # read saw another content (runs differ from the next): changed since, say so
            if prev > born or _checksum(arr) != checksum:
                return _label((name, arr.shape, arr.dtype))
            return None
    return None


def _lookup(arr, born):
    """The description of the tensor whose change touched ``arr`` after ``born``, or None."""
    while isinstance(arr, np.ndarray):
        entry = _changed.get(id(arr))
        if entry is not None and entry[0] > born and entry[1]() is arr:
            return _label(entry[2])
        arr = arr.base
    return None


def check_saved(node):
    """Raise if an array ``node`` saved was changed in place after the node was recorded."""
    saved = node._saved
    if not isinstance(saved, tuple):
        return
    for k, s in enumerate(saved):
        label = _lookup(s, node._born)
        if label is None and isinstance(s, np.ndarray):
            written = _written_through_data(s, node._born)
            if written is not None:
                raise RuntimeError(
                    f"{type(node).__name__}.backward needs an array it saved in the forward "
                    f"pass (saved item {k}), but the {written} was written through its .data "
                    f"after that (t.data[...] = v, or np.asarray(t)[...] = v): its gradient "
                    f"would be wrong. Change a tensor out of place (y = y + 1), or only after "
                    f"backward")
        if label is not None:
            raise RuntimeError(
                f"{type(node).__name__}.backward needs an array it saved in the forward pass "
                f"(saved item {k}), but it was modified in place afterwards: the {label} was "
                f"changed by an in-place operation. Its gradient would be wrong. Use an "
                f"out-of-place operation (y = y + 1 rather than y += 1), or change the tensor "
                f"only after backward")


def leaf_error(t, op):
    """The error for an in-place ``op`` on a leaf ``t`` that requires grad, while recording.

    Parameters
    ----------
    t : Tensor
        The leaf.
    op : str
        The operator, as the message names it (``"+="``, ``"relu_()"``...).

    Returns
    -------
    RuntimeError
        To raise: it says to update the leaf under ``no_grad`` or out of place.
    """
    return RuntimeError(
        f"in-place {op} on a leaf {_describe(t)} that requires grad, while gradients are "
        f"recorded: its earlier uses in the graph would become wrong. Update it under "
        f"`with ag.no_grad():` (as an optimizer does), or use an out-of-place operation")
