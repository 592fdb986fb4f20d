"""mkdocs hook: the notebooks (``notebooks/0N_*.ipynb``, outside ``docs/``) become pages, and
the page of numpy's vocabulary (``numpy.md``) is generated from the binding table
(``docs/vocabulary.py``).

Each is added to the site's files as ``notebooks/0N_*.ipynb``, as if it lay in
``docs/notebooks/``, before mkdocs-jupyter turns ``.ipynb`` files into pages (it renders them
with their saved outputs; ``execute: false``). A hook rather than symlinks: it works the same
from a fresh clone on every system (Windows checkouts turn symlinks into text files), and
there is one copy of each notebook, where ``notebooks/refresh.py`` writes it.
"""
import importlib.util
import pathlib

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

NOTEBOOKS = "notebooks"
PATTERN = "[0-9][0-9]_*.ipynb"


def _root(config):
    return pathlib.Path(config.config_file_path).resolve().parent


@event_priority(100)   # before mkdocs-jupyter's on_files (priority 0) wraps the .ipynb files
def on_files(files, config):
    root = _root(config)
    for path in sorted((root / NOTEBOOKS).glob(PATTERN)):
        uri = f"{NOTEBOOKS}/{path.name}"
        if files.get_file_from_path(uri) is None:   # a docs/notebooks/ copy would win
            files.append(File(uri, src_dir=str(root), dest_dir=config.site_dir,
                              use_directory_urls=config.use_directory_urls))
    files.append(File.generated(config, "numpy.md", content=_vocabulary(root).page()))
    return files


def _vocabulary(root):
    """docs/vocabulary.py, loaded from its path (docs/ is no package)."""
    spec = importlib.util.spec_from_file_location("docs_vocabulary", root / "docs" /
                                                  "vocabulary.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def on_serve(server, config, builder):
    """``mkdocs serve``: rebuild when a notebook changes."""
    server.watch(str(_root(config) / NOTEBOOKS))
    return server
