"""Which callables functions/main.py declares, and the Schema each one's api module declares.

An entry point ``def name(req): return module.name(req)`` decorated with
``https_fn.on_call`` is a callable; its schema is ``flowchat.api.<module>.NAME`` (the
function's name in capitals, declared beside the handler).
"""

from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass
from pathlib import Path

from flowchat.api.schema import Schema

MAIN = Path(__file__).resolve().parents[2] / "functions" / "main.py"


@dataclass(frozen=True)
class Entry:
    """One function of main.py: its name, trigger kind, docstring and delegate."""

    name: str
    kind: str  # "callable", "http", "scheduled" or "event"
    doc: str
    module: str  # flowchat.api.<module>, or "" when it delegates elsewhere

    def schema(self) -> Schema | None:
        """The declared Schema, or None if the api module declares none."""
        if self.kind != "callable" or not self.module:
            return None
        found = getattr(importlib.import_module(self.module), self.name.upper(), None)
        return found if isinstance(found, Schema) else None


def _decorator_name(node: ast.expr) -> str:
    call = node.func if isinstance(node, ast.Call) else node
    return ast.unparse(call)


def _kind(function: ast.FunctionDef) -> str:
    names = {_decorator_name(d) for d in function.decorator_list}
    if "https_fn.on_call" in names:
        return "callable"
    if "https_fn.on_request" in names:
        return "http"
    if "scheduler_fn.on_schedule" in names:
        return "scheduled"
    return "event"


def _api_modules(tree: ast.Module) -> set[str]:
    """Names imported by `from flowchat.api import a, b, ...` anywhere in main.py (also
    under `if TYPE_CHECKING:`, where main.py names the modules it loads lazily)."""
    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "flowchat.api"
        for alias in node.names
    }


def _delegate(function: ast.FunctionDef, api_modules: set[str]) -> str:
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in api_modules
        ):
            return f"flowchat.api.{node.func.value.id}"
    return ""


def entries(main: Path = MAIN) -> list[Entry]:
    """Every decorated function of main.py, in file order."""
    tree = ast.parse(main.read_text(encoding="utf-8"))
    api_modules = _api_modules(tree)
    return [
        Entry(node.name, _kind(node), ast.get_docstring(node) or "", _delegate(node, api_modules))
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.decorator_list
    ]


def callables(main: Path = MAIN) -> list[Entry]:
    """The callables, sorted by name."""
    return sorted((e for e in entries(main) if e.kind == "callable"), key=lambda e: e.name)
