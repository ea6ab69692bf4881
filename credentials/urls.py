"""The learner's downloads, beside the certificate page (language-prefixed, like it)."""

from django.urls import path

from credentials import views

app_name = "credentials"

urlpatterns = [
    path(
        "certificates/<str:public_id>/open-badge.json",
        views.credential_download,
        name="credential_download",
    ),
    path("certificates/<str:public_id>/certificate.pdf", views.certificate_pdf, name="pdf"),
]
