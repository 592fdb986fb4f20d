"""The modules of autograd/ import each other in one direction: no module-level import closes a
cycle, Tensor imports no op and no engine, the engine no op, and one module alone names the
compiled core. Read from the source (ast), so import order can carry no weight unseen."""
import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "autograd"


def _module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _top_level(tree):
    """Import statements run when the module loads: its body, and blocks (if, try, with) in it;
    not function or class bodies."""
    stack = list(reversed(tree.body))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stack.extend(reversed([c for c in ast.iter_child_nodes(node)
                                   if isinstance(c, ast.stmt)]))


def _imports(name):
    """The modules of the package that ``name`` imports at module level, and every dotted name
    it imports (for the compiled core's)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found, names = set(), set()
    for node in _top_level(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            base = ".".join(filter(None, [base if node.level else "", node.module or ""]))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base
                       for a in node.names]
        for target in targets:
            names.add(target)
            if target in MODULES and target != name:
                found.add(target)
    return found, names


GRAPH = {name: _imports(name)[0] for name in MODULES}


def _cycles(graph):
    """Strongly connected components with more than one module (Tarjan's, iteratively)."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1:
                    out.append(sorted(component))
    return out


def test_no_module_level_import_closes_a_cycle():
    graph = {k: v for k, v in GRAPH.items() if k != "autograd"}   # the package imports all
    assert _cycles(graph) == []
    assert len(graph) >= 20 and sum(map(len, graph.values())) >= 40     # the graph was read


def test_the_cycle_check_sees_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _reaches(start):
    seen, stack = set(), [start]
    while stack:
        for child in GRAPH[stack.pop()]:
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


@pytest.mark.parametrize("module, forbidden", [
    ("autograd.tensor", ("autograd.ops", "autograd.engine", "autograd.function",
                         "autograd.interop", "autograd.binding")),
    ("autograd.engine", ("autograd.ops", "autograd.binding")),
    ("autograd.function", ("autograd.ops", "autograd.engine", "autograd.binding")),
])
def test_tensor_and_the_engine_import_no_op(module, forbidden):
    reached = _reaches(module)
    assert not [m for m in reached if m.startswith(forbidden)], sorted(reached)


def _names_fast(path):
    """Whether any import statement of the module, at any depth, imports ``_fast``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (
                (node.module or "").split(".")[-1] == "_fast"
                or any(a.name == "_fast" for a in node.names)):
            return True
        if isinstance(node, ast.Import) and any(a.name.endswith("._fast") for a in node.names):
            return True
    return False


def test_one_module_names_the_compiled_core():
    assert [name for name, path in MODULES.items() if _names_fast(path)] == ["autograd._core"]
    assert "autograd.binding" in GRAPH["autograd"]          # the package runs the binding
