"""The coverage report in the official emulators' shape, as JSON and as an HTML page."""

from __future__ import annotations

import html
from typing import Any

from emulator.coverage.recorder import Coverage, SourcePosition


def _node(coverage: Coverage, key: int, position: SourcePosition) -> dict[str, Any]:
    return {
        "sourcePosition": position.as_json(coverage.file_name),
        "values": coverage.values(key),
        "children": [],
    }


def _nested(coverage: Coverage) -> list[dict[str, Any]]:
    """Expressions as a tree: each node's children are the expressions inside its span."""
    ordered = sorted(coverage.positions.items(), key=lambda kv: (kv[1].start, -kv[1].end))
    roots: list[dict[str, Any]] = []
    stack: list[tuple[SourcePosition, dict[str, Any]]] = []
    for key, position in ordered:
        node = _node(coverage, key, position)
        while stack and stack[-1][0].end < position.end:
            stack.pop()
        (stack[-1][1]["children"] if stack else roots).append(node)
        stack.append((position, node))
    return roots


def _flat(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    flat: list[dict[str, Any]] = []
    for node in nodes:
        flat.append({k: v for k, v in node.items() if k != "children"})
        flat.extend(_flat(node["children"]))
    return flat


def json_report(coverage: Coverage) -> dict[str, Any]:
    """``{"rules": {"files": [{"name", "content", "expressions"}]}, "report": [tree]}``:
    ``report`` nests expressions (``sourcePosition``, ``values[].value`` / ``count``,
    ``children``); each file also lists them flat."""
    tree = _nested(coverage)
    return {
        "rules": {
            "files": [
                {
                    "name": coverage.file_name,
                    "content": coverage.content,
                    "expressions": _flat(tree),
                }
            ]
        },
        "report": tree,
        "omittedValues": coverage.omitted,
    }


def _row(coverage: Coverage, node: dict[str, Any]) -> str:
    position = node["sourcePosition"]
    text = coverage.content[position["currentOffset"] : position["endOffset"] + 1]
    values = ", ".join(f"{_label(v['value'])} ×{v['count']}" for v in node["values"])
    status = "hit" if node["values"] else "miss"
    return (
        f'<tr class="{status}"><td>{position["line"]}:{position["column"]}</td>'
        f"<td><code>{html.escape(text)}</code></td>"
        f"<td>{html.escape(values) or 'never evaluated'}</td></tr>"
    )


def _label(value: dict[str, Any]) -> str:
    ((kind, inner),) = value.items()
    return f"{kind.removesuffix('Value')}:{inner}" if kind != "nullValue" else "null"


def html_report(coverage: Coverage, title: str) -> str:
    """A page listing every expression with its values; unevaluated ones in red."""
    rows = "\n".join(_row(coverage, node) for node in _flat(_nested(coverage)))
    missed = len(coverage.unevaluated())
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif}} code{{white-space:pre-wrap}}
tr.miss{{background:#fdd}} tr.hit{{background:#dfd}} td{{vertical-align:top;padding:2px 6px}}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p>{len(coverage.positions)} expressions, {missed} never evaluated.</p>
<table><tr><th>line:col</th><th>expression</th><th>evaluated to</th></tr>
{rows}
</table>
<h2>{html.escape(coverage.file_name)}</h2><pre>{html.escape(coverage.content)}</pre>
</body></html>
"""
