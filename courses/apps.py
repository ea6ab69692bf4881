from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Curricula as Wagtail pages, and each learner's record kept in ordinary models."""

    name = "courses"
    verbose_name = _("Courses")
