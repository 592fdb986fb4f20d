"""Pytrees for the function transforms (:mod:`autograd.functional`): an argument, an output or
an aux is a tuple, list or dict (nested) of leaves (arrays, numbers, Tensors). Its structure is
kept apart from its leaves, so that a result is built in the structure it came in.
"""


class _Tree:
    """The structure of a pytree: a tuple, list or dict (of its type) of subtrees; ``_LEAF``
    stands for an array, a number or a Tensor."""
    __slots__ = ("kind", "keys", "children")

    def __init__(self, kind, keys, children):
        self.kind, self.keys, self.children = kind, keys, children


_LEAF = _Tree(None, None, ())


def _flatten(x, path, leaves, paths):
    """Append ``x``'s leaves to ``leaves`` (their paths, as ``['w'][0]``, to ``paths``); return
    its structure."""
    if isinstance(x, dict):
        keys = list(x)
        return _Tree(type(x), keys, [_flatten(x[k], f"{path}[{k!r}]", leaves, paths)
                                     for k in keys])
    if isinstance(x, (tuple, list)):
        return _Tree(type(x), None, [_flatten(v, f"{path}[{i}]", leaves, paths)
                                     for i, v in enumerate(x)])
    leaves.append(x)
    paths.append(path)
    return _LEAF


def _build(tree, leaves):
    """The pytree of structure ``tree`` holding the next leaves of the iterator ``leaves``."""
    if tree is _LEAF:
        return next(leaves)
    items = [_build(c, leaves) for c in tree.children]
    kind = tree.kind
    if tree.keys is not None:
        items = dict(zip(tree.keys, items))
        if kind is dict:
            return items
    elif kind is tuple or kind is list:
        return kind(items)
    elif hasattr(kind, "_fields"):          # a namedtuple
        return kind(*items)
    try:
        return kind(items)
    except Exception:
        return dict(items) if tree.keys is not None else \
            list(items) if issubclass(kind, list) else tuple(items)
