"""docs/derivations.md, the page that says what each of the chapter's closed forms is, kept in
step with the tests and notebooks that cite them: every number cited has its heading there, the
page has exactly the chapter's numbers in order, and every test or notebook it names exists."""
import ast
import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "derivations.md"
TESTS = ROOT / "tests"
NOTEBOOKS = ROOT / "notebooks"
CHAPTER = list(range(1, 20))            # the chapter states 19 closed forms

# A citation: "D7", also inside a name ("test_softmax_D8_D19") and as a range ("D13–D18",
# "D13_to_D18"); not glued to a letter or digit before it ("MD5", "3D") nor to a digit after.
CITATION = re.compile(r"(?<![A-Za-z0-9])D(\d+)(?:(?:\s*[–-]\s*|_to_)D(\d+))?(?!\d)")
HEADING = re.compile(r"^## D(\d+)\. \S", re.MULTILINE)
# a test as the page names it: tests/test_x.py::test_name, a class's method, a parametrized id
TEST_ID = re.compile(r"tests/([\w/]+\.py)::([\w:]+)(\[[^\]`]*\])?")
NOTEBOOK = re.compile(r"notebooks/[\w-]+\.ipynb")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _numbers(text):
    """Each cited number with the offset of its citation; a range gives all its numbers."""
    for m in CITATION.finditer(text):
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) else first
        for n in range(first, last + 1):
            yield n, m.start()


def _citations():
    """{number: ["where", ...]} over tests/*.py (but this file) and the notebooks' cells.

    A notebook is read cell by cell, sources only: its outputs hold base64 images, in which
    strings such as "D99" occur by chance."""
    cited = {}
    for path in sorted(TESTS.glob("*.py")):
        if path.name == pathlib.Path(__file__).name:
            continue
        text = path.read_text(encoding="utf-8")
        for n, at in _numbers(text):
            line = text.count("\n", 0, at) + 1
            cited.setdefault(n, []).append(f"tests/{path.name}:{line}")
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for index, cell in enumerate(cells):
            source = "".join(cell["source"])
            for n, _ in _numbers(source):
                cited.setdefault(n, []).append(f"notebooks/{path.name} cell {index}")
    return cited


def _page():
    return PAGE.read_text(encoding="utf-8")


def _sections(text):
    """{number: the text of its section, up to the next ## heading}."""
    starts = [(int(m.group(1)), m.start()) for m in HEADING.finditer(text)]
    sections = {}
    for n, start in starts:
        end = text.find("\n## ", start + 1)
        sections[n] = text[start:] if end == -1 else text[start:end]
    return sections


def _defines(path, name):
    """Whether the test file defines name: a function, or Class::method."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    scope = tree.body
    *classes, function = name.split("::")
    for cls in classes:
        found = [node for node in scope if isinstance(node, ast.ClassDef) and node.name == cls]
        if not found:
            return False
        scope = found[0].body
    return any(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == function
               for node in scope)


def test_every_cited_number_has_its_heading():
    cited = _citations()
    assert cited, "no D-number found in tests/ or notebooks/: the scan itself is broken"
    headings = set(int(n) for n in HEADING.findall(_page()))
    missing = {f"D{n}": where[:5] for n, where in sorted(cited.items()) if n not in headings}
    assert not missing, f"cited but without a '## Dn.' heading in docs/derivations.md: {missing}"


def test_the_page_has_exactly_the_chapters_numbers_in_order():
    headings = [int(n) for n in HEADING.findall(_page())]
    assert headings == CHAPTER, f"'## Dn.' headings in docs/derivations.md: {headings}"


def test_every_test_the_page_cites_exists():
    text = _page()
    cited = sorted({(m.group(1), m.group(2)) for m in TEST_ID.finditer(text)})
    assert len(cited) > 19, f"the page names only {len(cited)} tests: is TEST_ID still right?"
    missing = [f"tests/{file}::{name}" for file, name in cited
               if not (TESTS / file).is_file() or not _defines(TESTS / file, name)]
    assert not missing, f"docs/derivations.md names tests that do not exist: {missing}"


def test_every_notebook_the_page_cites_exists():
    cited = sorted(set(NOTEBOOK.findall(_page())))
    assert cited, "the page names no notebook"
    missing = [path for path in cited if not (ROOT / path).is_file()]
    assert not missing, f"docs/derivations.md names notebooks that do not exist: {missing}"


def test_each_closed_form_says_what_checks_it():
    sections = _sections(_page())
    unchecked = [f"D{n}" for n, body in sorted(sections.items())
                 if "**Checked by:**" not in body
                 or not (TEST_ID.search(body) or NOTEBOOK.search(body))]
    assert not unchecked, f"sections without a 'Checked by' test or notebook: {unchecked}"


def test_links_stay_inside_the_docs():
    """A strict docs build fails on a link to a file outside docs/; files are named in code
    spans instead. In-page anchors and web addresses are fine."""
    bad = []
    for target in LINK.findall(_page()):
        if target.startswith(("#", "http://", "https://")):
            continue
        path = (PAGE.parent / target.split("#")[0]).resolve()
        if not path.is_relative_to(PAGE.parent.resolve()) or not path.exists():
            bad.append(target)
    assert not bad, f"links that leave docs/ or lead nowhere: {bad}"
