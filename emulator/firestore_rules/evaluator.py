"""Evaluates rule expressions with Firebase's error semantics.

An expression either yields a value or raises ``EvalError``. Errors never grant:
``&&`` and ``||`` short-circuit around them (``error || true`` is true,
``false && error`` is false; section "Errors" of
https://firebase.google.com/docs/reference/security/storage, a language shared with Firestore),
and any other use of an error propagates it up to the allow, which then denies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from emulator.coverage import Coverage, typed
from emulator.firestore_rules import builtins, operators, symbolic
from emulator.firestore_rules import syntax as s
from emulator.firestore_rules.access import DocumentAccess
from emulator.firestore_rules.methods import call_method
from emulator.firestore_rules.values import EvalError, Namespace, RulesPath, type_name

# Documented limit of the function call stack ("the call stack depth is limited to 20").
MAX_CALL_DEPTH = 20


@dataclass
class FunctionDef:
    """A user function with the functions visible where it was declared."""

    function: s.Function
    scope: dict[str, FunctionDef] = field(default_factory=dict)


@dataclass
class Evaluator:
    """Evaluates expressions of one allow for one request."""

    variables: dict[str, Any]  # request, resource, database and the path wildcards
    access: DocumentAccess
    coverage: Coverage | None = None  # notes what each expression evaluated to

    def condition(self, expr: s.Expr, functions: dict[str, FunctionDef]) -> bool:
        """Evaluates an allow condition; only the boolean true grants."""
        value = self.value(expr, functions)
        if type(value) is not bool:
            raise EvalError(f"Condition returned {type_name(value)}, not bool.")
        return value

    def value(self, expr: s.Expr, functions: dict[str, FunctionDef] | None = None) -> Any:
        """Evaluates a bare expression (no locals)."""
        return self.eval(expr, _Frame({}, functions or {}, 0))

    def eval(self, expr: s.Expr, frame: _Frame) -> Any:
        handler = _HANDLERS[type(expr)]
        if self.coverage is None:
            return handler(self, expr, frame)
        try:
            value = handler(self, expr, frame)
        except EvalError as error:
            self.coverage.record(id(expr), "errorValue", str(error))
            raise
        self.coverage.record(id(expr), *typed(value))
        return value

    # --- leaves ------------------------------------------------------------------------
    def _literal(self, expr: s.Literal, frame: _Frame) -> Any:
        return expr.value

    def _variable(self, expr: s.Variable, frame: _Frame) -> Any:
        if frame.has(expr.name):
            return frame.local(self, expr.name)
        if expr.name in self.variables:
            return self.variables[expr.name]
        if expr.name in builtins.NAMESPACES:
            return Namespace(expr.name)
        raise EvalError(f"Variable {expr.name} is not defined.")

    def _path(self, expr: s.PathTemplate, frame: _Frame) -> RulesPath:
        segments = []
        for part in expr.parts:
            if isinstance(part, str):
                segments.append(part)
                continue
            value = self.eval(part, frame)
            operators.check_known(value)
            if isinstance(value, RulesPath):
                segments.extend(value.segments)
            else:
                segments.append(builtins.GLOBAL_FUNCTIONS["string"](value))
        return RulesPath(tuple(segments))

    def _list(self, expr: s.ListExpr, frame: _Frame) -> list[Any]:
        return [self.eval(item, frame) for item in expr.items]

    def _map(self, expr: s.MapExpr, frame: _Frame) -> dict[str, Any]:
        result = {}
        for key_expr, value_expr in expr.entries:
            key = self.eval(key_expr, frame)
            if not isinstance(key, str):
                raise EvalError("Map keys must be strings.")
            result[key] = self.eval(value_expr, frame)
        return result

    # --- access ------------------------------------------------------------------------
    def _member(self, expr: s.Member, frame: _Frame) -> Any:
        target = self.eval(expr.target, frame)
        if symbolic.is_symbolic(target):
            return target.member(expr.name)
        return operators.member(target, expr.name)

    def _index(self, expr: s.Index, frame: _Frame) -> Any:
        target = self.eval(expr.target, frame)
        key = self.eval(expr.key, frame)
        if symbolic.is_symbolic(target) and isinstance(key, str):
            return target.member(key)
        _reject_symbolic(target, key)
        return operators.index(target, key)

    def _slice(self, expr: s.Slice, frame: _Frame) -> Any:
        target = self.eval(expr.target, frame)
        start = None if expr.start is None else self.eval(expr.start, frame)
        end = None if expr.end is None else self.eval(expr.end, frame)
        _reject_symbolic(target, start, end)
        return operators.slice_of(target, start, end)

    # --- operators ---------------------------------------------------------------------
    def _unary(self, expr: s.Unary, frame: _Frame) -> Any:
        value = self.eval(expr.operand, frame)
        _reject_symbolic(value)
        return operators.logical_not(value) if expr.op == "!" else operators.negate(value)

    def _binary(self, expr: s.Binary, frame: _Frame) -> Any:
        left = self.eval(expr.left, frame)
        right = self.eval(expr.right, frame)
        if symbolic.is_symbolic(left) or symbolic.is_symbolic(right):
            return symbolic.symbolic_binary(expr.op, left, right)
        return operators.binary(expr.op, left, right)

    def _is(self, expr: s.IsType, frame: _Frame) -> bool:
        value = self.eval(expr.operand, frame)
        if isinstance(value, symbolic.SymbolicField):
            return symbolic.symbolic_is(value, expr.type_name)
        _reject_symbolic(value)
        return operators.is_type(value, expr.type_name)

    def _logical(self, expr: s.Logical, frame: _Frame) -> bool:
        """&& and || that short-circuit, also around errors on the left."""
        decisive = expr.op == "||"  # the left value that decides without the right
        try:
            left: bool | EvalError = _boolean(self.eval(expr.left, frame))
        except EvalError as error:
            left = error
        if left is decisive:
            return decisive
        right = _boolean(self.eval(expr.right, frame))
        if isinstance(left, EvalError) and right is not decisive:
            raise left
        return right

    def _conditional(self, expr: s.Conditional, frame: _Frame) -> Any:
        chosen = _boolean(self.eval(expr.condition, frame))
        return self.eval(expr.if_true if chosen else expr.if_false, frame)

    # --- calls -------------------------------------------------------------------------
    def _method(self, expr: s.MethodCall, frame: _Frame) -> Any:
        target = self.eval(expr.target, frame)
        args = [self.eval(arg, frame) for arg in expr.args]
        if isinstance(target, Namespace):
            return builtins.call_namespace(target, expr.name, args)
        if isinstance(target, symbolic.SymbolicField) and expr.name == "get" and args:
            keys = args[0] if isinstance(args[0], list) else [args[0]]
            if all(isinstance(k, str) for k in keys):
                return symbolic.SymbolicField(target.filters, (*target.path, *keys))
        _reject_symbolic(target, *args)
        return call_method(target, expr.name, args)

    def _call(self, expr: s.Call, frame: _Frame) -> Any:
        args = [self.eval(arg, frame) for arg in expr.args]
        if expr.name in builtins.ACCESS_FUNCTIONS:
            _reject_symbolic(*args)
            return self.access.call(expr.name, args)
        if expr.name in builtins.GLOBAL_FUNCTIONS:
            _reject_symbolic(*args)
            return builtins.call_global(expr.name, args)
        definition = frame.functions.get(expr.name)
        if definition is None:
            raise EvalError(f"Function not found error: Name: [{expr.name}].")
        return self._invoke(definition, args, frame.depth + 1)

    def _invoke(self, definition: FunctionDef, args: list[Any], depth: int) -> Any:
        function = definition.function
        if depth > MAX_CALL_DEPTH:
            raise EvalError("Maximum function call depth exceeded.")
        if len(args) != len(function.params):
            raise EvalError(f"Invalid number of arguments to {function.name}().")
        frame = _Frame(dict(zip(function.params, args, strict=True)), definition.scope, depth)
        for name, expr in function.lets:
            frame.bind(name, lambda expr=expr: self.eval(expr, frame))
        return self.eval(function.body, frame)


@dataclass
class _Frame:
    """Local names of one function call: parameters and let bindings."""

    values: dict[str, Any]
    functions: dict[str, FunctionDef]
    depth: int

    def bind(self, name: str, compute: Any) -> None:
        """Evaluates a let now, in order ("the assignment enforces a lookup",
        https://firebase.google.com/docs/rules/rules-language); an error is kept as the
        binding's value and raised only where the name is used."""
        try:
            self.values[name] = compute()
        except EvalError as error:
            self.values[name] = _Failed(error)

    def has(self, name: str) -> bool:
        return name in self.values

    def local(self, evaluator: Evaluator, name: str) -> Any:
        value = self.values[name]
        if isinstance(value, _Failed):
            raise value.error
        return value


@dataclass(frozen=True)
class _Failed:
    """A let whose evaluation failed."""

    error: EvalError


def _boolean(value: Any) -> bool:
    if type(value) is not bool:
        raise EvalError(f"Unsupported operation error. Received: {type_name(value)}, not bool.")
    return value


def _reject_symbolic(*values: Any) -> None:
    for value in values:
        if isinstance(value, symbolic.SymbolicField):
            raise value.unconstrained()
        if isinstance(value, symbolic.SymbolicResource):
            raise EvalError("Property resource is not constrained by the query.")


_HANDLERS: dict[type, Any] = {
    s.Literal: Evaluator._literal,
    s.Variable: Evaluator._variable,
    s.PathTemplate: Evaluator._path,
    s.ListExpr: Evaluator._list,
    s.MapExpr: Evaluator._map,
    s.Member: Evaluator._member,
    s.Index: Evaluator._index,
    s.Slice: Evaluator._slice,
    s.Unary: Evaluator._unary,
    s.Binary: Evaluator._binary,
    s.IsType: Evaluator._is,
    s.Logical: Evaluator._logical,
    s.Conditional: Evaluator._conditional,
    s.MethodCall: Evaluator._method,
    s.Call: Evaluator._call,
}
