"""Times in the signed-in member's own zone (``User.time_zone``), on every page they see."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.deprecation import MiddlewareMixin

from network.mail import member_zone


class MemberTimeZoneMiddleware(MiddlewareMixin):
    """Activate the member's zone for the request (Django's documented way: templates' dates
    and ``localtime`` follow it). Only a request carrying a session can be a member's, so an
    anonymous one never touches the session (its pages stay cacheable and ``Vary``-free)."""

    def process_request(self, request: HttpRequest) -> None:
        user = getattr(request, "user", None)
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and user is not None
            and user.is_authenticated
            and user.time_zone
        ):
            timezone.activate(member_zone(user))
        else:
            timezone.deactivate()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        timezone.deactivate()
        return response
