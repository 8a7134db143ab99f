"""A local stand-in for FCM's HTTP v1 send endpoint and Google's OAuth token endpoint.

FCM cannot be reached from here, so this fake checks what FCM and Google check:

- `POST /token` (the service account's token_uri): a JWT-bearer grant whose assertion is
  RS256-signed by the service account's key, issued by its client_email, for
  Google's token audience, with a scope that covers FCM and a sane iat/exp; answers an access token.
- `POST /v1/projects/{project}/messages:send`: `Authorization: Bearer <a token it issued>`
  (401 UNAUTHENTICATED otherwise), the configured project (403), a JSON body
  `{"message": {...}, "validate_only"?}` whose message has exactly one target (`fid` or
  `token`: the registration token; `topic`; `condition`), string
  `data` values, a notification of strings, android.collapse_key, the
  `apns-collapse-id` header (at most 64 bytes) and webpush's `Topic` header (at most 32
  URL-safe base64 characters); anything else is 400 INVALID_ARGUMENT, as FCM answers.
  Tokens in `unregistered` answer 404 UNREGISTERED; tokens starting with "invalid"
  answer 400 INVALID_ARGUMENT "not a valid FCM registration token"; others succeed.

Accepted messages land in `received`; every send request (accepted or not) in `requests`.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

FCM_SCOPES = {
    "https://www.googleapis.com/auth/firebase.messaging",
    "https://www.googleapis.com/auth/cloud-platform",
}
# Google checks the assertion's aud against its own token endpoint, whatever token_uri is.
GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
SEND_PATH = re.compile(r"^/v1/projects/([^/]+)/messages:send$")
TARGETS = ("fid", "token", "topic", "condition")  # fid: the token, as firebase-admin 7 names it
MESSAGE_KEYS = {
    "fid",
    "token",
    "topic",
    "condition",
    "notification",
    "data",
    "android",
    "apns",
    "webpush",
    "fcm_options",
    "name",
}
WEBPUSH_TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
FCM_ERROR = "type.googleapis.com/google.firebase.fcm.v1.FcmError"


@dataclass
class SendRequest:
    """One call to messages:send as the fake saw it."""

    authorization: str | None
    project: str
    body: Any
    status: int


@dataclass
class FakeFcm:
    """The fake server; `service_account` is the key file an Admin app should use."""

    project_id: str = "demo-flowchat"
    unregistered: set[str] = field(default_factory=set)
    received: list[dict[str, Any]] = field(default_factory=list)
    requests: list[SendRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._issued: set[str] = set()
        self._lock = threading.Lock()
        self._server = make_server("127.0.0.1", 0, self._app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self.client_email = f"fcm-sender@{self.project_id}.iam.gserviceaccount.com"

    # ---- lifecycle ----

    def start(self) -> FakeFcm:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()

    def reset(self) -> None:
        with self._lock:
            self.unregistered.clear()
            self.received.clear()
            self.requests.clear()

    @property
    def service_account(self) -> dict[str, str]:
        pem = self._key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        return {
            "type": "service_account",
            "project_id": self.project_id,
            "private_key_id": "fake-key-1",
            "private_key": pem,
            "client_email": self.client_email,
            "client_id": "1",
            "token_uri": f"{self.url}/token",
        }

    # ---- HTTP ----

    def _app(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        if request.method == "POST" and request.path == "/token":
            response = self._token(request)
        elif request.method == "POST" and (match := SEND_PATH.match(request.path)):
            response = self._send(request, match.group(1))
        else:
            response = _error(404, "NOT_FOUND", "Not found")
        return response(environ, start_response)

    def _token(self, request: Request) -> Response:
        if request.form.get("grant_type") != JWT_BEARER:
            return _oauth_error("unsupported_grant_type")
        try:
            claims = jwt.decode(
                request.form.get("assertion", ""),
                self._key.public_key(),
                algorithms=["RS256"],
                audience=GOOGLE_TOKEN_AUDIENCE,
                issuer=self.client_email,
                options={"require": ["iat", "exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as exc:
            return _oauth_error("invalid_grant", str(exc))
        if claims["exp"] - claims["iat"] > 3600 or not FCM_SCOPES & set(
            str(claims.get("scope", "")).split()
        ):
            return _oauth_error("invalid_scope")
        token = "ya29.fake-" + secrets.token_urlsafe(24)
        with self._lock:
            self._issued.add(token)
        body = {"access_token": token, "expires_in": 3600, "token_type": "Bearer"}
        return Response(json.dumps(body), 200, content_type="application/json")

    def _send(self, request: Request, project: str) -> Response:
        authorization = request.headers.get("Authorization")
        try:
            body = json.loads(request.get_data() or b"null")
        except ValueError:
            body = None
        response = self._check_send(authorization, project, body)
        with self._lock:
            self.requests.append(SendRequest(authorization, project, body, response.status_code))
            if response.status_code == 200:
                self.received.append(body["message"])
        return response

    def _check_send(self, authorization: str | None, project: str, body: Any) -> Response:
        scheme, _, token = (authorization or "").partition(" ")
        with self._lock:
            known = token in self._issued
        if scheme != "Bearer" or not known:
            return _error(
                401,
                "UNAUTHENTICATED",
                "Request is missing required authentication "
                "credential. Expected OAuth 2 access token.",
            )
        if project != self.project_id:
            return _error(403, "PERMISSION_DENIED", "SenderId mismatch", "SENDER_ID_MISMATCH")
        problem = _message_problem(body)
        if problem:
            return _error(400, "INVALID_ARGUMENT", problem, "INVALID_ARGUMENT")
        target = body["message"].get("fid") or body["message"].get("token")
        if target in self.unregistered:
            return _error(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED")
        if isinstance(target, str) and target.startswith("invalid"):
            return _error(
                400,
                "INVALID_ARGUMENT",
                "The registration token is not a valid FCM registration token",
                "INVALID_ARGUMENT",
            )
        name = f"projects/{project}/messages/{secrets.token_hex(8)}"
        return Response(json.dumps({"name": name}), 200, content_type="application/json")


def _message_problem(body: Any) -> str | None:
    """What FCM would call invalid in a send body (None: valid)."""
    if not isinstance(body, dict) or not isinstance(body.get("message"), dict):
        return 'Invalid JSON payload: expected {"message": {...}}'
    if set(body) - {"message", "validate_only"}:
        return f"Unknown name {sorted(set(body) - {'message', 'validate_only'})}"
    message = body["message"]
    if set(message) - MESSAGE_KEYS:
        return f"Unknown name {sorted(set(message) - MESSAGE_KEYS)} at 'message'"
    if sum(k in message for k in TARGETS) != 1:
        return "Exactly one of fid, token, topic or condition must be set"
    for target in ("fid", "token"):
        if target in message and (not isinstance(message[target], str) or not message[target]):
            return f"Invalid value at 'message.{target}'"
    checks = (
        _strings(message.get("data", {}), "message.data"),
        _strings(message.get("notification", {}), "message.notification"),
        _android(message.get("android", {})),
        _apns(message.get("apns", {})),
        _webpush(message.get("webpush", {})),
    )
    return next((c for c in checks if c), None)


def _strings(value: Any, where: str) -> str | None:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        return f"Invalid value at '{where}': values must be strings"
    return None


def _android(android: Any) -> str | None:
    if not isinstance(android, dict):
        return "Invalid value at 'message.android'"
    if "collapse_key" in android and not isinstance(android["collapse_key"], str):
        return "Invalid value at 'message.android.collapse_key'"
    if android.get("priority", "high") not in ("high", "normal"):
        return "Invalid value at 'message.android.priority'"
    return None


def _apns(apns: Any) -> str | None:
    headers = apns.get("headers", {}) if isinstance(apns, dict) else None
    if headers is None or _strings(headers, "message.apns.headers"):
        return "Invalid value at 'message.apns.headers'"
    if len(headers.get("apns-collapse-id", "").encode()) > 64:
        return "apns-collapse-id must be at most 64 bytes"
    return None


def _webpush(webpush: Any) -> str | None:
    headers = webpush.get("headers", {}) if isinstance(webpush, dict) else None
    if headers is None or _strings(headers, "message.webpush.headers"):
        return "Invalid value at 'message.webpush.headers'"
    topic = headers.get("Topic")
    if topic is not None and not WEBPUSH_TOPIC.match(topic):
        return "webpush Topic must be at most 32 URL-safe base64 characters"
    return None


def _error(status: int, code: str, message: str, fcm_code: str | None = None) -> Response:
    details = [{"@type": FCM_ERROR, "errorCode": fcm_code}] if fcm_code else []
    body = {"error": {"code": status, "message": message, "status": code, "details": details}}
    return Response(json.dumps(body), status, content_type="application/json")


def _oauth_error(code: str, description: str = "") -> Response:
    body = {"error": code, "error_description": description or code}
    return Response(json.dumps(body), 400, content_type="application/json")
