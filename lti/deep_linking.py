"""Deep linking: a platform's teacher picks one of our courses or lessons, and we answer with
an ``LtiResourceLink`` content item in a JWT signed with our key (pylti1p3's ``DeepLink``),
which the teacher's browser posts back to the platform's ``deep_link_return_url``.

The item's custom ``lesson`` / ``course`` parameter is what ``lti.targets`` reads on the
resource launches it makes, and it asks the platform for a line item (100 points) so those
launches carry the AGS claim that grade return needs. Only a teacher of the platform's
course (Instructor, ContentDeveloper or Administrator role in the launch) may pick.
"""

from __future__ import annotations

from django.http import HttpRequest
from lti_tool.lti_core.constants import ContextRole
from lti_tool.lti_core.utils import normalize_role
from lti_tool.models import LtiLaunch
from lti_tool.utils import DjangoToolConfig
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem
from wagtail.models import Page

from courses.models import CoursePage, LessonPage
from lti.launch import TimedSession
from lti.scores import SCORE_MAXIMUM

TEACHING_ROLES = {
    ContextRole.INSTRUCTOR.value,
    ContextRole.CONTENT_DEVELOPER.value,
    ContextRole.ADMINISTRATOR.value,
}


def may_pick(lti_launch: LtiLaunch) -> bool:
    roles = lti_launch.roles_claim or []
    return lti_launch.is_deep_link_launch and any(
        normalize_role(str(role)) in TEACHING_ROLES for role in roles
    )


def restored_launch(request: HttpRequest, launch_id: str) -> LtiLaunch:
    """The deep linking launch validated earlier, from the cache pylti1p3 saved it in (its
    unguessable id is the picker form's only credential). Raises pylti1p3's ``LtiException``
    when there is none."""
    message_launch = DjangoMessageLaunch.from_cache(
        launch_id,
        request,
        DjangoToolConfig(),
        launch_data_storage=DjangoCacheDataStorage(),
        requests_session=TimedSession(),
    )
    return LtiLaunch(message_launch)


def pickable(page_id: int) -> CoursePage | LessonPage | None:
    page = Page.objects.live().public().filter(pk=page_id).first()
    page = page.specific if page is not None else None
    return page if isinstance(page, CoursePage | LessonPage) else None


def response_jwt(*, lti_launch: LtiLaunch, page: CoursePage | LessonPage, launch_url: str) -> str:
    """The signed LtiDeepLinkingResponse naming ``page`` as one resource link."""
    kind = "lesson" if isinstance(page, LessonPage) else "course"
    resource = (
        DeepLinkResource()
        .set_url(launch_url)
        .set_title(page.title)
        .set_custom_params({kind: str(page.pk)})
        .set_lineitem(
            LineItem()
            .set_score_maximum(SCORE_MAXIMUM)
            .set_label(page.title)
            .set_resource_id(str(page.translation_key))
        )
    )
    deep_link = lti_launch.get_message_launch().get_deep_link()
    return deep_link.get_response_jwt([resource])


def return_url(lti_launch: LtiLaunch) -> str:
    settings_claim = lti_launch.get_claim(
        "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
    )
    return str((settings_claim or {}).get("deep_link_return_url") or "")
