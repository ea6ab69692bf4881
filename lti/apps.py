from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LtiConfig(AppConfig):
    """The LTI 1.3 tool: learning platforms (Moodle, Open edX, Canvas) launch our lessons, and
    get the learners' grades back (AGS), and their class lists fill our cohorts (NRPS)."""

    name = "lti"
    verbose_name = _("LTI tool")

    def ready(self) -> None:
        from django.conf import settings

        from config import schedule
        from lti import grades, tasks

        grades.connect()
        schedule.every(600, tasks.sweep_scores)
        schedule.every(settings.LTI_ROSTER_SYNC_SECONDS, tasks.sync_rosters)
