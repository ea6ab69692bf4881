"""Demo curricula: the course catalogue page (courses arrive with the courses feature)."""

from __future__ import annotations

from courses.models import CourseIndexPage
from library.demo import ensure_locales, ensure_section, ensure_translations
from library.models import HomePage


def seed(out) -> None:
    home = HomePage.objects.filter(depth=2).order_by("pk").first()
    if home is None:
        return
    catalogue = ensure_section(
        home,
        CourseIndexPage,
        "courses",
        "Courses",
        "<p>Self-paced and cohort courses from the network's training institutes.</p>",
    )
    ensure_translations(
        catalogue, ensure_locales(), {"es": "Cursos", "fr": "Cours", "pt": "Cursos"}
    )
    out.write("Course catalogue ready.")
