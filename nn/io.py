"""``nn.save`` / ``nn.load``: state dicts (and nested dicts, lists and tuples of arrays and
numbers, such as an optimizer's state) in ``.npz`` files, with no pickle anywhere.

Layout of a file: one ``.npy`` entry per array, named by its dotted path in the object
(``"0.weight"``, ``"state.0.exp_avg"``), so ``np.load`` reads it too; plus one entry,
``__nn_manifest__``, a JSON string that records the structure (which containers, which key
types, the Python numbers), from which :func:`load` rebuilds the object exactly.

Safety: :func:`load` opens files with ``allow_pickle=False``. A file holding pickled data (an
object array, or a pickle) is refused with a ValueError before anything of it is unpickled.
:func:`save` writes a temporary file in the target's directory and renames it over the target
(``os.replace``, atomic on POSIX and Windows), so an interrupted save leaves the previous file
intact and no temporary file behind.
"""
import json
import os
import tempfile
import zipfile

import numpy as np

import autograd as ag

_MANIFEST = "__nn_manifest__"
_FORMAT = 1


# ----------------------------------------------------------------------------- encoding
def _encode(obj):
    """(manifest tree, {entry name: array}) for ``obj``; an iterative walk."""
    arrays = {}
    holder = [None]
    on_path = set()             # ids of the containers enclosing the current item
    stack = [(obj, "", holder, 0)]
    while stack:
        item = stack.pop()
        if type(item) is int:   # leaving a container
            on_path.discard(item)
            continue
        o, path, parent, slot = item
        where = repr(path) if path else "the object"
        if isinstance(o, ag.Tensor):
            o = o.data
        if isinstance(o, (np.ndarray, np.generic)):
            arr = np.asarray(o)
            if arr.dtype.kind not in "biufcSU":
                raise TypeError(f"nn.save: {where} has dtype {arr.dtype}, which cannot be "
                                f"stored without pickle")
            key = path or "value"
            if key in arrays or key == _MANIFEST:
                key = f"{key}#{len(arrays)}"
            arrays[key] = arr
            node = {"t": "array" if isinstance(o, np.ndarray) else "scalar", "k": key}
        elif isinstance(o, bool):
            node = {"t": "bool", "v": o}
        elif isinstance(o, int):
            node = {"t": "int", "v": o}
        elif isinstance(o, float):
            node = {"t": "float", "v": o}
        elif isinstance(o, str):
            node = {"t": "str", "v": o}
        elif o is None:
            node = {"t": "none"}
        elif isinstance(o, (dict, list, tuple)):
            if id(o) in on_path:
                raise ValueError(f"nn.save: {where} contains itself; only trees can be saved")
            on_path.add(id(o))
            stack.append(id(o))
            if isinstance(o, dict):
                items = []
                for k, v in o.items():
                    if isinstance(k, bool) or not isinstance(k, (str, int)):
                        raise TypeError(f"nn.save: {where} has a key {k!r} of type "
                                        f"{type(k).__name__}; keys must be str or int")
                    items.append([k, None])
                    stack.append((v, f"{path}.{k}" if path else str(k), items[-1], 1))
                node = {"t": "dict", "items": items}
            else:
                items = [None] * len(o)
                for i, v in enumerate(o):
                    stack.append((v, f"{path}.{i}" if path else str(i), items, i))
                node = {"t": "tuple" if isinstance(o, tuple) else "list", "items": items}
        else:
            raise TypeError(f"nn.save: cannot save {where} of type {type(o).__name__}: only "
                            f"arrays, Tensors, numbers, strings, None, and dicts, lists and "
                            f"tuples of them")
        parent[slot] = node
    return holder[0], arrays


def _decode(root, arrays):
    """Rebuild the object from the manifest tree; iterative, tuples made last (inner first)."""
    holder = [None]
    tuples = []
    stack = [(root, holder, 0)]
    while stack:
        node, parent, slot = stack.pop()
        t = node["t"]
        if t == "array":
            value = arrays[node["k"]]
        elif t == "scalar":
            value = arrays[node["k"]][()]
        elif t in ("bool", "int", "float", "str"):
            value = node["v"]
            want = {"bool": bool, "int": int, "float": (int, float), "str": str}[t]
            if not isinstance(value, want) or (t == "int" and isinstance(value, bool)):
                raise ValueError(f"a {t} entry holds {value!r}")
            value = float(value) if t == "float" else value
        elif t == "none":
            value = None
        elif t == "dict":
            value = {}
            for k, child in node["items"]:
                if not isinstance(k, (str, int)):
                    raise ValueError(f"a dict key is {k!r}")
                value[k] = None
                stack.append((child, value, k))
        elif t in ("list", "tuple"):
            value = [None] * len(node["items"])
            for i, child in enumerate(node["items"]):
                stack.append((child, value, i))
            if t == "tuple":
                tuples.append((parent, slot, value))
        else:
            raise ValueError(f"unknown entry type {t!r}")
        parent[slot] = value
    for parent, slot, value in reversed(tuples):
        parent[slot] = tuple(value)
    return holder[0]


# ----------------------------------------------------------------------------- files
def _write_npz(f, arrays, compressed):
    # As np.savez does, but with allow_pickle=False and any entry name (no keyword clash).
    mode = zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED
    with zipfile.ZipFile(f, mode="w", compression=mode, allowZip64=True) as zf:
        for key, arr in arrays.items():
            with zf.open(key + ".npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, arr, allow_pickle=False)


def _file_mode(path):
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def save(obj, path, compressed=False):
    """Write ``obj`` (a state dict, or nested dicts/lists/tuples of arrays, Tensors, numbers,
    strings and None) to ``path`` as an ``.npz`` file, exactly at ``path`` (no suffix added).

    The file is written to a temporary file beside ``path`` and renamed over it, so an
    interrupted save never leaves a half-written ``path``. Tensors are stored as their arrays.
    """
    manifest, arrays = _encode(obj)
    arrays[_MANIFEST] = np.array(json.dumps({"format": _FORMAT, "root": manifest}))
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    mode = _file_mode(path)
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp",
                               dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            _write_npz(f, arrays, compressed)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def _refuse(path, what):
    return ValueError(f"nn.load: {path} {what}; refusing to load it, since unpickling can run "
                      f"code. nn.load reads only .npz files of plain arrays (as nn.save "
                      f"writes); nothing from this file was loaded")


def load(path):
    """Read what :func:`save` wrote: the same structure, arrays as numpy arrays (Tensors come
    back as arrays). A plain ``.npz`` (from ``np.savez``) gives a dict of its arrays; a ``.npy``
    gives its array. Never unpickles: pickled content raises ValueError."""
    path = os.fspath(path)
    try:
        f = np.load(path, allow_pickle=False)
    except ValueError as e:
        with open(path, "rb") as fh:
            head = fh.read(6)
        if head == b"\x93NUMPY":
            if "pickle" in str(e) or "Object arrays" in str(e):   # an array of Python objects
                raise _refuse(path, "holds a pickled object array") from None
            raise ValueError(f"nn.load: {path} is a damaged .npy file: {e}") from None
        if head[:1] == b"\x80":       # the opcode that starts a pickle (protocol 2 and up)
            raise _refuse(path, "holds pickled data") from None
        raise ValueError(f"nn.load: {path} is not a .npz or .npy file, so it was not read "
                         f"(numpy would treat it as a pickle, which nn.load never loads)") \
            from None
    if isinstance(f, np.ndarray):
        return f
    with f:
        arrays = {}
        for key in f.files:
            try:
                arrays[key] = f[key]
            except ValueError as e:
                if "pickle" in str(e) or "Object arrays" in str(e):
                    raise _refuse(path, f"holds pickled objects in entry {key!r}") from None
                raise
    manifest = arrays.pop(_MANIFEST, None)
    if manifest is None:
        return arrays
    try:
        if manifest.dtype.kind != "U" or manifest.ndim != 0:
            raise ValueError("the manifest is not a string")
        meta = json.loads(str(manifest[()]))
        if meta.get("format") != _FORMAT:
            raise ValueError(f"format {meta.get('format')!r} is not {_FORMAT}")
        return _decode(meta["root"], arrays)
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as e:
        raise ValueError(f"nn.load: {path} has a malformed {_MANIFEST} entry: {e}") from None
