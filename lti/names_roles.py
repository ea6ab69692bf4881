"""Read a platform course's class list (LTI Names and Role Provisioning Services 2.0).

The membership container is fetched through pylti1p3's ``NamesRolesProvisioningService``: its
``ServiceConnector`` gets an access token for the ``contextmembership.readonly`` scope from the
platform's token endpoint (a client assertion signed with our newest key, as grade return
does), and every request is bounded by ``LTI_HTTP_TIMEOUT``. Pages are followed by their
``Link: <...>; rel="next"`` header, which we read ourselves: pylti1p3 lower-cases the whole
header before matching it, which breaks a platform whose page cursors are case-sensitive.

Everything is read before anything is written (``lti.roster``), so a platform that fails on
the third page leaves no half-synced class. A next page on another origin is refused (our
bearer token goes only where the claim said), and so is a list longer than ``MAX_PAGES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from lti_tool.lti_core.constants import ContextRole
from lti_tool.lti_core.utils import normalize_role
from lti_tool.models import LtiLaunch, LtiRegistration
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector
from requests.utils import parse_header_links

from lti.launch import TimedSession

NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
#: A class list longer than this many pages is refused rather than followed for ever.
MAX_PAGES = 200
_CREDENTIALS = {400, 401, 403}


class RosterUnavailable(Exception):
    """The class list could not be read; ``message`` says what to check (for the log and the
    teacher), ``credentials`` whether it is the registration rather than the network."""

    def __init__(self, message: str, *, credentials: bool = False):
        super().__init__(message)
        self.message = message
        self.credentials = credentials


@dataclass(frozen=True)
class Member:
    """One person of the platform course, as the membership container lists them."""

    sub: str
    active: bool
    roles: frozenset[str]
    given_name: str = ""
    family_name: str = ""
    name: str = ""
    email: str = ""

    @property
    def is_instructor(self) -> bool:
        return ContextRole.INSTRUCTOR.value in self.roles

    @property
    def is_learner(self) -> bool:
        """A learner of the class: an instructor who is also listed as a learner (a teacher
        trying their own course) teaches it, and is not enrolled by the sync."""
        return ContextRole.LEARNER.value in self.roles and not self.is_instructor


def may_sync(lti_launch: LtiLaunch) -> bool:
    """Only an instructor of the platform course, launching with the NRPS claim (so the
    platform lets the tool read that course's list), may ask for a sync now."""
    claim = lti_launch.nrps_claim
    roles = {normalize_role(str(role)) for role in (lti_launch.roles_claim or [])}
    return (
        isinstance(claim, dict)
        and bool(claim.get("context_memberships_url"))
        and ContextRole.INSTRUCTOR.value in roles
    )


def members_from(raw: list) -> list[Member]:
    """The container's members as data; a member without ``user_id`` is skipped, a later
    duplicate of a ``user_id`` replaces the earlier one. Status defaults to Active (NRPS)."""
    members: dict[str, Member] = {}
    for item in raw:
        if not isinstance(item, dict) or not str(item.get("user_id") or "").strip():
            continue
        roles = item.get("roles") if isinstance(item.get("roles"), list) else []
        sub = str(item["user_id"]).strip()[:255]
        members[sub] = Member(
            sub=sub,
            active=str(item.get("status") or "Active") == "Active",
            roles=frozenset(normalize_role(str(role)) for role in roles),
            given_name=str(item.get("given_name") or "")[:150],
            family_name=str(item.get("family_name") or "")[:150],
            name=str(item.get("name") or "")[:500],
            email=str(item.get("email") or "").strip()[:254],
        )
    return list(members.values())


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def _next_page(headers: dict) -> str | None:
    link = next((value for name, value in headers.items() if name.lower() == "link"), "")
    for entry in parse_header_links(link) if link else []:
        if "next" in str(entry.get("rel", "")).split():
            return entry.get("url") or None
    return None


def _explain(error: LtiServiceException, *, registration: LtiRegistration) -> RosterUnavailable:
    response = error.response
    status, detail = response.status_code, response.text[:300]
    if response.url.split("?")[0] == registration.token_url.split("?")[0] and (
        status in _CREDENTIALS
    ):
        return RosterUnavailable(
            f"the platform's token endpoint {registration.token_url} refused our client "
            f"assertion for the class list scope ({status}): check the registration's client "
            f"ID and token URL, that the platform has this site's key set URL, and that the "
            f"tool may use Names and Role Provisioning Services. It said: {detail}",
            credentials=True,
        )
    if status in (401, 403):
        return RosterUnavailable(
            f"the platform refused our access token for its class list {response.url} "
            f"({status}): check that the tool may read course memberships (the NRPS scope "
            f"{NRPS_SCOPE}). It said: {detail}",
            credentials=True,
        )
    return RosterUnavailable(f"the platform answered {status} for {response.url}: {detail}")


def fetch_members(*, registration: LtiRegistration, memberships_url: str) -> list[Member]:
    """Every member of the platform course behind ``memberships_url``, all pages read.
    Raises ``RosterUnavailable``."""
    connector = ServiceConnector(registration.to_registration(), TimedSession())
    service = NamesRolesProvisioningService(connector, {"context_memberships_url": memberships_url})
    origin = _origin(memberships_url)
    raw: list = []
    url: str | None = memberships_url
    seen: set[str] = set()
    while url:
        if len(seen) >= MAX_PAGES:
            raise RosterUnavailable(f"the class list has more than {MAX_PAGES} pages")
        if _origin(url) != origin:
            raise RosterUnavailable(
                f"the class list's next page {url} is not on {memberships_url}'s site"
            )
        seen.add(url)
        try:
            data = service.get_nrps_data(url)
        except LtiServiceException as error:
            raise _explain(error, registration=registration) from error
        # Before RequestException: requests' JSONDecodeError is both.
        except (LtiException, ValueError, KeyError) as error:  # a token or body we cannot read
            raise RosterUnavailable(f"the platform's answer could not be read: {error}") from (
                error
            )
        except requests.RequestException as error:
            raise RosterUnavailable(f"the platform could not be reached: {error}") from error
        body = data.get("body")
        page = body.get("members") if isinstance(body, dict) else None
        if not isinstance(page, list):
            raise RosterUnavailable(f"{url} did not answer with a membership container")
        raw.extend(page)
        url = _next_page(data.get("headers") or {})
        if url in seen:
            url = None
    return members_from(raw)
