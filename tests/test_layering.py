"""The dependency rule, one way only: app.py, app_pages -> ui -> services -> store / evidence -> assessment.

Each layer is imported in a fresh interpreter and the modules it pulled in are checked.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# layer -> project packages it must never load (directly or indirectly)
FORBIDDEN = {
    "assessment": {"store", "evidence", "services", "ui", "app_pages", "cli", "streamlit", "duckdb", "plotly"},
    "evidence": {"store", "services", "ui", "app_pages", "cli", "streamlit", "duckdb", "plotly"},
    "store": {"evidence", "services", "ui", "app_pages", "cli", "streamlit", "plotly"},
    "services": {"ui", "app_pages", "cli", "streamlit", "plotly"},
    "ui": {"app_pages", "cli"},
    "cli": {"ui", "app_pages", "streamlit"},
}


def _modules_of(package: str) -> list[str]:
    names = []
    for path in sorted((ROOT / package).rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_downward(layer):
    modules = _modules_of(layer)
    assert modules, f"layer {layer} has no modules"
    code = (
        "import importlib, json, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "print(json.dumps(sorted({n.split('.')[0] for n in sys.modules})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    leaked = loaded & FORBIDDEN[layer]
    assert not leaked, f"{layer} imports {sorted(leaked)}, which breaks the layering rule"


def test_pages_never_import_pages():
    """A page is an end point: what two pages share lives in ui/ (or services/), never in another page."""
    bad = []
    for path in sorted((ROOT / "app_pages").rglob("*.py")):
        for name in _direct_imports(path):
            if name == "app_pages" or name.startswith("app_pages."):
                bad.append(f"app_pages/{path.name} imports {name}")
    assert not bad, "\n".join(bad)


def test_pages_import_no_store_directly():
    """Pages go through ui and services; they never open SQL themselves."""
    for path in (ROOT / "app_pages").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import duckdb" not in text and "from store" not in text, path.name


# direct imports, read from the source: pages and ui talk to services (and get their view models from
# services.views), and may use assessment models for display; no whitelist
DIRECT_FORBIDDEN = {
    "app_pages": ("store", "evidence", "duckdb", "cli"),
    "ui": ("store", "evidence", "duckdb", "cli"),
    "services": ("streamlit", "plotly"),
}


def _direct_imports(path: Path) -> set[str]:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(DIRECT_FORBIDDEN))
def test_direct_imports_respect_layers(layer):
    files = list((ROOT / layer).rglob("*.py")) + ([ROOT / "app.py"] if layer == "app_pages" else [])
    bad = []
    for path in files:
        for name in _direct_imports(path):
            if name.split(".")[0] in DIRECT_FORBIDDEN[layer]:
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not bad, "\n".join(bad)
