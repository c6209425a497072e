"""The layers of DESIGN.md §3, checked from the source (issue 14).

Every `import` under zik/ is read with `ast`, the ones inside functions too (zik imports heavy
modules lazily, and a lazy import still makes a circle), and importing `a.b.c` counts as importing
the packages `a.b` and `a` as well, since Python runs their `__init__` first. From that graph:

- no module imports, directly or through others, a module that imports it back;
- the command line and the scheduler reach the store and the cloud only through core;
- nothing under core (nor store, ai or cloud) reaches the command line or the scheduler;
- every `zik.…` name imported exists, so a module moved without its importers fails here, not
  in the one command that imports it lazily.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "zik"


def _name_of(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_name_of(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


@cache
def _tree(name: str) -> ast.Module:
    return ast.parse(MODULES[name].read_text(encoding="utf-8"))


def _top_level_names(name: str) -> set[str]:
    """What `from <name> import X` may take: the names the module binds at its top level."""
    names: set[str] = set()
    for node in ast.walk(_tree(name)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
    return names


def _imports(name: str) -> list[tuple[str, str | None, int]]:
    """(module, name taken from it or None, line) for every zik import in the module."""
    found = []
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(_tree(name)):
        if isinstance(node, ast.Import):
            found += [(a.name, None, node.lineno) for a in node.names if a.name.startswith("zik")]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            if base == "zik" or base.startswith("zik."):
                found += [(base, a.name, node.lineno) for a in node.names]
    return found


@cache
def graph() -> dict[str, set[str]]:
    """Module → the zik modules importing it runs (parent packages included)."""
    edges: dict[str, set[str]] = {}
    for name in MODULES:
        targets = set(_parents(name))
        for module, taken, _ in _imports(name):
            full = f"{module}.{taken}" if taken else None
            target = full if full in MODULES else module
            targets |= {target, *_parents(target)}
        targets.discard(name)
        edges[name] = {t for t in targets if t in MODULES}
    return edges


def reach(start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(graph()[start])
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += graph()[name]
    return seen


def test_every_imported_zik_name_exists():
    missing = []
    for name in MODULES:
        for module, taken, line in _imports(name):
            if module not in MODULES:
                missing.append(f"{name}:{line} imports {module}, which does not exist")
            elif (
                taken
                and f"{module}.{taken}" not in MODULES
                and taken not in _top_level_names(module)
            ):
                missing.append(f"{name}:{line} imports {taken} from {module}, not there")
    assert missing == []


def test_no_module_imports_one_that_imports_it_back():
    circles = sorted(
        f"{name} → {other} → … → {name}"
        for name in MODULES
        for other in graph()[name]
        if name in reach(other)
    )
    assert circles == []


def _is_under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


@pytest.mark.parametrize(
    "layer", [m for m in MODULES if _is_under(m, "zik.cli") or m == "zik.scheduler"]
)
def test_the_command_line_and_the_scheduler_go_through_core(layer):
    direct = {f"{m}.{taken}" if f"{m}.{taken}" in MODULES else m for m, taken, _ in _imports(layer)}
    below = sorted(m for m in direct if _is_under(m, "zik.store") or _is_under(m, "zik.cloud"))
    assert below == []


@pytest.mark.parametrize(
    "layer", [m for m in MODULES if m.split(".")[1:2] in (["core"], ["store"], ["ai"], ["cloud"])]
)
def test_the_rules_never_reach_up_to_the_command_line_or_the_scheduler(layer):
    above = sorted(m for m in reach(layer) if _is_under(m, "zik.cli") or m == "zik.scheduler")
    assert above == []


def test_the_graph_sees_what_python_imports():
    """Control for the checks above: the graph of a module that Python really loads holds every
    zik module that importing it brings in (a parser that missed imports would pass them all)."""
    module = "zik.cli.main"
    loaded = subprocess.run(
        [sys.executable, "-c", f"import sys, {module}; print(*sorted(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.split()
    runtime = {m for m in loaded if m in MODULES and m != module}
    assert runtime and runtime <= reach(module)
