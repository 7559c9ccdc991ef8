"""The source layout traps that break the whole stack if they creep back in."""
from __future__ import annotations

import ast
import platform as stdlib_platform

import sysconfig
from pathlib import Path

from pasar.config import PROJECT_ROOT

KERNEL = PROJECT_ROOT / "platform"
PLUGIN_PACKAGES = {p.name for p in (PROJECT_ROOT / "plugins").glob("*/pasar_*")}


def test_platform_source_root_has_no_init_file() -> None:
    assert not (KERNEL / "__init__.py").exists()


def test_stdlib_platform_is_what_imports_from_the_repo_root() -> None:
    stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
    assert Path(stdlib_platform.__file__).resolve().parent == stdlib
    assert callable(stdlib_platform.python_implementation)


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_kernel_never_imports_a_plugin() -> None:
    assert PLUGIN_PACKAGES, "the region plugins are where the layout says"
    offenders = {
        str(path.relative_to(PROJECT_ROOT)): sorted(_imported_modules(path) & PLUGIN_PACKAGES)
        for path in KERNEL.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def _imports_platform_submodule(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("platform."):
            return True
        if isinstance(node, ast.Import) and any(a.name.startswith("platform.") for a in node.names):
            return True
    return False


def test_kernel_code_is_never_imported_as_platform_dot_something() -> None:
    roots = [KERNEL, PROJECT_ROOT / "tests", PROJECT_ROOT / "plugins"]
    offenders = [str(p) for root in roots for p in root.rglob("*.py") if _imports_platform_submodule(p)]
    assert offenders == []
