"""Browsers may call the callables only from configured origins."""

from __future__ import annotations

import flask
import pytest


def _preflight(main_module, origin: str) -> flask.Response:
    app = flask.Flask("cors")
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    with app.test_request_context("/", method="OPTIONS", headers=headers):
        return main_module.create_room(flask.request)


@pytest.mark.parametrize("origin", ["http://localhost:5173", "https://demo-flowchat.web.app"])
def test_allowed_origin_gets_cors_headers(main_module, origin) -> None:
    response = _preflight(main_module, origin)
    assert response.headers.get("Access-Control-Allow-Origin") == origin


@pytest.mark.parametrize(
    "origin", ["https://evil.example.com", "https://demo-flowchat.web.app.evil.io"]
)
def test_other_origins_get_none(main_module, origin) -> None:
    response = _preflight(main_module, origin)
    assert "Access-Control-Allow-Origin" not in response.headers
