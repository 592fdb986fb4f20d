"""nn.load on files that are truncated, corrupted or crafted to attack: each fails with a clear
ValueError naming nn.load and the file, fast, without allocating what a header claims, and
nothing in the file ever runs (pickles whose unpickling would create a marker file are used
throughout, and the marker never appears).

The contract every case checks: ``ValueError`` whose message starts ``nn.load: <path> `` and
says what is wrong. A damaged file is never loaded in part: entries lost from a damaged zip
directory are named, and every byte of a small checkpoint flipped in turn gives that error or
exactly the original (the sweep at the end). """
import io
import json
import os
import pickle
import re
import struct
import time
import tracemalloc
import zipfile

import numpy as np
import pytest

import nn


# ----------------------------------------------------------------------------- crafting
class _Armed:
    """Unpickling this calls open(marker, "w"): it creates the marker file. Any code could run
    in its place, so the marker must never appear."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _npy(header, payload=b""):
    """A version-1.0 .npy: magic, header length, ``header`` (text, padded as numpy does)."""
    h = header.encode("latin1")
    h += b" " * (63 - (10 + len(h)) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h + payload


def _header(shape, descr="<f8"):
    return "{'descr': %r, 'fortran_order': False, 'shape': %r, }" % (descr, tuple(shape))


def _zip(path, members):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return str(path)


def _npy_of(arr):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, arr, allow_pickle=False)
    return buf.getvalue()


def _error(path, what):
    """The message pattern: nn.load, the file, then what is wrong (a regex)."""
    return rf"^nn\.load: {re.escape(str(path))} .*{what}"


@pytest.fixture
def marker(tmp_path):
    m = tmp_path / "MARKER_code_ran"
    yield m
    assert not m.exists(), "code from the file ran"


@pytest.fixture
def good(tmp_path):
    """A model and the file nn.save wrote of its state dict."""
    model = nn.MLP([3, 4, 2], rng=0)
    path = tmp_path / "model.npz"
    nn.save(model.state_dict(), path)
    return model, path


def test_the_armed_pickle_really_runs_code_when_unpickled(tmp_path):
    """The control: the payload used below is live (so not creating the marker means
    something)."""
    m = tmp_path / "control"
    pickle.loads(pickle.dumps(_Armed(m)))
    assert m.exists()


def test_a_good_file_round_trips(good):
    model, path = good
    state = nn.load(path)
    other = nn.MLP([3, 4, 2], rng=1)
    other.load_state_dict(state)
    for (k, a), (k2, b) in zip(model.state_dict().items(), other.state_dict().items()):
        assert k == k2
        np.testing.assert_array_equal(a, b)


# ----------------------------------------------------------------------------- damaged
@pytest.mark.parametrize("keep", [
    pytest.param(0.0, id="empty"),
    pytest.param(8, id="8-bytes"),
    pytest.param(0.5, id="half"),
    pytest.param(-30, id="central-directory-cut"),
])
def test_a_truncated_file_is_a_clear_error(good, keep):
    _, path = good
    data = path.read_bytes()
    n = int(len(data) * keep) if isinstance(keep, float) else keep % len(data)
    path.write_bytes(data[:n])
    with pytest.raises(ValueError, match=_error(path, r"(truncated|damaged|corrupt|not a)")):
        nn.load(path)


def test_random_bytes_are_not_an_npz(tmp_path):
    path = tmp_path / "noise.npz"
    path.write_bytes(np.random.default_rng(0).bytes(500))
    with pytest.raises(ValueError, match=_error(path, r"not a \.npz or \.npy file")):
        nn.load(path)


def test_random_bytes_behind_a_zip_signature_are_a_clear_error(tmp_path):
    path = tmp_path / "noise.npz"
    path.write_bytes(b"PK\x03\x04" + np.random.default_rng(1).bytes(500))
    with pytest.raises(ValueError, match=_error(path, r"(damaged|corrupt|not a)")):
        nn.load(path)


def test_a_zip_with_a_damaged_member_is_a_clear_error_naming_it(good):
    model, path = good
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("2.bias.npy")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size - 4:start + info.compress_size] = b"\xff\xfe\xfd\xfc"
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=_error(path, r"(damaged|corrupt).*2\.bias")):
        nn.load(path)


# ----------------------------------------------------------------------------- pickles
@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_a_pickle_is_refused_whatever_its_protocol(tmp_path, marker, protocol):
    path = tmp_path / "model.npz"
    path.write_bytes(pickle.dumps(_Armed(marker), protocol=protocol))
    with pytest.raises(ValueError, match=_error(path, r"(pickle|not a \.npz)")):
        nn.load(path)


def test_an_object_array_in_an_npz_is_refused_unread(tmp_path, marker):
    path = tmp_path / "model.npz"
    np.savez(path, **{"0.weight": np.array([_Armed(marker)], dtype=object)})
    with pytest.raises(ValueError, match=_error(path, r"pickled objects in entry '0\.weight'.*"
                                                      r"nothing from this file was loaded")):
        nn.load(path)


def test_an_object_field_in_a_structured_array_is_refused_unread(tmp_path, marker):
    path = tmp_path / "model.npz"
    arr = np.array([(1.0, _Armed(marker))], dtype=[("x", "f8"), ("o", "O")])
    np.savez(path, w=arr)
    with pytest.raises(ValueError, match=_error(path, r"pickled")):
        nn.load(path)


def test_an_object_array_in_an_npy_is_refused_unread(tmp_path, marker):
    path = tmp_path / "weights.npy"
    np.save(path, np.array([_Armed(marker)], dtype=object))
    with pytest.raises(ValueError, match=_error(path, r"pickled object array")):
        nn.load(path)


def test_a_pickle_hidden_behind_a_float_header_is_not_unpickled(tmp_path, marker):
    """The header says float64 and the data is a pickle: read as bytes, never unpickled."""
    payload = pickle.dumps(_Armed(marker))
    n = len(payload) // 8
    path = _zip(tmp_path / "model.npz", {"w.npy": _npy(_header((n,)), payload[:8 * n])})
    loaded = nn.load(path)
    assert loaded["w"].dtype == np.float64 and loaded["w"].shape == (n,)


@pytest.mark.parametrize("container", [
    "npy",
    "npz",
])
def test_code_in_an_npy_header_is_not_evaluated(tmp_path, marker, container):
    header = ("{'descr': __import__('pathlib').Path(%r).touch(), 'fortran_order': False, "
              "'shape': (2,), }" % str(marker))
    data = _npy(header, b"\0" * 16)
    if container == "npy":
        path = tmp_path / "w.npy"
        path.write_bytes(data)
    else:
        path = _zip(tmp_path / "model.npz", {"w.npy": data})
    with pytest.raises(ValueError, match=_error(path, r"(damaged|malformed|header)")):
        nn.load(path)


# ----------------------------------------------------------------------------- huge shapes
def _load_measured(path):
    """nn.load(path), returning (exception, seconds, peak traced bytes)."""
    tracemalloc.start()
    t = time.perf_counter()
    try:
        nn.load(path)
        error = None
    except Exception as e:     # noqa: BLE001 - examined by the caller
        error = e
    seconds = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return error, seconds, peak


@pytest.mark.parametrize("container", ["npz", "npy"])
@pytest.mark.parametrize("shape", [(10**6, 10**6), (2**14, 2**14)], ids=["7TiB", "2GiB"])
def test_a_huge_declared_shape_fails_fast_without_allocating(tmp_path, container, shape):
    data = _npy(_header(shape), b"\0" * 64)
    if container == "npz":
        path = _zip(tmp_path / "model.npz", {"w.npy": data})
    else:
        path = tmp_path / "w.npy"
        path.write_bytes(data)
    error, seconds, peak = _load_measured(path)
    assert isinstance(error, ValueError), repr(error)
    assert re.match(_error(path, re.escape(str(shape))), str(error)), str(error)
    assert seconds < 1.0
    assert peak < 64 * 2**20, f"{peak / 2**20:.0f} MiB allocated"


def test_a_consistent_file_is_loaded_with_no_more_memory_than_its_arrays(tmp_path):
    """The measure the huge-shape test uses, on a real 8 MB array: the peak stays near it."""
    path = tmp_path / "big.npz"
    nn.save({"w": np.ones((1000, 1000))}, path)
    error, _, peak = _load_measured(path)
    assert error is None
    assert 8e6 <= peak < 3 * 8e6


# ----------------------------------------------------------------------------- odd members
def test_an_npz_with_a_member_that_is_not_npy_is_refused(tmp_path):
    path = _zip(tmp_path / "model.npz", {"readme.txt": b"hello",
                                         "w.npy": _npy_of(np.ones(2))})
    with pytest.raises(ValueError, match=_error(path, r"'readme\.txt'.*not .*\.npy")):
        nn.load(path)


def _manifest_file(path, text):
    return _zip(path, {"__nn_manifest__.npy": _npy_of(np.array(text)),
                       "w.npy": _npy_of(np.ones(2))})


@pytest.mark.parametrize("text", [
    json.dumps({"format": 1, "root": {"t": "exec", "v": "import os"}}),
    json.dumps({"format": 1, "root": {"t": "dict", "items": [[["a"], {"t": "none"}]]}}),
    json.dumps({"format": 1, "root": {"t": "int", "v": "1"}}),
    json.dumps({"format": 1, "root": {"t": "array", "k": ["w"]}}),
    json.dumps({"format": 99, "root": {"t": "none"}}),
    json.dumps({"format": 2, "entries": [["w", "16"]], "root": {"t": "none"}}),
    json.dumps({"format": 2, "entries": [["w", 144], ["w", 144]], "root": {"t": "none"}}),
    json.dumps({"format": 2, "entries": [["w", 144]]}),
    json.dumps([1, 2]),
    "not json",
], ids=["unknown-type", "list-as-key", "string-as-int", "list-as-entry", "format",
        "string-as-size", "listed-twice", "no-root", "not-an-object", "text"])
def test_a_malformed_manifest_is_a_clear_error(tmp_path, text):
    path = _manifest_file(tmp_path / "model.npz", text)
    with pytest.raises(ValueError, match=_error(path, r"malformed __nn_manifest__")):
        nn.load(path)


def test_a_manifest_naming_an_entry_the_file_lacks_names_it(tmp_path):
    text = json.dumps({"format": 1, "root": {"t": "array", "k": "gone"}})
    path = _manifest_file(tmp_path / "model.npz", text)
    with pytest.raises(ValueError, match=_error(path, r"damaged: entry 'gone', which its "
                                                      r"manifest refers to, is missing")):
        nn.load(path)


def test_a_deeply_nested_manifest_is_a_clear_error(tmp_path):
    n = 100_000
    text = ('{"format": 1, "root": ' + '{"t": "list", "items": [' * n + ']}' * n + '}')
    path = _manifest_file(tmp_path / "model.npz", text)
    with pytest.raises(ValueError, match=_error(path, r"malformed __nn_manifest__")):
        nn.load(path)


# ----------------------------------------------------------------------------- wrong dtypes
WRONG = {
    "string": np.array([["a"] * 4] * 3),
    "bytes": np.array([[b"a"] * 4] * 3),
    "complex": np.ones((3, 4), dtype=complex),
    "structured": np.zeros((3, 4), dtype=[("a", "f8"), ("b", "i4")]),
    "datetime": np.zeros((3, 4), dtype="datetime64[s]"),
}


@pytest.mark.parametrize("kind", list(WRONG))
def test_a_wrong_dtype_where_floats_are_expected_is_refused_and_changes_nothing(
        tmp_path, good, kind):
    model, path = good
    state = nn.load(path)
    state["0.weight"] = WRONG[kind]
    np.savez(tmp_path / "bad.npz", **state)
    before = {k: v.copy() for k, v in model.state_dict().items()}
    loaded = nn.load(tmp_path / "bad.npz")
    with pytest.raises(ValueError, match=r"MLP\.load_state_dict: nothing was loaded:\s+"
                                         r"'0\.weight': expected a numeric array, got dtype"):
        model.load_state_dict(loaded)
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v, before[k])


def _trained_adam():
    model = nn.MLP([3, 2], rng=0)
    opt = nn.optim.Adam(model.parameters(), lr=0.1)
    model(np.ones((1, 3))).sum().backward()
    opt.step()
    return model, opt


@pytest.mark.parametrize("kind", ["string", "complex", "structured"])
def test_an_optimizer_state_file_with_a_wrong_dtype_is_refused(tmp_path, kind):
    _, opt = _trained_adam()
    path = tmp_path / "opt.npz"
    nn.save(opt.state_dict(), path)
    state = nn.load(path)
    state["state"][0]["exp_avg"] = WRONG[kind][:, :2]
    before = opt.state_dict()
    with pytest.raises(ValueError, match=r"Adam\.load_state_dict: .*exp_avg.*dtype"):
        opt.load_state_dict(state)
    after = opt.state_dict()
    np.testing.assert_array_equal(after["state"][0]["exp_avg"], before["state"][0]["exp_avg"])


def test_a_state_file_with_a_wrong_shape_is_refused_and_changes_nothing(tmp_path, good):
    model, path = good
    state = nn.load(path)
    state["2.bias"] = np.zeros(5)
    before = {k: v.copy() for k, v in model.state_dict().items()}
    with pytest.raises(ValueError, match=r"'2\.bias': shape \(5,\) in the state dict, but the "
                                         r"parameter has shape \(2,\)"):
        model.load_state_dict(state)
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v, before[k])


def test_a_missing_file_names_its_path(tmp_path):
    path = tmp_path / "nowhere.npz"
    with pytest.raises(FileNotFoundError, match=re.escape(str(path))):
        nn.load(path)


def test_loading_never_writes_beside_the_file(tmp_path, good):
    _, path = good
    before = sorted(os.listdir(tmp_path))
    nn.load(path)
    assert sorted(os.listdir(tmp_path)) == before


# ----------------------------------------------------------------------------- lost entries
# A damaged zip directory can lose entries with no error from zipfile (a length field that
# grows makes it stop reading the directory early): nn.load must refuse such a file, never
# return the entries that are left as if they were the whole.
def _checkpoint():
    """A small model's state dict and its optimizer's state (SGD with momentum, one step)."""
    model = nn.Linear(2, 1, rng=0)
    opt = nn.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model(np.ones((1, 2))).sum().backward()
    opt.step()
    return {"model": model.state_dict(), "optim": opt.state_dict()}


def _save_format_1(obj, path, compressed=False):
    """What nn.save wrote before the listing and the trailer: a format-1 manifest (a str, with
    no sizes) as the last entry, and no archive comment."""
    root, arrays = nn.io._encode(obj)
    arrays["__nn_manifest__"] = np.array(json.dumps({"format": 1, "root": root}))
    mode = zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", compression=mode, allowZip64=True) as z:
        for key, arr in arrays.items():
            with z.open(key + ".npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, arr, allow_pickle=False)
    return str(path)


def _save_plain(obj, path):
    """np.savez of the checkpoint's arrays: no manifest, no trailer."""
    np.savez(path, **{k.replace(".", "_"): v for k, v in _arrays(obj).items()})
    return str(path)


def _arrays(obj, prefix=""):
    if isinstance(obj, np.ndarray):
        return {prefix: obj}
    items = obj.items() if isinstance(obj, dict) else enumerate(obj)
    out = {}
    for k, v in items:
        if isinstance(v, (dict, list, tuple, np.ndarray)):
            out.update(_arrays(v, f"{prefix}.{k}" if prefix else str(k)))
    return out


def _same(a, b):
    """Equal in every key, type and bit (arrays: dtype, shape and bytes)."""
    if isinstance(a, np.ndarray):
        return (isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape
                and a.tobytes() == b.tobytes())
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, dict):
        return (isinstance(b, dict) and list(a) == list(b)
                and all(_same(a[k], b[k]) for k in a))
    return type(a) is type(b) and a == b


def _rezip(src, dst, drop=(), put=None, comment=None):
    """Copy the zip ``src`` to ``dst`` entry by entry (the same bytes, in the same order),
    without the entries in ``drop``, with those in ``put`` ({name: bytes}) replaced or added,
    and with ``src``'s archive comment unless ``comment`` is given."""
    with zipfile.ZipFile(src) as z:
        members = {info.filename: z.read(info) for info in z.infolist()}
        kept = z.comment if comment is None else comment
    for name in drop:
        del members[name]
    members.update(put or {})
    with zipfile.ZipFile(dst, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
        z.comment = kept
    return str(dst)


def _central_records(data):
    """(offset, name) of each record of the zip directory, from its end record."""
    end = data.rindex(b"PK\x05\x06")
    count, _, start = struct.unpack("<HII", data[end + 10:end + 20])
    records, at = [], start
    for _ in range(count):
        n, m, k = struct.unpack("<HHH", data[at + 28:at + 34])
        records.append((at, data[at + 46:at + 46 + n].decode()))
        at += 46 + n + m + k
    return records


def _cut_directory(path, after):
    """The damage that loses entries silently: record ``after``'s comment length grows to
    0xFFFF, so zipfile takes every later record for that comment, and stops."""
    data = bytearray(open(path, "rb").read())
    at = _central_records(bytes(data))[after][0]
    data[at + 32:at + 34] = b"\xff\xff"
    open(path, "wb").write(bytes(data))
    with zipfile.ZipFile(path) as z:        # the control: zipfile reads fewer, silently
        return [info.filename for info in z.infolist()]


@pytest.fixture
def saved(tmp_path):
    """The checkpoint, and the file nn.save wrote of it (format 2)."""
    obj = _checkpoint()
    path = tmp_path / "checkpoint.npz"
    nn.save(obj, path)
    return obj, path


def test_a_directory_that_silently_loses_entries_is_refused_naming_them(saved):
    _, path = saved
    left = _cut_directory(path, after=1)
    assert left == ["__nn_manifest__.npy", "optim.state.1.momentum_buffer.npy"]
    with pytest.raises(ValueError, match=_error(
            path, r"is damaged: its entries are not those its manifest lists \(missing "
                  r"'optim\.state\.0\.momentum_buffer', 'model\.bias', 'model\.weight'\); "
                  r"nothing from this file was loaded")):
        nn.load(path)


@pytest.mark.parametrize("writer", [_save_format_1, _save_plain], ids=["format-1", "np.savez"])
def test_a_directory_that_silently_loses_entries_is_refused_without_a_trailer(
        tmp_path, writer):
    path = writer(_checkpoint(), tmp_path / "old.npz")
    total = len(_central_records(open(path, "rb").read()))
    left = _cut_directory(path, after=1)
    assert len(left) == 2 < total
    with pytest.raises(ValueError, match=_error(
            path, rf"truncated or damaged: its zip end record counts {total} entries, but "
                  rf"its directory holds 2")):
        nn.load(path)


def test_a_file_of_format_1_still_loads_exactly(tmp_path):
    obj = _checkpoint()
    path = _save_format_1(obj, tmp_path / "old.npz")
    assert _same(nn.load(path), obj)
    path = _save_format_1(obj, tmp_path / "old-compressed.npz", compressed=True)
    assert _same(nn.load(path), obj)


def test_a_file_of_format_1_with_an_entry_its_manifest_does_not_use_is_refused(tmp_path):
    old = _save_format_1(_checkpoint(), tmp_path / "old.npz")
    path = _rezip(old, tmp_path / "more.npz", put={"stray.npy": _npy_of(np.ones(2))})
    with pytest.raises(ValueError, match=_error(path, r"damaged: it holds 'stray', which its "
                                                      r"manifest does not refer to")):
        nn.load(path)


def test_a_file_copied_entry_by_entry_still_loads(saved, tmp_path):
    """The control for the tests below: the checks are of the entries, not of the bytes."""
    obj, path = saved
    assert _same(nn.load(_rezip(path, tmp_path / "copy.npz")), obj)


@pytest.mark.parametrize("change, what", [
    (dict(drop=["model.bias.npy"]), r"its entries are not those its manifest lists \(missing "
                                    r"'model\.bias'\)"),
    (dict(put={"extra.npy": _npy_of(np.ones(2))}),
     r"its entries are not those its manifest lists \(extra 'extra', which it does not "
     r"list\)"),
    (dict(put={"model.bias.npy": _npy_of(np.zeros(2))}),
     r"its entries are not those its manifest lists \('model\.bias' holds 144 bytes, not "
     r"the 136 it lists\)"),
    (dict(put={"model.bias.npy": _npy_of(np.array([7.0]))}),
     r"the names, sizes and CRC-32s in its zip directory do not match the digest its "
     r"trailer records"),
    (dict(comment=b""), r"its trailer \(the zip archive comment nn\.save writes after the "
                        r"zip directory\) is missing"),
    (dict(comment=b"nn.save format 2: five entries"),
     r"its trailer \(the zip archive comment nn\.save writes\) is unreadable"),
    (dict(drop=["__nn_manifest__.npy"]), r"entry '__nn_manifest__' is missing \(its trailer "
                                         r"says nn\.save wrote the file\)"),
], ids=["missing", "extra", "resized", "changed", "no-trailer", "bad-trailer", "no-manifest"])
def test_entries_not_as_saved_are_refused_naming_them(saved, tmp_path, change, what):
    _, path = saved
    bad = _rezip(path, tmp_path / "bad.npz", **change)
    with pytest.raises(ValueError, match=_error(bad, what + r".*nothing from this file was "
                                                            r"loaded")):
        nn.load(bad)


def test_a_trailer_counting_other_entries_is_refused(saved, tmp_path):
    _, path = saved
    with zipfile.ZipFile(path) as z:
        trailer = z.comment
    old = _save_format_1(_checkpoint(), tmp_path / "old.npz")
    bad = _rezip(old, tmp_path / "bad.npz", comment=trailer.replace(b" 5 ", b" 6 "))
    with pytest.raises(ValueError, match=_error(bad, r"its zip directory lists 5 entries, but "
                                                     r"its trailer records the 6")):
        nn.load(bad)


def test_an_end_record_counting_other_entries_is_refused(tmp_path):
    path = tmp_path / "plain.npz"
    np.savez(path, a=np.ones(2), b=np.zeros(3))
    data = bytearray(path.read_bytes())
    end = data.rindex(b"PK\x05\x06")
    data[end + 8:end + 12] = struct.pack("<HH", 3, 3)
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=_error(path, r"its zip end record counts 3 entries, "
                                                      r"but its directory holds 2")):
        nn.load(path)


# The sweep: every byte of a small checkpoint flipped in turn (xor 0xFF, and xor 0x01: a
# length one longer or shorter). nn.load must raise ValueError or give back exactly the
# original: never a partial dict, never another exception. FUZZ_EXAMPLES (as `make fuzz` sets
# it) adds the long variant, a few minutes: every single-bit flip too, on a compressed file, a
# bigger checkpoint (an MLP and Adam), a file of format 1 and a plain np.savez:
#     FUZZ_EXAMPLES=1 .venv/bin/python -m pytest tests/test_nn_hostile_files.py -k flipped
_LONG = int(os.environ.get("FUZZ_EXAMPLES", "0") or 0)
_ALL_FLIPS = (0xFF, 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80)


def _sweep(path, xors):
    """Flip each byte of ``path`` with each of ``xors``; (failures, refusals, returns)."""
    original = nn.load(path)
    data = open(path, "rb").read()
    flipped = os.path.join(os.path.dirname(path), "flipped.npz")
    failures, refused, returned = [], 0, 0
    for x in xors:
        for at in range(len(data)):
            with open(flipped, "wb") as f:
                f.write(data[:at] + bytes([data[at] ^ x]) + data[at + 1:])
            try:
                back = nn.load(flipped)
            except ValueError as e:
                if not str(e).startswith(f"nn.load: {flipped} "):
                    failures.append((at, x, f"ValueError not naming the file: {e}"))
                refused += 1
                continue
            except Exception as e:      # noqa: BLE001 - any other exception is a failure
                failures.append((at, x, f"{type(e).__name__}: {e}"))
                continue
            if _same(back, original):
                returned += 1
            else:
                failures.append((at, x, f"returned {_brief(back)}"))
    return failures, refused, returned


def _brief(obj):
    text = repr(obj)
    return text if len(text) < 160 else text[:160] + "..."


def _assert_sweep(path, xors):
    failures, refused, returned = _sweep(path, xors)
    size = os.path.getsize(path)
    assert not failures, (f"{len(failures)} of {size * len(xors)} flips of {size} bytes: " +
                          "; ".join(f"offset {at} ^ {x:#04x}: {what}"
                                    for at, x, what in failures[:10]))
    assert refused + returned == size * len(xors)
    assert refused > returned           # the control: most bytes matter


@pytest.mark.parametrize("xor", [0xFF, 0x01], ids=["xor-ff", "xor-01"])
def test_every_byte_flipped_is_refused_or_changes_nothing(saved, xor):
    _, path = saved
    assert os.path.getsize(path) < 4096         # small: the sweep is a few seconds
    _assert_sweep(str(path), [xor])


def test_every_byte_flipped_in_a_file_of_format_1_is_refused_or_changes_nothing(tmp_path):
    """The model's state dict alone: a format-1 manifest is 4 bytes a character."""
    path = _save_format_1(_checkpoint()["model"], tmp_path / "old.npz")
    assert os.path.getsize(path) < 2048
    _assert_sweep(path, [0xFF])


def _bigger_checkpoint():
    model = nn.MLP([3, 4, 2], rng=0)
    opt = nn.optim.Adam(model.parameters(), lr=0.1)
    model(np.ones((1, 3))).sum().backward()
    opt.step()
    return {"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 3}


@pytest.mark.skipif(not _LONG, reason="the long sweep runs with FUZZ_EXAMPLES (make fuzz)")
@pytest.mark.parametrize("kind", ["format-2", "compressed", "bigger", "format-1", "np.savez"])
def test_every_bit_flipped_is_refused_or_changes_nothing_long(tmp_path, kind):
    path = str(tmp_path / f"{kind}.npz")
    if kind == "format-2":
        nn.save(_checkpoint(), path)
    elif kind == "compressed":
        nn.save(_checkpoint(), path, compressed=True)
    elif kind == "bigger":
        nn.save(_bigger_checkpoint(), path)
    elif kind == "format-1":
        _save_format_1(_checkpoint(), path)
    else:
        _save_plain(_checkpoint(), path)
    _assert_sweep(path, _ALL_FLIPS)
