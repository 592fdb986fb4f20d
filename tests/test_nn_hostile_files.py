"""nn.load on files that are truncated, corrupted or crafted to attack: each fails with a clear
ValueError naming nn.load and the file, fast, without allocating what a header claims, and
nothing in the file ever runs (pickles whose unpickling would create a marker file are used
throughout, and the marker never appears).

The contract every case checks: ``ValueError`` whose message starts ``nn.load: <path> `` and
says what is wrong. """
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
    json.dumps({"format": 1, "root": {"t": "array", "k": "missing"}}),
    json.dumps({"format": 1, "root": {"t": "exec", "v": "import os"}}),
    json.dumps({"format": 1, "root": {"t": "dict", "items": [[["a"], {"t": "none"}]]}}),
    json.dumps({"format": 1, "root": {"t": "int", "v": "1"}}),
    json.dumps({"format": 99, "root": {"t": "none"}}),
    "not json",
], ids=["missing-entry", "unknown-type", "list-as-key", "string-as-int", "format", "text"])
def test_a_malformed_manifest_is_a_clear_error(tmp_path, text):
    path = _manifest_file(tmp_path / "model.npz", text)
    with pytest.raises(ValueError, match=_error(path, r"malformed __nn_manifest__")):
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
