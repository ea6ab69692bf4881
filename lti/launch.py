"""The library's validation of an OIDC login and a launch, with our HTTP timeout.

Everything about a launch's trust (the id_token's signature against the platform's key set,
its expiry, the audience being a registered client, the nonce being one we issued, the state
cookie, the deployment, the message's required claims) is pylti1p3's, through django-lti's
tool configuration. We add what they leave out: a timeout on the fetch of the platform's key
set, and the refusal of a replayed nonce (``services.launch_sign_in``).
"""

from __future__ import annotations

import uuid

import requests
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from lti_tool.models import Key, LtiLaunch
from lti_tool.utils import DjangoToolConfig
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.exception import LtiException, OIDCException

#: What pylti1p3 and PyJWT raise for a launch they refuse.
REFUSALS = (LtiException, OIDCException)


class TimedSession(requests.Session):
    """requests has no session-wide timeout; pylti1p3's session would wait for ever."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", settings.LTI_HTTP_TIMEOUT)
        return super().request(*args, **kwargs)


def ensure_signing_key() -> None:
    """Registrations sign with the newest active key; a fresh site has none until one is made
    (``manage.py rotate_keys`` makes the next, and the key set keeps serving the old ones)."""
    if not Key.objects.active().exists():
        Key.objects.generate()


def login_redirect(*, request: HttpRequest, registration_uuid: uuid.UUID, launch_url: str):
    """Answer a platform's third-party login initiation: a redirect to its auth URL carrying a
    new state (also set as a cookie) and nonce. Raises one of ``REFUSALS``."""
    ensure_signing_key()
    login = DjangoOIDCLogin(
        request,
        DjangoToolConfig(registration_uuid),
        launch_data_storage=DjangoCacheDataStorage(),
    )
    response: HttpResponse = login.redirect(launch_url)
    return response


def validated_launch(request: HttpRequest) -> LtiLaunch:
    """The launch posted to us, validated by pylti1p3. Raises one of ``REFUSALS``."""
    ensure_signing_key()
    message_launch = DjangoMessageLaunch(
        request,
        DjangoToolConfig(),
        launch_data_storage=DjangoCacheDataStorage(),
        requests_session=TimedSession(),
    )
    message_launch.validate()
    return LtiLaunch(message_launch)
