from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LtiConfig(AppConfig):
    """The LTI 1.3 tool: learning platforms (Moodle, Open edX, Canvas) launch our lessons."""

    name = "lti"
    verbose_name = _("LTI tool")
