"""A module's private names (leading underscore) are its own: no other module imports or reaches into them.

`from x import _y` and `x._y` (x bound by an import of a project module) are both refused, so a helper that
several modules need is made public in the module that owns it (for example services/common.py).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("services", "store", "assessment", "evidence", "ui", "cli")
PROJECT = PACKAGES + ("app_pages",)


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _project(module: str | None) -> bool:
    return bool(module) and module.split(".")[0] in PROJECT


def violations(source: str, filename: str = "<source>") -> list[str]:
    tree = ast.parse(source, filename)
    found = []
    bound: set[str] = set()  # local names bound to a project module
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            relative = node.level > 0
            if not (relative or _project(node.module)):
                continue
            for alias in node.names:
                if _private(alias.name):
                    found.append(f"{filename}:{node.lineno} from {node.module or '.'} import {alias.name}")
                else:
                    bound.add(alias.asname or alias.name)
            if node.module and any(_private(p) for p in node.module.split(".")):
                found.append(f"{filename}:{node.lineno} from {node.module} import …")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _project(alias.name):
                    bound.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in bound:
                found.append(f"{filename}:{node.lineno} {ast.unparse(node)}")
    return found


def _files():
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def test_no_module_uses_another_modules_private_names():
    found = []
    for path in _files():
        found += violations(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert not found, "private names used across modules:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "from services.assessing import _writable\n",
        "from .links import _require_manage\n",
        "from services import assessing\nassessing._indicator(1, 2)\n",
        "import store.db\nstore.db._translate(1)\n",
    ],
)
def test_the_check_catches_each_form(source):
    assert violations(source)


@pytest.mark.parametrize(
    "source",
    [
        "from services.assessing import writable\n",
        "from dataclasses import _MISSING_TYPE\n",
        "class A:\n    def f(self):\n        return self._x\n",
        "import os\nos._exit\n",
    ],
)
def test_own_and_foreign_private_names_pass(source):
    assert not violations(source)
