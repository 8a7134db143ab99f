"""What `firebase deploy` uploads is coherent: thin entry points, run-time params, full
requirements."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
MAIN = FUNCTIONS / "main.py"
PACKAGE_FILES = sorted((FUNCTIONS / "flowchat").rglob("*.py"))


def _module_level_nodes(tree: ast.Module) -> list[ast.AST]:
    """Every node that runs at import: everything outside function bodies."""
    found: list[ast.AST] = []
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            pending += getattr(node, "decorator_list", [])
            continue
        found.append(node)
        pending += list(ast.iter_child_nodes(node))
    return found


def test_main_only_declares_entry_points_that_delegate_in_one_line() -> None:
    tree = ast.parse(MAIN.read_text())
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            assert node.decorator_list, node.name
            body = node.body[1:] if ast.get_docstring(node) else node.body
            assert len(body) == 1, f"{node.name} does more than delegate"
        elif isinstance(node, ast.If):  # only `if TYPE_CHECKING:` imports, lazy otherwise
            assert ast.unparse(node.test) == "TYPE_CHECKING", ast.dump(node)[:80]
        else:
            allowed = (ast.Import, ast.ImportFrom, ast.Assign, ast.Expr)
            assert isinstance(node, allowed), ast.dump(node)[:80]


def test_params_are_read_at_run_time_only() -> None:
    offenders = []
    for path in [MAIN, *PACKAGE_FILES]:
        for node in _module_level_nodes(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "value":
                offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders, offenders


def _third_party_imports() -> set[str]:
    local = {"flowchat", "main"}
    names: set[str] = set()
    for path in [MAIN, *PACKAGE_FILES]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in local and n not in sys.stdlib_module_names}


def _required_distributions() -> set[str]:
    lines = (FUNCTIONS / "requirements.txt").read_text().splitlines()
    pinned = [re.split(r"[=<>~!\[; ]", line.strip())[0] for line in lines]
    return {_normal(p) for p in pinned if p and not p.startswith("#")}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_requirements_pin_every_imported_distribution() -> None:
    required = _required_distributions()
    providers = packages_distributions()
    missing = {}
    for module in _third_party_imports():
        dists = {_normal(d) for d in providers.get(module, [])}
        if not dists & required:
            missing[module] = sorted(dists) or "not installed"
    assert not missing, missing


def test_requirements_are_pinned_exactly() -> None:
    lines = (FUNCTIONS / "requirements.txt").read_text().splitlines()
    loose = [x for x in lines if x.strip() and not x.startswith("#") and "==" not in x]
    assert not loose, loose


def test_deploying_functions_first_applies_the_migrations() -> None:
    import json

    config = json.loads((FUNCTIONS.parent / "firebase.json").read_text())
    hooks = config["functions"][0]["predeploy"]
    assert any("scripts/predeploy_migrate.py" in hook for hook in hooks)
    assert (FUNCTIONS.parent / "scripts" / "predeploy_migrate.py").exists()
