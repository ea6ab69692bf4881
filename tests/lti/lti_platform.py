"""A learning platform stand-in for the LTI tests: a threaded HTTP server on a free localhost
port with its own RSA key, serving its key set, an OIDC auth endpoint that answers our login
redirect with a signed id_token (PyJWT, RS256) posted back to us, and a course page that frames
our tool the way Moodle or Open edX would.

For grade return (AGS) it is also the platform's side of the service calls: a token endpoint
that checks our client assertion JWT (RS256, against the tool's key set, the audience its token
URL, issuer and subject our client id) before it issues an access token, and a line item's
``/scores`` endpoint that takes only those tokens and records every Score it receives
(``platform.scores``). ``platform.unavailable = True`` makes both answer 503, as a platform that
is down would. Its deep linking return URL checks the tool's response JWT (our key set, the
platform as audience) and records the content items (``platform.deep_link_responses``).

For the class list (NRPS) it serves the course's membership container at
``platform.memberships_url`` (the members a test puts in ``platform.members``), only to an
access token its token endpoint issued for the ``contextmembership.readonly`` scope (tokens
carry the scopes granted, ``platform.grantable_scopes`` limits them), ``members_page_size`` at a
time with a ``Link: <...>; rel="next"`` header whose query is case-sensitive (``?Page=2``), as a
cursor may be. ``memberships_down_from_page`` makes that page and the later ones answer 503.

The claims of the next launch are set by the test (``platform.next_launch``); anything in
``overrides`` replaces or (with ``None``) removes a claim, so a test can sign an expired token,
another audience, or a deployment nobody registered.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
import time
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
LEARNER_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
AGS = "https://purl.imsglobal.org/spec/lti-ags/scope/"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
INSTRUCTOR_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
MEMBERSHIP_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"


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
        #: The tool's key set, or the address to fetch it from, to check client assertions.
        self.tool_jwks: dict | None = None
        self.tool_jwks_url = ""
        self.token_requests: list[dict] = []
        self.issued_tokens: set[str] = set()
        #: What each POST to a ``/scores`` endpoint carried: path, content type, JSON body.
        self.scores: list[dict] = []
        self.refused_scores = 0
        self.deep_link_responses: list[dict] = []
        self.unavailable = False
        #: Scopes granted to a token, by token; a token asked for others gets only these.
        self.token_scopes: dict[str, set[str]] = {}
        self.grantable_scopes = {AGS + "score", AGS + "lineitem", NRPS_SCOPE}
        #: The platform course's members, as NRPS lists them (``member(...)``).
        self.members: list[dict] = []
        self.members_page_size = 50
        self.memberships_down_from_page: int | None = None
        #: Every GET of the class list: path and query, status answered.
        self.membership_requests: list[dict] = []
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

    def line_item_url(self, number: int = 1) -> str:
        return f"{self.origin}/lineitems/{number}/lineitem"

    @property
    def memberships_url(self) -> str:
        return f"{self.origin}/memberships/course-101"

    def nrps_claim(self) -> dict:
        return {
            NRPS_CLAIM: {
                "context_memberships_url": self.memberships_url,
                "service_versions": ["2.0"],
            }
        }

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
            AGS_CLAIM: {
                "scope": [AGS + "lineitem.readonly", AGS + "result.readonly", AGS + "score"],
                "lineitems": f"{self.origin}/lineitems",
                "lineitem": self.line_item_url(1),
            },
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

    def _tool_keys(self) -> dict:
        if self.tool_jwks is not None:
            return self.tool_jwks
        with urllib.request.urlopen(self.tool_jwks_url, timeout=5) as response:  # noqa: S310
            return json.loads(response.read())

    def check_client_assertion(self, form: dict[str, str]) -> str:
        """What a platform checks before it issues a token (RFC 7523 client credentials):
        the assertion signed by one of the tool's published keys (the one its ``kid`` names),
        for our token URL, by our client. Returns why it is refused, or ``""``."""
        if form.get("grant_type") != "client_credentials":
            return "unsupported grant_type"
        if form.get("client_assertion_type") != (
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        ):
            return "unsupported client_assertion_type"
        assertion = form.get("client_assertion", "")
        try:
            kid = jwt.get_unverified_header(assertion).get("kid")
            keys = [key for key in self._tool_keys()["keys"] if key.get("kid") == kid]
            if not keys:
                return f"no key {kid!r} in the tool's key set"
            claims = jwt.decode(
                assertion,
                jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(keys[0])),
                algorithms=["RS256"],
                audience=self.token_url,
                options={"require": ["iss", "sub", "aud", "exp", "iat", "jti"]},
            )
        except (jwt.PyJWTError, ValueError, KeyError) as error:
            return f"invalid client assertion: {error}"
        if claims["iss"] != self.client_id or claims["sub"] != self.client_id:
            return "the assertion is not from our client"
        return ""

    def check_deep_link_response(self, token: str) -> dict:
        """The platform's check of the tool's LtiDeepLinkingResponse: signed by the tool key its
        ``kid`` names, for this platform. Raises PyJWT's errors."""
        kid = jwt.get_unverified_header(token).get("kid")
        key = next(key for key in self._tool_keys()["keys"] if key.get("kid") == kid)
        return jwt.decode(
            token,
            jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(key)),
            algorithms=["RS256"],
            audience=self.issuer,
        )

    def _deep_link_return(self, form: dict[str, str]) -> tuple[int, bytes]:
        try:
            claims = self.check_deep_link_response(form.get("JWT", ""))
        except (jwt.PyJWTError, StopIteration) as error:
            return (
                400,
                f"<!doctype html><title>Refused</title><p>{html.escape(str(error))}".encode(),
            )
        items = claims.get("https://purl.imsglobal.org/spec/lti-dl/claim/content_items", [])
        self.deep_link_responses.append(claims)
        titles = "".join(f"<li>{html.escape(str(item.get('title')))}</li>" for item in items)
        page = f"<!doctype html><title>Added</title><h1>Activity added</h1><ul>{titles}</ul>"
        return 200, page.encode()

    def _token_response(self, form: dict[str, str]) -> tuple[int, dict]:
        refusal = self.check_client_assertion(form)
        self.token_requests.append({**form, "refusal": refusal})
        if refusal:
            return 401, {"error": "invalid_client", "error_description": refusal}
        token = secrets.token_urlsafe(24)
        self.issued_tokens.add(token)
        granted = set(form.get("scope", "").split()) & self.grantable_scopes
        self.token_scopes[token] = granted
        return 200, {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": 3600,
            "scope": " ".join(sorted(granted)),
        }

    def _memberships(self, query: dict[str, str], authorization: str) -> tuple[int, dict, str]:
        """One page of the membership container, or a refusal: (status, body, Link header)."""
        token = authorization.removeprefix("Bearer ")
        if token not in self.token_scopes:
            return 401, {"error": "invalid_token"}, ""
        if NRPS_SCOPE not in self.token_scopes[token]:
            return 403, {"error": "insufficient_scope", "scope": NRPS_SCOPE}, ""
        page = int(query.get("Page", "1"))  # case-sensitive, as an opaque cursor would be
        if self.memberships_down_from_page and page >= self.memberships_down_from_page:
            return 503, {"error": "down for maintenance"}, ""
        size = self.members_page_size
        members = self.members[(page - 1) * size : page * size]
        link = ""
        if page * size < len(self.members):
            link = f'<{self.memberships_url}?Page={page + 1}>; rel="next"'
        body = {
            "id": self.memberships_url,
            "context": {"id": "course-101", "label": "WS101", "title": "Watersheds 101"},
            "members": members,
        }
        return 200, body, link

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
                elif parts.path == urlsplit(platform.memberships_url).path:
                    if platform.unavailable:
                        status, body, link = 503, {"error": "down"}, ""
                    else:
                        status, body, link = platform._memberships(
                            query, self.headers.get("Authorization", "")
                        )
                    platform.membership_requests.append(
                        {
                            "path": self.path,
                            "accept": self.headers.get("Accept", ""),
                            "status": status,
                        }
                    )
                    self._send(json.dumps(body).encode(), MEMBERSHIP_TYPE, status=status, link=link)
                else:
                    self.send_error(404)

            def do_POST(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                if platform.unavailable:
                    self._send(b"down for maintenance", "text/plain", status=503)
                elif parts.path == "/token":
                    form = {name: values[0] for name, values in parse_qs(body).items()}
                    status, answer = platform._token_response(form)
                    self._send(json.dumps(answer).encode(), "application/json", status=status)
                elif parts.path == "/deep-link-return":
                    form = {name: values[0] for name, values in parse_qs(body).items()}
                    status, page = platform._deep_link_return(form)
                    self._send(page, "text/html", status=status)
                elif parts.path.startswith("/lineitems/") and parts.path.endswith("/scores"):
                    authorization = self.headers.get("Authorization", "")
                    token = authorization.removeprefix("Bearer ")
                    if token not in platform.issued_tokens:
                        platform.refused_scores += 1
                        self._send(b"{}", "application/json", status=401)
                        return
                    platform.scores.append(
                        {
                            "path": parts.path,
                            "content_type": self.headers.get("Content-Type", ""),
                            "score": json.loads(body),
                        }
                    )
                    self._send(b"", "application/json", status=204)
                else:
                    self.send_error(404)

            def _send(
                self, body: bytes, content_type: str, *, status: int = 200, link: str = ""
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", f"{content_type}; charset=utf-8")
                if link:
                    self.send_header("Link", link)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        return Handler


def member(
    sub: str,
    *,
    roles: tuple[str, ...] = (LEARNER_ROLE,),
    status: str = "Active",
    given_name: str = "",
    family_name: str = "",
    email: str = "",
) -> dict:
    """One member of a membership container, as NRPS 2.0 lists them."""
    return {
        "user_id": sub,
        "status": status,
        "roles": list(roles),
        "given_name": given_name or sub.title(),
        "family_name": family_name,
        "name": f"{given_name or sub.title()} {family_name}".strip(),
        "email": email,
    }
