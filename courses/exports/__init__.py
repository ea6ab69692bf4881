"""Courses exported for other learning systems: SCORM 1.2 and IMS Common Cartridge 1.3.

``export_course`` reads one translation of a course (``courses.exports.content``) in that
translation's language and writes it as a zip in one of the two formats
(``courses.exports.scorm12``, ``courses.exports.cc13``). The course page, the Wagtail admin
(``courses.wagtail_hooks``) and ``manage.py export_course`` all call it; only a course's
trainers (and superusers) may (``courses.access.may_manage_course``), checked by the callers.
"""

from __future__ import annotations

import enum
from typing import BinaryIO

from django.utils import translation

from courses.models import CoursePage


class ExportFormat(enum.StrEnum):
    SCORM12 = "scorm12"
    CC13 = "cc13"

    @property
    def extension(self) -> str:
        """Learning systems take a cartridge as ``.imscc`` and a SCORM package as ``.zip``."""
        return "imscc" if self is ExportFormat.CC13 else "zip"


def export_filename(course: CoursePage, export_format: ExportFormat) -> str:
    return (
        f"{course.slug}-{course.locale.language_code}-{export_format.value}."
        f"{export_format.extension}"
    )


def export_course(*, course: CoursePage, export_format: ExportFormat, target: BinaryIO) -> None:
    """Write ``course`` (its live modules and lessons) as a package into ``target``."""
    from courses.exports import cc13, content, scorm12

    writer = scorm12 if export_format is ExportFormat.SCORM12 else cc13
    with translation.override(course.locale.language_code):
        export = content.read_course(course, media_dir=writer.MEDIA_DIR)
        writer.write(export, target)
