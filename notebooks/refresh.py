"""Re-run the notebooks and save them with their outputs (after editing one, or after a change
to the library that shows in them): ``.venv/bin/python notebooks/refresh.py [NAME ...]``.

Each runs top to bottom in a fresh kernel from this folder; progress-bar output is collapsed
to its final line and no timing metadata is stored, so a re-run changes only what changed.
A notebook whose cell fails is not written, and the error is printed.
"""
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

HERE = pathlib.Path(__file__).resolve().parent


def refresh(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3", coalesce_streams=True,
                            record_timing=False, resources={"metadata": {"path": str(HERE)}})
    start = time.perf_counter()
    client.execute()
    # keep the metadata small and stable: the kernel and the language, without versions
    nb.metadata = nbformat.from_dict({"kernelspec": nb.metadata["kernelspec"],
                                      "language_info": {"name": "python"}})
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main(names):
    paths = [HERE / (n if n.endswith(".ipynb") else n + ".ipynb") for n in names] \
        or sorted(HERE.glob("*.ipynb"))
    failed = False
    for path in paths:
        try:
            seconds = refresh(path)
        except CellExecutionError as err:
            print(f"{path.name}: FAILED, not written\n{err}")
            failed = True
            continue
        print(f"{path.name}: {seconds:.1f} s, {path.stat().st_size / 1024:.0f} KiB")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
