from django import template

from credentials import services
from credentials.models import CertificateCredential

register = template.Library()


@register.simple_tag
def credential_status_url(certificate) -> str:
    """The status list that publishes the certificate's revocation bit, or ``""``."""
    number = (
        CertificateCredential.objects.filter(certificate=certificate)
        .values_list("status_list", flat=True)
        .first()
    )
    return services.status_list_url(number) if number is not None else ""
