"""The store modules import each other one way only (store.db and store.migrations used to import each other)."""

import ast
from pathlib import Path

STORE = Path(__file__).resolve().parents[2] / "store"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("store."):
            names.add(node.module.split(".")[1])
        elif isinstance(node, ast.ImportFrom) and node.module == "store":
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name.split(".")[1] for a in node.names if a.name.startswith("store."))
    return names


def test_no_cycle_among_store_modules():
    graph = {p.stem: _imports(p) for p in STORE.glob("*.py") if p.stem != "__init__"}
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, "import cycle: " + " -> ".join((*path, name))
        if name in done:
            return
        for nxt in graph.get(name, ()):
            visit(nxt, (*path, name))
        done.add(name)

    for name in graph:
        visit(name, ())
