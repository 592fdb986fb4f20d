"""nn.save / nn.load: round trips, refused pickles, and saves that are interrupted midway."""
import os
import pickle

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import autograd as ag
import nn


def _touch_marker(path):
    """What unpickling the payload below would run."""
    with open(path, "w") as f:
        f.write("unpickled")


class Payload:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (_touch_marker, (self.marker,))


def test_model_state_round_trip(tmp_path):
    model = nn.MLP([3, 5, 2], rng=0, dtype=np.float32)
    path = tmp_path / "model.npz"
    assert nn.save(model.state_dict(), path) == str(path)
    loaded = nn.load(path)
    assert list(loaded) == list(model.state_dict())
    other = nn.MLP([3, 5, 2], rng=1, dtype=np.float32)
    other.load_state_dict(loaded)
    for (n, p), (_, q) in zip(model.named_parameters(), other.named_parameters()):
        np.testing.assert_array_equal(p.data, q.data, err_msg=n)
        assert q.dtype == np.float32
    # the file is a plain .npz that numpy reads with pickling off, entries by dotted name
    with np.load(path, allow_pickle=False) as raw:
        np.testing.assert_array_equal(raw["0.weight"], model[0].weight.data)


def test_nested_structures_round_trip_exactly(tmp_path):
    shared = [np.ones(2)]
    obj = {"shared": (shared, shared, (), ()),"state": {0: {"step": 3, "buf": np.arange(4.0)}, 1: {}},
           "groups": [{"lr": 0.1, "betas": (0.9, 0.999), "nesterov": False, "name": "g",
                       "tag": None, "params": [0, 1]}],
           "tensor": ag.Tensor(np.ones((2, 2), dtype=np.float32)),
           "scalar": np.float32(1.5), "a.b": np.zeros(1), "a": {"b": np.ones(1)},
           "inf": float("inf")}
    nn.save(obj, tmp_path / "x.npz", compressed=True)
    back = nn.load(tmp_path / "x.npz")
    assert back["state"][0]["step"] == 3 and back["state"][1] == {}
    np.testing.assert_array_equal(back["state"][0]["buf"], np.arange(4.0))
    assert back["groups"] == [{"lr": 0.1, "betas": (0.9, 0.999), "nesterov": False,
                               "name": "g", "tag": None, "params": [0, 1]}]
    assert isinstance(back["groups"][0]["betas"], tuple)
    assert back["tensor"].dtype == np.float32 and back["tensor"].shape == (2, 2)
    assert back["scalar"] == np.float32(1.5) and back["scalar"].dtype == np.float32
    np.testing.assert_array_equal(back["a.b"], [0.0])       # colliding dotted names stay apart
    np.testing.assert_array_equal(back["a"]["b"], [1.0])
    assert back["inf"] == float("inf")
    assert back["shared"][2:] == ((), ()) and len(back["shared"][0]) == 1


def test_plain_npz_and_npy_files_load(tmp_path):
    np.savez(tmp_path / "plain.npz", w=np.eye(2), b=np.zeros(2))
    loaded = nn.load(tmp_path / "plain.npz")
    assert set(loaded) == {"w", "b"}
    np.save(tmp_path / "a.npy", np.arange(3))
    np.testing.assert_array_equal(nn.load(tmp_path / "a.npy"), [0, 1, 2])


def test_save_rejects_what_npz_cannot_hold_without_pickle(tmp_path):
    with pytest.raises(TypeError, match="nn.save: cannot save 'layer' of type Linear"):
        nn.save({"layer": nn.Linear(2, 2)}, tmp_path / "x.npz")
    with pytest.raises(TypeError, match="nn.save: 'o' has dtype object"):
        nn.save({"o": np.array([{}, 1], dtype=object)}, tmp_path / "x.npz")
    cyclic = {"a": [1]}
    cyclic["a"].append(cyclic)
    with pytest.raises(ValueError, match="nn.save: 'a.1' contains itself"):
        nn.save(cyclic, tmp_path / "x.npz")
    assert not os.listdir(tmp_path)


@pytest.mark.parametrize("kind", ["object array in an npz", "pickled npy", "raw pickle"])
def test_load_refuses_pickled_content_without_unpickling(tmp_path, kind):
    marker = tmp_path / "marker"
    path = tmp_path / "evil.npz"
    payload = np.array([Payload(str(marker)), 1], dtype=object)
    if kind == "object array in an npz":
        np.savez(path, weight=np.ones(2), evil=payload)
    elif kind == "pickled npy":
        with open(path, "wb") as f:
            np.save(f, payload, allow_pickle=True)
    else:
        with open(path, "wb") as f:
            pickle.dump(Payload(str(marker)), f)
    with pytest.raises(ValueError, match="refusing to load it, since unpickling can run "
                                         "code"):
        nn.load(path)
    assert not marker.exists()
    # the control: loading with pickling on really would run the payload
    if kind == "raw pickle":
        with open(path, "rb") as f:
            pickle.load(f)
    else:
        loaded = np.load(path, allow_pickle=True)
        if kind == "object array in an npz":
            loaded["evil"]
    assert marker.exists()


def test_load_rejects_a_malformed_manifest(tmp_path):
    np.savez(tmp_path / "bad.npz", __nn_manifest__=np.array('{"format": 1, "root": 5}'))
    with pytest.raises(ValueError, match="malformed __nn_manifest__"):
        nn.load(tmp_path / "bad.npz")
    with open(tmp_path / "junk.npz", "wb") as f:
        f.write(b"not a numpy file at all")
    with pytest.raises(ValueError, match="nn.load: .*junk.npz is not a .npz or .npy file"):
        nn.load(tmp_path / "junk.npz")


def test_an_interrupted_save_keeps_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    old = nn.MLP([2, 3, 1], rng=0)
    nn.save(old.state_dict(), path)
    before = path.read_bytes()
    calls = []
    real_write = np.lib.format.write_array

    def write_then_fail(fp, array, *args, **kwargs):
        calls.append(array.shape)
        if len(calls) == 2:                   # the first entry is written, the second half-way
            fp.write(b"\x93NUMPY partial")
            raise OSError("disk full")
        return real_write(fp, array, *args, **kwargs)

    monkeypatch.setattr(np.lib.format, "write_array", write_then_fail)
    with pytest.raises(OSError, match="disk full"):
        nn.save(nn.MLP([2, 3, 1], rng=1).state_dict(), path)
    assert len(calls) == 2
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.npz"]          # no temporary file left behind
    monkeypatch.undo()
    restored = nn.MLP([2, 3, 1], rng=5)
    restored.load_state_dict(nn.load(path))
    for p, q in zip(old.parameters(), restored.parameters()):
        np.testing.assert_array_equal(p.data, q.data)


def test_interrupted_save_of_a_new_file_leaves_nothing(tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(np.lib.format, "write_array", fail)
    with pytest.raises(KeyboardInterrupt):
        nn.save({"w": np.ones(3)}, tmp_path / "new.npz")
    assert os.listdir(tmp_path) == []


def test_save_replaces_an_existing_file_and_keeps_its_mode(tmp_path):
    path = tmp_path / "m.npz"
    nn.save({"w": np.zeros(2)}, path)
    os.chmod(path, 0o640)
    nn.save({"w": np.ones(2)}, path)
    np.testing.assert_array_equal(nn.load(path)["w"], [1, 1])
    assert os.stat(path).st_mode & 0o777 == 0o640


_leaves = st.one_of(
    st.integers(-10 ** 6, 10 ** 6), st.floats(allow_nan=False), st.booleans(), st.none(),
    st.text(max_size=5),
    st.builds(lambda shape, seed, dt: np.random.default_rng(seed).normal(size=shape).astype(dt),
              st.lists(st.integers(0, 3), max_size=3).map(tuple), st.integers(0, 99),
              st.sampled_from([np.float32, np.float64, np.int64])))
_trees = st.recursive(
    _leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.one_of(st.text(max_size=4), st.integers(0, 5)), inner, max_size=3)),
    max_leaves=10)


def _same(a, b):
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(obj=_trees)
def test_any_tree_of_arrays_and_numbers_round_trips(obj, tmp_path):
    path = tmp_path / "tree.npz"
    nn.save(obj, path)
    assert _same(obj, nn.load(path))


def test_keys_a_zip_entry_cannot_hold_round_trip(tmp_path):
    """Found by hypothesis: a NUL in a key ends a zip entry name; such arrays get numbered
    entries and the manifest keeps their real paths."""
    obj = {"": None, "0": {"\x00": np.array(0.5, dtype=np.float32)}, "a/b": np.ones(2)}
    path = tmp_path / "odd.npz"
    nn.save(obj, path)
    back = nn.load(path)
    assert _same(obj, back)


def test_the_file_records_its_entries_in_the_manifest_and_a_trailer(tmp_path):
    """Format 2: the manifest lists every array entry with its size and comes first in the
    zip directory; the archive comment (after the directory) counts and digests the entries.
    What nn.load does with them: tests/test_nn_hostile_files.py."""
    import json
    import re
    import zipfile

    model = nn.MLP([3, 4, 2], rng=0)
    path = tmp_path / "model.npz"
    nn.save(model.state_dict(), path)
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        comment = z.comment
        with np.load(path, allow_pickle=False) as raw:
            meta = json.loads(raw["__nn_manifest__"][()].decode("ascii"))
    assert infos[0].filename == "__nn_manifest__.npy"
    assert meta["format"] == 2
    sizes = {info.filename[:-4]: info.file_size for info in infos[1:]}
    assert dict(meta["entries"]) == sizes and set(sizes) == set(model.state_dict())
    match = re.fullmatch(rb"nn\.save format 2: (\d+) entries, sha256 ([0-9a-f]{64})", comment)
    assert match and int(match[1]) == len(infos)
