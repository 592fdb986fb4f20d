"""The rule for optional parts (tests/extras.py): a missing package or `dot` skips a test with
the install command, and fails it under AUTOGRAD_REQUIRE_EXTRAS=1, as CI runs."""
import pytest

import extras


@pytest.fixture
def no_record(monkeypatch):
    monkeypatch.setattr(extras, "SKIPPED", [])


@pytest.mark.parametrize("strict, outcome", [(False, pytest.skip.Exception),
                                             (True, pytest.fail.Exception)])
def test_a_missing_package_names_its_extra(monkeypatch, no_record, strict, outcome):
    monkeypatch.setattr(extras, "STRICT", strict)
    with pytest.raises(outcome) as info:
        extras.need_module("no_such_package_here.sub", "viz")
    msg = str(info.value)
    assert "`no_such_package_here` is not installed" in msg and "'.[viz]'" in msg
    assert ("AUTOGRAD_REQUIRE_EXTRAS=1" in msg) == strict
    assert extras.SKIPPED == ([] if strict else [(
        "the Python package `no_such_package_here`",
        "`pip install -e '.[viz]'`, or `make test`, which installs `.[dev]`")])


@pytest.mark.parametrize("strict, outcome", [(False, pytest.skip.Exception),
                                             (True, pytest.fail.Exception)])
def test_a_missing_dot_names_the_install_commands(monkeypatch, tmp_path, no_record, strict,
                                                  outcome):
    monkeypatch.setattr(extras, "STRICT", strict)
    monkeypatch.setenv("PATH", str(tmp_path))           # no `dot` to be found
    assert not extras.have_dot()
    with pytest.raises(outcome) as info:
        extras.need_dot()
    for install in ("apt-get install graphviz", "brew install graphviz",
                    "conda install -c conda-forge graphviz"):
        assert install in str(info.value)
    assert len(extras.SKIPPED) == (0 if strict else 1)


def test_a_present_package_is_returned(monkeypatch):
    monkeypatch.setattr(extras, "STRICT", True)
    assert extras.need_modules(["json", "os.path"], "dev")[1].join("a", "b").endswith("b")
