"""The tree of rules from database.rules.json: one RuleNode per named key or $wildcard."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from emulator.coverage import Coverage

from .checker import check_rule
from .compiler import CompiledRule, compile_node
from .coverage import rule_positions
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


def build_rule_tree(rules: Any, coverage: Coverage | None = None) -> RuleNode:
    """Build and check the whole tree below the top-level "rules" key; with ``coverage``,
    its rules report there, located in ``coverage.content``."""
    built: list[CompiledRule] = []
    root = _build(rules, "/", (), _Compiler(coverage, built))
    if coverage is not None:
        positions = rule_positions(coverage.content)
        if len(positions) == len(built):  # else the text is not the one parsed: no positions
            coverage.positions.update(
                {id(rule): position for rule, position in zip(built, positions, strict=True)}
            )
    return root


@dataclass
class _Compiler:
    """Compiles rules in document order, each reporting to the same coverage."""

    coverage: Coverage | None
    built: list[CompiledRule]

    def __call__(
        self, value: Any, kind: str, where: str, wildcards: tuple[str, ...]
    ) -> CompiledRule:
        rule = _compile(value, kind, where, wildcards)
        if self.coverage is not None:
            rule = CompiledRule(rule.source, rule.evaluator, self.coverage)
        self.built.append(rule)
        return rule


def _build(spec: Any, where: str, wildcards: tuple[str, ...], compiler: _Compiler) -> RuleNode:
    if not isinstance(spec, dict):
        raise RulesLoadError(f"rules at {where} must be an object")
    node = RuleNode()
    for key, value in spec.items():
        if key in RULE_KINDS:
            setattr(node, key[1:], compiler(value, key, where, wildcards))
        elif key == ".indexOn":
            _check_index_on(value, where)  # query performance only: no effect on security
        elif key.startswith("."):
            raise RulesLoadError(f"unknown rule {key} at {where}")
        elif key.startswith("$"):
            _add_wildcard(node, key, value, where, wildcards, compiler)
        else:
            _check_key(key, where)
            node.children[key] = _build(value, f"{where}{key}/", wildcards, compiler)
    return node


def _add_wildcard(
    node: RuleNode,
    key: str,
    value: Any,
    where: str,
    wildcards: tuple[str, ...],
    compiler: _Compiler,
) -> None:
    if node.wildcard_name is not None:
        raise RulesLoadError(f"two $wildcards at {where}: {node.wildcard_name} and {key}")
    if key in wildcards:
        raise RulesLoadError(f"{key} is already used above {where}")
    _check_key(key[1:], where)
    node.wildcard_name = key
    node.wildcard = _build(value, f"{where}{key}/", wildcards + (key,), compiler)


def _compile(value: Any, kind: str, where: str, wildcards: tuple[str, ...]) -> CompiledRule:
    """A rule given as a boolean or an expression string."""
    if isinstance(value, bool):
        constant: bool = value
        return CompiledRule(str(value).lower(), lambda ctx: constant)
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
