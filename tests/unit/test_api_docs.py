"""docs/api.md and client/js's generated types say what the code says (no drift), and every
callable declares its schema."""

from __future__ import annotations

import typing

import pytest
from flowchat.api.schema import Schema

from scripts.api_docs.__main__ import ROOT, outputs
from scripts.api_docs.catalog import callables, entries
from scripts.api_docs.rules_constants import rules_constants


@pytest.mark.parametrize("path", sorted(outputs()), ids=lambda p: str(p.relative_to(ROOT)))
def test_generated_file_matches_the_code(path: typing.Any) -> None:
    expected = outputs()[path]
    assert path.exists(), f"{path} is missing: run python -m scripts.api_docs"
    assert path.read_text() == expected, f"{path} drifted: run python -m scripts.api_docs"


def test_every_callable_declares_its_schema() -> None:
    missing = [e.name for e in callables() if e.schema() is None]
    assert not missing, (
        f"declare NAME = Schema(...) beside these handlers (flowchat/api/schema.py): {missing}"
    )


def test_every_callable_of_main_is_documented() -> None:
    page = (ROOT / "docs" / "api.md").read_text()
    names = [e.name for e in entries() if e.kind == "callable"]
    assert len(names) >= 17
    for name in names:
        assert f"## `{name}`" in page, name


def test_every_schema_refuses_a_field_it_does_not_list() -> None:
    from firebase_functions import https_fn
    from flowchat.errors import InvalidInput

    request = https_fn.CallableRequest(
        raw_request=typing.cast(typing.Any, None), data={"notAField": 1}
    )
    for entry in callables():
        schema = entry.schema()
        assert isinstance(schema, Schema)
        with pytest.raises(InvalidInput, match="unknown fields: notAField"):
            schema.parse(request)


def test_rules_constants_are_read_from_firestore_rules() -> None:
    constants = rules_constants(ROOT / "firestore.rules")
    assert isinstance(constants["maxTextLength"], int)
    assert "isSignedIn" not in constants  # an expression, not a constant
    assert len(constants["allowedReactions"]) >= 1
