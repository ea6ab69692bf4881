from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LtiConfig(AppConfig):
    """The LTI 1.3 tool: learning platforms (Moodle, Open edX, Canvas) launch our lessons, and
    get the learners' grades back (AGS)."""

    name = "lti"
    verbose_name = _("LTI tool")

    def ready(self) -> None:
        from config import schedule
        from lti import grades, tasks

        grades.connect()
        schedule.every(600, tasks.sweep_scores)
