from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    """Certificates as Open Badges 3.0 credentials (signed, revocable through a status list)
    and as printable PDFs."""

    name = "credentials"
    verbose_name = _("Credentials")

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from courses import signals
        from courses.models import Certificate
        from credentials import signal_handlers

        signals.certificate_issued.connect(
            signal_handlers.allocate_status_entry, dispatch_uid="credentials.allocate_status"
        )
        signals.certificate_revoked.connect(
            signal_handlers.drop_status_list, dispatch_uid="credentials.drop_status_list"
        )
        pre_delete.connect(
            signal_handlers.drop_status_list_on_delete,
            sender=Certificate,
            dispatch_uid="credentials.drop_status_list_on_delete",
        )
