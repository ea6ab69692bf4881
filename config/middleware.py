"""Content-Security-Policy on every response (Django 5.2 has no built-in CSP).

The site's pages carry no inline script and no inline event handler: every script is a file
under ``/static/`` and data reaches scripts through ``json_script`` or ``data-`` attributes. So
the site's policy allows scripts from our own origin only (``script-src 'self'``), which turns
any markup that slipped past the sanitiser into text the browser refuses to run.

The Wagtail admin (and Django's) still ship a few inline scripts (panel and date widget set-up)
and inline styles, and show page previews in frames, so paths under
``CSP_RELAXED_PATH_PREFIXES`` get ``CONTENT_SECURITY_POLICY_ADMIN`` instead. Only signed-in
editors reach those pages. Of those, the responses Wagtail marks ``X-Frame-Options:
SAMEORIGIN`` (its live preview, shown in a frame of the page editor) may be framed by our own
origin (``config.csp.framed_by_self``); everything else, public or admin, may be framed by none. A view that sets its own policy (forum attachments:
``default-src 'none'; sandbox``) keeps it, and so do Django's debug error pages.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin

from config import csp

HEADER = "Content-Security-Policy"


class ContentSecurityPolicyMiddleware(MiddlewareMixin):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if getattr(request, "is_dummy", False):
            # Wagtail renders a preview through the middleware as a dummy request at the page's
            # public path (``make_preview_request`` flags it ``is_dummy``); the admin request
            # that serves it sets the policy, one that lets the page editor frame it.
            return response
        if HEADER in response:
            return response
        if settings.DEBUG and response.status_code >= 400:
            # Django's technical error pages (DEBUG only) are styled inline; in production the
            # site's own 404/500 templates are served, under the site's policy.
            return response
        policy = settings.CONTENT_SECURITY_POLICY
        if request.path.startswith(tuple(settings.CSP_RELAXED_PATH_PREFIXES)):
            policy = settings.CONTENT_SECURITY_POLICY_ADMIN
            if policy and response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
                policy = csp.framed_by_self(policy)
        if policy:
            response[HEADER] = policy
        return response
