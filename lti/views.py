"""The tool's endpoints: OIDC login initiation, the launch, deep linking, our key set, and the
instructor's class list page (NRPS).

Thin: the library validates (``lti.launch``), ``lti.services`` signs in and enrols. A refused
launch gets the site's own error page in the reader's language, never a traceback: the
library's reason goes to the log, not to the page.
"""

from __future__ import annotations

import logging
import re
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from lti_tool.models import Key

from config.csp import origin_of
from config.middleware import HEADER as CSP_HEADER
from lti import deep_linking, framing, launch, names_roles, roster, selectors, services
from lti.models import ContextCohort
from lti.targets import launch_target

logger = logging.getLogger(__name__)

#: The session's right to sync a platform course's class list: {context cohort id: the launch's
#: lesson or course address}, granted by an instructor's launch that carried the NRPS claim.
ROSTER_GRANTS = "lti.roster_grants"
_STATE = re.compile(r"state-[0-9a-f-]{36}")
_LAUNCH_ID = re.compile(r"lti1p3-launch-[0-9a-f-]{36}")
_UNVERIFIED = gettext_lazy(
    "This launch could not be verified: it may have expired or been altered. "
    "Open the activity again from your platform."
)


def _refusal(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    """The refusal is shown where the launch was: usually inside the platform's frame, of a
    platform we could not verify. The page offers nothing to click that a frame could abuse
    beyond the site's own menu, so any ancestor may show it."""
    response = render(request, "lti/launch_error.html", {"message": message}, status=status)
    response[CSP_HEADER] = framing.framed_policy(settings.CONTENT_SECURITY_POLICY, "*")
    response.xframe_options_exempt = True
    return response


def launch_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("lti:launch"))


@csrf_exempt  # a cross-site GET or form post from the platform; it changes nothing of ours
@require_http_methods(["GET", "POST"])
def oidc_login(request: HttpRequest, registration_uuid: uuid.UUID) -> HttpResponse:
    try:
        return launch.login_redirect(
            request=request, registration_uuid=registration_uuid, launch_url=launch_url(request)
        )
    except launch.REFUSALS as error:
        logger.info("LTI login initiation refused: %s", error)
        return _refusal(
            request,
            _("This platform is not registered here, or its request was incomplete."),
            status=400,
        )


@csrf_exempt  # the platform's form post; the id_token's signature, nonce and state guard it
@require_POST
def launch_view(request: HttpRequest) -> HttpResponse:
    # Not a check of trust (that is pylti1p3's): a state we cannot have issued ("state-" and a
    # UUID) would only become an odd cache key on its way to the library's refusal.
    if not _STATE.fullmatch(request.POST.get("state", "")):
        return _refusal(request, _UNVERIFIED, status=403)
    try:
        lti_launch = launch.validated_launch(request)
    except launch.REFUSALS as error:
        logger.info("LTI launch refused: %s", error)
        return _refusal(request, _UNVERIFIED, status=403)
    if lti_launch.is_deep_link_launch:
        return _deep_link_picker(request, lti_launch)
    if not lti_launch.is_resource_launch:
        return _refusal(request, _("This kind of launch is not supported yet."), status=400)
    target = launch_target(claims=lti_launch.get_launch_data(), request=request)
    if target is None:
        return _refusal(
            request,
            _("This link does not lead to a course or lesson of this site."),
            status=404,
        )
    try:
        user = services.launch_sign_in(lti_launch=lti_launch, target=target)
    except services.LaunchRefused as error:
        return _refusal(request, error.message, status=error.status)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    framing.allow_framing_by(request, origin_of(lti_launch.registration.issuer))
    continue_to = target.page.get_url(request) or "/"
    # Each launch says afresh what its person may do: only this one's grant stands.
    request.session.pop(ROSTER_GRANTS, None)
    if names_roles.may_sync(lti_launch):
        link = selectors.context_cohort_of(
            lti_launch=lti_launch, course_key=target.course.translation_key
        )
        if link is not None:
            request.session[ROSTER_GRANTS] = {str(link.pk): continue_to}
            return redirect("lti:roster", context_cohort_id=link.pk)
    return redirect(continue_to)


def _framed_by_platform(response: HttpResponse, lti_launch, *, posting_to: str = ""):
    origin = origin_of(lti_launch.registration.issuer)
    policy = framing.framed_policy(settings.CONTENT_SECURITY_POLICY, origin)
    if posting_to:
        policy = framing.posting_to(policy, origin_of(posting_to))
    response[CSP_HEADER] = policy
    response.xframe_options_exempt = True
    return response


def _deep_link_picker(request: HttpRequest, lti_launch) -> HttpResponse:
    try:
        services.deep_link_accept(lti_launch=lti_launch)
    except services.LaunchRefused as error:
        return _refusal(request, error.message, status=error.status)
    context = {
        "launch_id": lti_launch.get_launch_id(),
        "catalogue": selectors.deep_link_catalogue(),
    }
    response = render(request, "lti/deep_link_picker.html", context)
    return _framed_by_platform(response, lti_launch)


@csrf_exempt  # posted from our picker in the platform's frame, where our cookies may not be
@require_POST  # sent; the launch id, known only to that frame, is what authorises it
def deep_link_choose(request: HttpRequest) -> HttpResponse:
    """The teacher's pick, answered with the signed deep linking response to post back."""
    launch_id = request.POST.get("launch_id", "")
    if not _LAUNCH_ID.fullmatch(launch_id):
        return _refusal(request, _UNVERIFIED, status=400)
    try:
        lti_launch = deep_linking.restored_launch(request, launch_id)
    except launch.REFUSALS as error:
        logger.info("LTI deep linking choice refused: %s", error)
        return _refusal(request, _UNVERIFIED, status=403)
    if not deep_linking.may_pick(lti_launch):
        return _refusal(request, _UNVERIFIED, status=403)
    try:
        page_id = int(request.POST.get("page", ""))
    except ValueError:
        page_id = 0
    page = deep_linking.pickable(page_id) if 0 < page_id < 2**31 else None
    if page is None:
        return _refusal(
            request, _("This link does not lead to a course or lesson of this site."), status=404
        )
    context = {
        "page": page,
        "jwt": deep_linking.response_jwt(
            lti_launch=lti_launch, page=page, launch_url=launch_url(request)
        ),
        "return_url": deep_linking.return_url(lti_launch),
    }
    response = render(request, "lti/deep_link_return.html", context)
    return _framed_by_platform(response, lti_launch, posting_to=context["return_url"])


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    """Every active key, so a platform verifies messages signed before and after a rotation."""
    launch.ensure_signing_key()
    return JsonResponse(Key.objects.as_jwks())


@require_http_methods(["GET", "POST"])
def roster_view(request: HttpRequest, context_cohort_id: int) -> HttpResponse:
    """The platform course's class list as this site has it, and "update now" for the
    instructor whose launch opened it (the worker also syncs it on the clock). Synced in the
    request: the teacher who asked sees the result, and every platform request is bounded."""
    continue_to = request.session.get(ROSTER_GRANTS, {}).get(str(context_cohort_id))
    if continue_to is None or not request.user.is_authenticated:
        return _refusal(
            request,
            _("Open this page from your platform's course, as one of its instructors."),
            status=403,
        )
    link = get_object_or_404(ContextCohort.objects.select_related("cohort"), pk=context_cohort_id)
    if request.method == "POST":
        try:
            outcome = roster.roster_sync(context_cohort=link)
        except names_roles.RosterUnavailable:
            messages.error(
                request,
                _(
                    "The class list could not be read from your platform, so nothing was "
                    "changed. The site's administrators can see why; try again later."
                ),
            )
        else:
            messages.success(
                request,
                ngettext(
                    "Class list updated: %(listed)d person listed, %(enrolled)d enrolled, "
                    "%(withdrawn)d withdrawn.",
                    "Class list updated: %(listed)d people listed, %(enrolled)d enrolled, "
                    "%(withdrawn)d withdrawn.",
                    outcome.listed,
                )
                % {
                    "listed": outcome.listed,
                    "enrolled": outcome.enrolled,
                    "withdrawn": outcome.withdrawn,
                },
            )
        return redirect("lti:roster", context_cohort_id=link.pk)
    context = {
        "cohort": link.cohort,
        "summary": selectors.roster_summary(link),
        "continue_to": continue_to,
    }
    return render(request, "lti/roster.html", context)
