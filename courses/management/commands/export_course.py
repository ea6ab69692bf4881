"""``manage.py export_course <id or slug> --format scorm12|cc13 -o course.zip``: the same
package a trainer downloads from the course page, for scripts and bulk hand-overs."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from courses.exports import ExportFormat, export_course
from courses.models import CoursePage


class Command(BaseCommand):
    help = "Export a live course as a SCORM 1.2 or IMS Common Cartridge 1.3 package (zip)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("course", help="the course page's id, or its slug")
        parser.add_argument(
            "--format",
            required=True,
            choices=[choice.value for choice in ExportFormat],
            dest="export_format",
        )
        parser.add_argument("-o", "--output", required=True, help="the zip file to write")
        parser.add_argument(
            "--language",
            help="which translation, when a slug names several (e.g. es); an id names one",
        )

    def handle(self, *args, course: str, export_format: str, output: str, language, **options):
        courses = CoursePage.objects.live().select_related("locale")
        if course.isdigit():
            courses = courses.filter(pk=int(course))
        else:
            courses = courses.filter(slug=course)
        if language:
            courses = courses.filter(locale__language_code=language)
        found = list(courses[:10])
        if not found:
            raise CommandError(f"No live course {course!r}.")
        if len(found) > 1:
            languages = ", ".join(sorted(page.locale.language_code for page in found))
            raise CommandError(
                f"{course!r} names {len(found)} translations ({languages}): add --language."
            )
        with open(output, "wb") as target:
            export_course(course=found[0], export_format=ExportFormat(export_format), target=target)
        self.stdout.write(f"Wrote {output} ({found[0].title}, {found[0].locale.language_code}).")
