"""The tree of rules from database.rules.json: one RuleNode per named key or $wildcard."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .checker import check_rule
from .compiler import CompiledRule, compile_node
from .errors import RulesLoadError
from .parser import parse_expression

RULE_KINDS = (".read", ".write", ".validate")
_FORBIDDEN_KEY_CHARS = frozenset(".#[]/")


@dataclass
class RuleNode:
    """Rules at one location plus the rules of its children."""

    read: CompiledRule | None = None
    write: CompiledRule | None = None
    validate: CompiledRule | None = None
    children: dict[str, RuleNode] = field(default_factory=dict)
    wildcard_name: str | None = None
    wildcard: RuleNode | None = None

    def child(self, key: str) -> tuple[RuleNode | None, str | None]:
        """The rules for child ``key`` and the $variable it binds (named keys win)."""
        named = self.children.get(key)
        if named is not None:
            return named, None
        return self.wildcard, self.wildcard_name


def build_rule_tree(rules: Any) -> RuleNode:
    """Build and check the whole tree below the top-level "rules" key."""
    return _build(rules, "/", ())


def _build(spec: Any, where: str, wildcards: tuple[str, ...]) -> RuleNode:
    if not isinstance(spec, dict):
        raise RulesLoadError(f"rules at {where} must be an object")
    node = RuleNode()
    for key, value in spec.items():
        if key in RULE_KINDS:
            setattr(node, key[1:], _compile(value, key, where, wildcards))
        elif key == ".indexOn":
            _check_index_on(value, where)  # query performance only: no effect on security
        elif key.startswith("."):
            raise RulesLoadError(f"unknown rule {key} at {where}")
        elif key.startswith("$"):
            _add_wildcard(node, key, value, where, wildcards)
        else:
            _check_key(key, where)
            node.children[key] = _build(value, f"{where}{key}/", wildcards)
    return node


def _add_wildcard(
    node: RuleNode, key: str, value: Any, where: str, wildcards: tuple[str, ...]
) -> None:
    if node.wildcard_name is not None:
        raise RulesLoadError(f"two $wildcards at {where}: {node.wildcard_name} and {key}")
    if key in wildcards:
        raise RulesLoadError(f"{key} is already used above {where}")
    _check_key(key[1:], where)
    node.wildcard_name = key
    node.wildcard = _build(value, f"{where}{key}/", wildcards + (key,))


def _compile(value: Any, kind: str, where: str, wildcards: tuple[str, ...]) -> CompiledRule:
    """A rule given as a boolean or an expression string."""
    if isinstance(value, bool):
        return CompiledRule(str(value).lower(), lambda ctx, constant=value: constant)
    if not isinstance(value, str):
        raise RulesLoadError(f"{kind} at {where} must be a boolean or an expression string")
    try:
        tree = parse_expression(value)
        check_rule(tree, kind, wildcards)
        return CompiledRule(value, compile_node(tree))
    except RulesLoadError as exc:
        raise RulesLoadError(f"{kind} at {where}: {exc}") from None
    except RecursionError:
        raise RulesLoadError(f"{kind} at {where}: expression nested too deeply") from None


def _check_index_on(value: Any, where: str) -> None:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise RulesLoadError(f".indexOn at {where} must be a string or a list of strings")


def _check_key(key: str, where: str) -> None:
    if not key or any(ch in _FORBIDDEN_KEY_CHARS for ch in key):
        raise RulesLoadError(f"invalid key {key!r} at {where}")
