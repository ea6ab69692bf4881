"""A learning platform stand-in for the LTI tests: a threaded HTTP server on a free localhost
port with its own RSA key, serving its key set, an OIDC auth endpoint that answers our login
redirect with a signed id_token (PyJWT, RS256) posted back to us, and a course page that frames
our tool the way Moodle or Open edX would.

The claims of the next launch are set by the test (``platform.next_launch``); anything in
``overrides`` replaces or (with ``None``) removes a claim, so a test can sign an expired token,
another audience, or a deployment nobody registered.
"""

from __future__ import annotations

import html
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
LEARNER_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Platform:
    def __init__(self, *, host: str = "127.0.0.1") -> None:
        self.key = new_key()
        self.kid = f"platform-{uuid.uuid4().hex[:8]}"
        self.client_id = "landscape-commons-tool"
        self.deployment_id = "deployment-1"
        self.next_launch: dict = {}
        self.auth_requests: list[dict] = []
        self.tool_login_url = ""
        self._server = ThreadingHTTPServer((host, 0), self._handler())
        self._server.daemon_threads = True
        self.origin = f"http://{host}:{self._server.server_address[1]}"
        self.issuer = self.origin
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Platform:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def jwks_url(self) -> str:
        return f"{self.origin}/jwks"

    @property
    def auth_url(self) -> str:
        return f"{self.origin}/auth"

    @property
    def token_url(self) -> str:
        return f"{self.origin}/token"

    def jwks(self) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def claims(self, *, nonce: str, sub: str = "learner-1", **overrides) -> dict:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": sub,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "given_name": "Ana",
            "family_name": "Quispe",
            "email": "ana.quispe@example.edu",
            LTI + "message_type": "LtiResourceLinkRequest",
            LTI + "version": "1.3.0",
            LTI + "deployment_id": self.deployment_id,
            LTI + "roles": [LEARNER_ROLE],
            LTI + "resource_link": {"id": "link-1", "title": "Páramo water"},
            LTI + "context": {"id": "course-101", "title": "Watersheds 101", "label": "WS101"},
        }
        for name, value in overrides.items():
            name = name if name in claims or ":" in name else LTI + name
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        return claims

    def id_token(self, claims: dict, *, key: rsa.RSAPrivateKey | None = None) -> str:
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": self.kid})

    def _auth_response(self, query: dict[str, str]) -> bytes:
        """The platform's side of the OIDC login: sign the next launch with the nonce we were
        sent and post it with the state to the tool's redirect URI."""
        self.auth_requests.append(query)
        claims = self.claims(nonce=query["nonce"], **self.next_launch)
        fields = {"id_token": self.id_token(claims), "state": query["state"]}
        inputs = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(value)}">'
            for name, value in fields.items()
        )
        return (
            "<!doctype html><title>Signing in</title>"
            f'<form method="post" action="{html.escape(query["redirect_uri"])}">{inputs}'
            '<button type="submit">Continue</button></form>'
            "<script>document.forms[0].submit()</script>"
        ).encode()

    def course_page(self) -> bytes:
        """The platform's course page: the activity framed, as LMSs show tools."""
        login = (
            self.tool_login_url
            + "?"
            + urlencode(
                {
                    "iss": self.issuer,
                    "login_hint": "learner-1",
                    "target_link_uri": self.next_launch.get("target_link_uri", ""),
                    "lti_message_hint": "link-1",
                    "client_id": self.client_id,
                    "lti_deployment_id": self.deployment_id,
                }
            )
        )
        return (
            "<!doctype html><title>Watersheds 101</title><h1>Watersheds 101</h1>"
            f'<iframe name="tool" title="Activity" src="{html.escape(login)}"'
            ' width="800" height="600"></iframe>'
        ).encode()

    def _handler(self):
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {name: values[0] for name, values in parse_qs(parts.query).items()}
                if parts.path == "/jwks":
                    self._send(json.dumps(platform.jwks()).encode(), "application/json")
                elif parts.path == "/auth":
                    self._send(platform._auth_response(query), "text/html")
                elif parts.path == "/course":
                    self._send(platform.course_page(), "text/html")
                else:
                    self.send_error(404)

            def _send(self, body: bytes, content_type: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", f"{content_type}; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        return Handler
