from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Curricula as Wagtail pages, and each learner's record kept in ordinary models."""

    name = "courses"
    verbose_name = _("Courses")

    def ready(self) -> None:
        from wagtail.signals import page_published

        from courses.trainer_access import sync_on_publish

        page_published.connect(sync_on_publish, dispatch_uid="courses.trainer_access")
