"""The download of a course package: for the course's trainers (and superusers) only."""

from __future__ import annotations

import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from courses import access
from courses.exports import ExportFormat, export_course, export_filename
from courses.models import CoursePage

#: A package is built in memory up to this size, then in a temporary file.
IN_MEMORY_BYTES = 16 * 1024 * 1024


@login_required
@require_GET
def course_export(request: HttpRequest, page_id: int, export_format: str) -> FileResponse:
    """The course translation ``page_id`` as a SCORM 1.2 or Common Cartridge 1.3 zip, in that
    translation's language. Anyone but its trainers gets a 403 (they know the course exists:
    its page is public); an unknown course or format, a 404."""
    try:
        chosen = ExportFormat(export_format)
    except ValueError:
        raise Http404(_("No such export format.")) from None
    course = CoursePage.objects.live().filter(pk=page_id).select_related("locale").first()
    if course is None:
        raise Http404(_("No such course."))
    if not access.may_manage_course(user=request.user, course=course):
        raise PermissionDenied(_("Only this course's trainers may export it."))
    # FileResponse closes it once the response is sent.
    target = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)
    export_course(course=course, export_format=chosen, target=target)
    target.seek(0)
    response = FileResponse(
        target,
        as_attachment=True,
        filename=export_filename(course, chosen),
        content_type="application/zip",
    )
    # The answer keys travel in a package: no shared cache may keep one.
    patch_cache_control(response, private=True, no_store=True)
    return response
