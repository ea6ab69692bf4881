from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Curricula as Wagtail pages, and each learner's record kept in ordinary models."""

    name = "courses"
    verbose_name = _("Courses")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_save
        from wagtail.signals import page_published

        from courses import cache
        from courses.models import CoursePage
        from courses.trainer_access import sync_on_publish, sync_on_translation_created

        cache.connect()  # the course pages' tag of the page cache
        page_published.connect(sync_on_publish, dispatch_uid="courses.trainer_access")
        post_save.connect(
            sync_on_translation_created,
            sender=CoursePage,
            dispatch_uid="courses.trainer_access.translations",
        )

        from courses.discussions import trainers_changed

        # Trainers named or taken off join or leave the course's private lesson threads.
        m2m_changed.connect(
            trainers_changed,
            sender=CoursePage.trainers.through,
            dispatch_uid="courses.discussions.trainers",
        )

        from courses.inactivity import MAIL_KIND, MAIL_KIND_LABEL
        from network.mail import add_optional_kind

        add_optional_kind(MAIL_KIND, MAIL_KIND_LABEL)

        from courses.selectors import partnership_learning
        from network.home import HomeSection, add_section

        # Who learns what is the members' business: the section is theirs only.
        add_section(
            HomeSection(
                name="learning",
                template="network/home/learning.html",
                read=partnership_learning,
                members_only=True,
                order=30,
            )
        )
