"""``nn.save`` / ``nn.load``: state dicts (and nested dicts, lists and tuples of arrays and
numbers, such as an optimizer's state) in ``.npz`` files, with no pickle anywhere.

Layout of a file (format 2): one ``.npy`` entry per array, named by its dotted path in the
object (``"0.weight"``, ``"state.0.exp_avg"``), so ``np.load`` reads it too; plus one entry,
``__nn_manifest__``, a JSON text (ASCII bytes) that records the structure (which containers,
which key types, the Python numbers), from which :func:`load` rebuilds the object exactly, and
the name and size in bytes of every array entry. The manifest's data is written last, but it
is listed first in the zip directory, so a directory cut short still holds it. After the
directory, the zip archive comment is a trailer, ``nn.save format 2: <n> entries, sha256
<digest>``: the number of entries and a digest of every entry's name, size and CRC-32.

Safety: :func:`load` reads the zip directory and each member's .npy header itself, and checks
them before numpy reads any data: pickled data (an object array, or a pickle) is refused before
anything of it is unpickled; a member that is not a .npy array, a header whose shape × itemsize
is not the bytes that follow it (so nothing is allocated for a faked shape), sizes no real
deflated member can have (zip bombs), and truncated or damaged files are refused. Every refusal
is a ValueError that starts ``nn.load: <path>`` and names the entry at fault, if any.
:func:`save` writes a temporary file in the target's directory and renames it over the target
(``os.replace``, atomic on POSIX and Windows), so an interrupted save leaves the previous file
intact and no temporary file behind.

Completeness: a damaged zip directory can lose entries without any error from ``zipfile`` (a
corrupted length field ends its reading early), which would make a partial dict. So
:func:`load` refuses, naming the entries, a file whose entries are not exactly those its
manifest lists (one missing, one extra, or one of another size), a file whose directory does
not match its trailer's count and digest, a format-2 manifest without its trailer or a trailer
without its manifest, an array entry the manifest does not use, and any zip whose directory
holds another number of entries than its end record counts.

Files of format 1 (a manifest with no listing, as a str, and no trailer: nn.save before the
trailer) still load, since refusing them would strand every checkpoint saved so far and they
can be checked enough: the manifest must find each entry it names and use every array entry,
and the end record's count must match the directory. A cut directory keeps the end record's
count (``zipfile`` never compares it), and the manifest, last in those files, is what a cut
loses first; so a format-1 file with lost entries fails the count, or its manifest names the
missing entry. What format 1 cannot catch takes the count and the directory damaged together,
consistently (no single damaged byte does it; the byte-flip sweep in the tests checks this).
A plain ``.npz`` (``np.savez``, no manifest) gets the count check: it records nothing else.

Examples
--------
A checkpoint of a model and its optimizer:

>>> import os, tempfile
>>> import numpy as np
>>> import nn
>>> model = nn.Linear(2, 1, rng=0)
>>> opt = nn.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = os.path.join(tmp, "checkpoint.npz")
...     _ = nn.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 3}, path)
...     checkpoint = nn.load(path)
>>> model.load_state_dict(checkpoint["model"])
IncompatibleKeys(missing_keys=[], unexpected_keys=[])
>>> opt.load_state_dict(checkpoint["optim"])
>>> checkpoint["epoch"]
3
"""
import contextlib
import errno
import hashlib
import json
import math
import os
import re
import tempfile
import tokenize
import zipfile
import zlib

import numpy as np

import autograd as ag

_MANIFEST = "__nn_manifest__"
_FORMAT = 2         # what save writes; load reads 1 (no listing of the entries, no trailer) too
_FORMATS = (1, 2)
_TRAILER_MARK = b"nn.save "
_TRAILER = re.compile(rb"nn\.save format 2: (\d{1,9}) entries, sha256 ([0-9a-f]{64})")


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
            o = o.numpy()
        if isinstance(o, (np.ndarray, np.generic)):
            arr = np.asarray(o)
            if arr.dtype.kind not in "biufcSU":
                raise TypeError(f"nn.save: {where} has dtype {arr.dtype}, which cannot be "
                                f"stored without pickle")
            key = path or "value"
            if not _plain_name(key):
                # zip entry names cannot hold every string (NUL ends them, "/" makes folders):
                # such an array is stored under its number; the manifest keeps the real path
                key = f"#{len(arrays)}"
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


def _plain_name(key):
    return key.isprintable() and "/" not in key and "\\" not in key


class _Missing(Exception):
    """The manifest refers to an array entry the file does not hold."""


def _decode(root, arrays):
    """(the object rebuilt from the manifest tree, the array entries it used); iterative,
    tuples made last (inner first)."""
    holder = [None]
    tuples = []
    used = set()
    stack = [(root, holder, 0)]
    while stack:
        node, parent, slot = stack.pop()
        t = node["t"]
        if t in ("array", "scalar"):
            key = node["k"]
            if not isinstance(key, str):
                raise ValueError(f"an array entry is named {key!r}")
            if key not in arrays:
                raise _Missing(key)
            used.add(key)
            value = arrays[key] if t == "array" else arrays[key][()]
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
    return holder[0], used


# ----------------------------------------------------------------------------- files
def _digest(infos):
    """sha256 of a zip directory's listing: each entry's name, size and CRC-32, by name."""
    listing = sorted([info.filename, info.file_size, info.CRC] for info in infos)
    return hashlib.sha256(json.dumps(listing).encode()).hexdigest()


def _trailer(infos):
    return b"nn.save format %d: %d entries, sha256 %s" % (_FORMAT, len(infos),
                                                         _digest(infos).encode())


def _write_npz(f, arrays, root, compressed):
    # As np.savez does, but with allow_pickle=False and any entry name (no keyword clash); the
    # manifest, written last since it lists every entry's size, goes first in the directory
    mode = zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED
    with zipfile.ZipFile(f, mode="w", compression=mode, allowZip64=True) as zf:
        entries = []
        for key, arr in arrays.items():
            with zf.open(key + ".npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, arr, allow_pickle=False)
            entries.append([key, zf.getinfo(key + ".npy").file_size])
        text = json.dumps({"format": _FORMAT, "entries": entries, "root": root})
        with zf.open(_MANIFEST + ".npy", "w", force_zip64=True) as member:
            np.lib.format.write_array(member, np.array(text.encode("ascii")),
                                      allow_pickle=False)
        zf.filelist.insert(0, zf.filelist.pop())
        zf.comment = _trailer(zf.filelist)


def _file_mode(path):
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def save(obj, path, compressed=False):
    """Write ``obj`` to ``path`` as an ``.npz`` file, with no pickle.

    ``obj`` is a state dict, or nested dicts/lists/tuples of arrays, Tensors, numbers,
    strings and None. It is written exactly at ``path`` (no suffix added). The file is
    written to a temporary file beside ``path`` and renamed over it, so an interrupted save
    never leaves a half-written ``path``. Tensors are stored as their arrays. An existing
    file's permissions are kept.

    Parameters
    ----------
    obj : dict, list, tuple, array, Tensor, number, str or None
        What to save: a tree of containers (dict keys str or int) whose leaves are arrays
        (bool, int, float, complex, bytes or str dtypes), Tensors, numbers, strings or None.
    path : str or os.PathLike
        The file to write (replaced if it exists).
    compressed : bool, optional
        Deflate the entries (default False), as ``np.savez_compressed``.

    Returns
    -------
    str
        ``path``, as a string.

    Raises
    ------
    TypeError
        If ``obj`` holds something else (an object array, a function, ...) or a dict key that
        is not a str or int; nothing is written.
    ValueError
        If a container contains itself; nothing is written.
    OSError
        If the file cannot be written; ``path`` is left as it was.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> import nn
    >>> model = nn.Linear(2, 1, rng=0)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = nn.save(model.state_dict(), os.path.join(tmp, "model.npz"))
    ...     print(os.path.basename(path), sorted(np.load(path).files))
    model.npz ['__nn_manifest__', 'bias', 'weight']
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     nn.save({"f": print}, os.path.join(tmp, "bad.npz"))
    Traceback (most recent call last):
        ...
    TypeError: nn.save: cannot save 'f' of type builtin_function_or_method: only arrays, ...
    """
    root, arrays = _encode(obj)
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    mode = _file_mode(path)
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp",
                               dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            _write_npz(f, arrays, root, compressed)
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


# Deflate cannot compress better than about 1032:1, so a member that claims more is lying about
# its size (a zip bomb, or a faked ZipInfo.file_size that would make numpy allocate for it).
_MAX_RATIO = 1100
_NOTHING = "nothing from this file was loaded"
# What numpy's header parsing raises on a damaged or crafted header (literal_eval, the
# tokenizer of its Python 2 fallback, dtype construction).
_HEADER_ERRORS = (ValueError, TypeError, OverflowError, SyntaxError, RecursionError,
                  tokenize.TokenError)
# What allocating the declared shape raises when it cannot be an array (a zero-width dtype).
_DATA_ERRORS = (ValueError, TypeError, OverflowError)
_CHUNK = 1 << 18    # bytes per read (numpy reads .npz members so too): small, and fast


def _brief(e):
    text = str(e) or type(e).__name__
    return text if len(text) <= 200 else text[:200] + "..."


def _damaged(path, e, key=None):
    where = "" if key is None else f"entry {key!r}: "
    return ValueError(f"nn.load: {path} is truncated or damaged ({where}{_brief(e)}); "
                      f"{_NOTHING}")


@contextlib.contextmanager
def _zip_errors(path, key=None):
    """Turn what zipfile and zlib raise on a damaged archive into nn.load's ValueError."""
    try:
        yield
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError) as e:
        raise _damaged(path, e, key) from None
    except OSError as e:
        if e.errno != errno.EINVAL:     # a seek to a negative offset; other I/O errors stay
            raise
        raise _damaged(path, e, key) from None


def _read_header(fp):
    """(shape, fortran_order, dtype, header length in bytes) of the .npy stream ``fp``."""
    version = np.lib.format.read_magic(fp)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(fp)
    elif version == (2, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(fp)
    elif version == (3, 0):
        # 3.0 (utf-8 field names in a structured dtype) has no public header reader
        try:
            from numpy.lib._format_impl import _read_array_header
        except ImportError:
            try:
                from numpy.lib.format import _read_array_header
            except ImportError:
                raise ValueError("this numpy cannot read .npy format 3.0 headers") from None
        shape, fortran, dtype = _read_array_header(fp, version)
    else:
        raise ValueError(f"unknown .npy format version {version[0]}.{version[1]}")
    return shape, fortran, dtype, fp.tell()


def _check_size(path, what, shape, dtype, held):
    """Refuse a header whose shape × itemsize is not the bytes that follow it, before numpy
    allocates the declared shape (a 64-byte file may declare terabytes)."""
    if any(type(n) is not int or n < 0 for n in shape):     # numpy lets (True,) through
        raise ValueError(f"nn.load: {path} has a damaged .npy header: {what} declares the "
                         f"shape {shape}; {_NOTHING}")
    need = math.prod(shape) * dtype.itemsize
    if need != held:
        raise ValueError(f"nn.load: {path} is damaged or crafted: {what} declares shape "
                         f"{shape} of {dtype} ({need} bytes), but holds {held} bytes of "
                         f"data; nothing was allocated for it, and {_NOTHING}")


def _check_members(path, infos, size):
    """Refuse, from the central directory alone, what nn.load does not read: members other
    than .npy arrays, repeated names, encryption, unusual compression, sizes no real member
    can have."""
    seen = set()
    total = 0
    for info in infos:
        name = info.filename
        if not name.endswith(".npy"):
            raise ValueError(f"nn.load: {path} has an entry {name!r} that is not a .npy "
                             f"array; nn.load reads only .npz files of .npy entries; "
                             f"{_NOTHING}")
        key = name[:-4]
        if key in seen:
            raise ValueError(f"nn.load: {path} holds entry {key!r} twice; {_NOTHING}")
        seen.add(key)
        if info.flag_bits & 0x1:
            raise ValueError(f"nn.load: {path} entry {key!r} is encrypted; {_NOTHING}")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ValueError(f"nn.load: {path} entry {key!r} uses zip compression method "
                             f"{info.compress_type}; nn.load reads stored or deflated entries "
                             f"(as np.savez and np.savez_compressed write); {_NOTHING}")
        limit = info.compress_size * (1 if info.compress_type == zipfile.ZIP_STORED
                                      else _MAX_RATIO)
        if (info.file_size > limit or info.header_offset < 0
                or info.header_offset + info.compress_size > size):
            raise ValueError(f"nn.load: {path} is damaged or crafted: entry {key!r} claims "
                             f"{info.file_size} bytes from {info.compress_size} compressed "
                             f"bytes in a file of {size} bytes; {_NOTHING}")
        total += info.file_size
    if total > _MAX_RATIO * size:      # members that overlap, each within the ratio
        raise ValueError(f"nn.load: {path} is damaged or crafted: its entries claim {total} "
                         f"bytes in all from a file of {size} bytes; {_NOTHING}")


def _read_array(path, fp, total, key=None):
    """The array in the .npy stream ``fp`` of ``total`` bytes (``key``: its entry in an .npz).
    The header is checked against ``total`` before anything is allocated, then the data is
    read straight into the array in chunks (as numpy's read_array, with one parse of the
    header instead of two)."""
    in_entry = "" if key is None else f" in entry {key!r}"
    try:
        shape, fortran, dtype, header = _read_header(fp)
    except _HEADER_ERRORS as e:
        raise ValueError(f"nn.load: {path} has a damaged .npy header{in_entry} "
                         f"({_brief(e)}); {_NOTHING}") from None
    if dtype.hasobject:
        raise _refuse(path, "holds a pickled object array" if key is None
                      else f"holds pickled objects{in_entry}")
    _check_size(path, "its header" if key is None else f"entry {key!r}", shape, dtype,
                total - header)
    try:
        # np.ndarray, not np.empty, which mishandles zero-width dtypes (as numpy notes too);
        # a zero-width dtype may still declare more elements than an array can index
        out = np.ndarray(math.prod(shape), dtype=dtype)
    except _DATA_ERRORS as e:
        raise _damaged(path, e, key) from None
    if dtype.itemsize:
        data = memoryview(out.view(np.uint8))
        done = 0
        while done < len(data):
            n = fp.readinto(data[done:done + _CHUNK])
            if not n:
                raise _damaged(path, f"the data ends after {done} of {len(data)} bytes", key)
            done += n
    return out.reshape(shape[::-1]).T if fortran else out.reshape(shape)


def _read_entry(path, zf, info):
    key = info.filename[:-4]
    with _zip_errors(path, key), zf.open(info) as m:
        return _read_array(path, m, info.file_size, key)


def _end_counts(fh):
    """(entries on this disk, entries in all) as the zip's end record counts them (zipfile
    reads the directory by its size in bytes and never compares the count), or None if this
    Python's zipfile has no reader for it."""
    read = getattr(zipfile, "_EndRecData", None)
    record = read(fh) if read is not None else None
    return None if record is None else (record[3], record[4])


def _malformed(path, e):
    if isinstance(e, RecursionError):
        e = "it is nested too deeply to read"
    return ValueError(f"nn.load: {path} has a malformed {_MANIFEST} entry: {e}")


def _parse_manifest(path, manifest):
    """The manifest's JSON, checked: {"format", "root"} and, from format 2, "entries"."""
    try:
        if manifest.dtype.kind not in "SU" or manifest.ndim != 0:
            raise ValueError("the manifest is not a string")
        text = manifest[()]
        meta = json.loads(text.decode("ascii") if isinstance(text, bytes) else str(text))
        if not isinstance(meta, dict):
            raise ValueError("the manifest is not a JSON object")
        if meta.get("format") not in _FORMATS or isinstance(meta.get("format"), bool):
            raise ValueError(f"format {meta.get('format')!r} is not one of {_FORMATS}")
        if "root" not in meta:
            raise ValueError("it has no 'root'")
        if meta["format"] >= 2:
            entries = meta.get("entries")
            if not isinstance(entries, list) or not all(
                    isinstance(e, list) and len(e) == 2 and isinstance(e[0], str)
                    and type(e[1]) is int and e[1] >= 0 for e in entries):
                raise ValueError("its 'entries' is not a list of [name, size] pairs")
            if len({name for name, _ in entries}) != len(entries):
                raise ValueError("its 'entries' lists an entry twice")
        return meta
    except (ValueError, RecursionError) as e:
        raise _malformed(path, e) from None


def _names(keys, limit=5):
    """'a', 'b' and 3 others: a list of entry names, cut short."""
    shown = ", ".join(repr(k) for k in keys[:limit])
    return shown + (f" and {len(keys) - limit} others" if len(keys) > limit else "")


def _parse_trailer(path, comment):
    """(count, digest) from the trailer nn.save writes as the zip archive comment; None when
    the comment is not one (a plain .npz, or a file of format 1)."""
    if not comment.startswith(_TRAILER_MARK):
        return None
    match = _TRAILER.fullmatch(comment)
    if match is None:
        raise ValueError(f"nn.load: {path} is damaged: its trailer (the zip archive comment "
                         f"nn.save writes) is unreadable: {_brief(repr(comment))}; {_NOTHING}")
    return int(match[1]), match[2].decode()


def _check_complete(path, infos, counts, meta, comment):
    """Refuse a file that does not hold exactly the entries it was written with: those its
    manifest lists (format 2), those its trailer counts and digests, those its end record
    counts."""
    trailer = _parse_trailer(path, comment)
    if meta is not None and meta["format"] >= 2:
        listed = dict(meta["entries"])
        held = {info.filename[:-4]: info.file_size for info in infos
                if info.filename != _MANIFEST + ".npy"}
        missing = [k for k in listed if k not in held]
        extra = [k for k in held if k not in listed]
        resized = [k for k in listed if k in held and held[k] != listed[k]]
        problems = []
        if missing:
            problems.append(f"missing {_names(missing)}")
        if extra:
            problems.append(f"extra {_names(extra)}, which it does not list")
        for k in resized[:5]:
            problems.append(f"{k!r} holds {held[k]} bytes, not the {listed[k]} it lists")
        if problems:
            raise ValueError(f"nn.load: {path} is damaged: its entries are not those its "
                             f"manifest lists ({'; '.join(problems)}); {_NOTHING}")
        if trailer is None:
            raise ValueError(f"nn.load: {path} is damaged: its trailer (the zip archive "
                             f"comment nn.save writes after the zip directory) is missing; "
                             f"{_NOTHING}")
    elif meta is None and trailer is not None:
        raise ValueError(f"nn.load: {path} is damaged: entry {_MANIFEST!r} is missing (its "
                         f"trailer says nn.save wrote the file); {_NOTHING}")
    if trailer is not None and trailer[0] != len(infos):
        raise ValueError(f"nn.load: {path} is damaged: its zip directory lists {len(infos)} "
                         f"entries, but its trailer records the {trailer[0]} nn.save wrote; "
                         f"{_NOTHING}")
    if trailer is not None and trailer[1] != _digest(infos):
        raise ValueError(f"nn.load: {path} is damaged: the names, sizes and CRC-32s in its zip "
                         f"directory do not match the digest its trailer records; {_NOTHING}")
    if counts is not None and counts != (len(infos), len(infos)):
        raise ValueError(f"nn.load: {path} is truncated or damaged: its zip end record "
                         f"counts {counts[1]} entries, but its directory holds {len(infos)}; "
                         f"{_NOTHING}")


def _read_npz(path, fh):
    """(the manifest's JSON or None, {entry: array}): the manifest is read and the entries
    checked complete before any other entry is read."""
    size = os.fstat(fh.fileno()).st_size
    with _zip_errors(path):
        zf = zipfile.ZipFile(fh)
        counts = _end_counts(fh)
    with zf:
        infos = zf.infolist()
        _check_members(path, infos, size)
        meta = None
        for info in infos:
            if info.filename == _MANIFEST + ".npy":
                meta = _parse_manifest(path, _read_entry(path, zf, info))
        _check_complete(path, infos, counts, meta, zf.comment)
        arrays = {info.filename[:-4]: _read_entry(path, zf, info) for info in infos
                  if info.filename != _MANIFEST + ".npy"}
        return meta, arrays


def load(path):
    """Read what :func:`save` wrote: the same structure, arrays as numpy arrays.

    Tensors come back as arrays. A plain ``.npz`` (from ``np.savez``) gives a dict of its
    arrays; a ``.npy`` gives its array.

    Never unpickles, and checks before it allocates: pickled content, a member that is not a
    ``.npy`` array, a header whose shape does not match the bytes that follow it, and a
    truncated or damaged file each raise ValueError naming the file (and the entry), with
    nothing of the file returned. Never returns part of a file: the entries must be exactly
    those the manifest lists, with the sizes it lists, and those the trailer counts and
    digests (files of format 1, from before the listing and the trailer, must hold exactly
    the entries their manifest uses); any zip's directory must hold as many entries as its
    end record counts.

    Parameters
    ----------
    path : str or os.PathLike
        An ``.npz`` or ``.npy`` file.

    Returns
    -------
    object
        The saved object (dicts, lists, tuples, arrays, numbers, strings, None); a dict of
        arrays for a plain ``.npz``; an array for a ``.npy``.

    Raises
    ------
    ValueError
        If the file holds pickled data, is not an ``.npz`` or ``.npy`` file, holds a member
        that is not a ``.npy`` array, declares sizes its bytes do not hold, is truncated or
        damaged (an entry missing, extra or of another size than its manifest lists, a
        directory that does not match its trailer or its end record), or has a malformed
        manifest. The message starts ``nn.load: <path>`` and names the entries at fault;
        nothing of the file is returned.
    OSError
        If the file cannot be opened (``FileNotFoundError``, say).

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> import nn
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "data.npz")
    ...     _ = nn.save({"w": np.array([1.0, 2.0]), "sizes": (2, 3), "name": "xor"}, path)
    ...     print(nn.load(path))
    ...     np.save(os.path.join(tmp, "a.npy"), np.arange(3))
    ...     print(nn.load(os.path.join(tmp, "a.npy")))
    {'w': array([1., 2.]), 'sizes': (2, 3), 'name': 'xor'}
    [0 1 2]

    Pickled content is refused, unread:

    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "objects.npy")
    ...     np.save(path, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    ...     nn.load(path)
    Traceback (most recent call last):
        ...
    ValueError: nn.load: ...objects.npy holds a pickled object array; refusing to load it, ...
    """
    path = os.fspath(path)
    with open(path, "rb") as fh:
        head = fh.read(len(np.lib.format.MAGIC_PREFIX))
        fh.seek(0)
        if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):   # as np.load tells a zip
            meta, arrays = _read_npz(path, fh)
        elif head == np.lib.format.MAGIC_PREFIX:
            return _read_array(path, fh, os.fstat(fh.fileno()).st_size)
        elif not head:
            raise ValueError(f"nn.load: {path} is truncated or damaged (the file is empty); "
                             f"{_NOTHING}")
        elif head[:1] == b"\x80":     # the opcode that starts a pickle (protocol 2 and up)
            raise _refuse(path, "holds pickled data")
        else:
            raise ValueError(f"nn.load: {path} is not a .npz or .npy file, so it was not "
                             f"read (numpy would treat it as a pickle, which nn.load never "
                             f"loads)")
    if meta is None:
        return arrays
    try:
        obj, used = _decode(meta["root"], arrays)
    except _Missing as e:
        raise ValueError(f"nn.load: {path} is damaged: entry {e.args[0]!r}, which its manifest "
                         f"refers to, is missing; {_NOTHING}") from None
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError) as e:
        raise _malformed(path, e) from None
    unused = [k for k in arrays if k not in used]
    if unused:
        raise ValueError(f"nn.load: {path} is damaged: it holds {_names(unused)}, which its "
                         f"manifest does not refer to; {_NOTHING}")
    return obj
