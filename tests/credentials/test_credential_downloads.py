"""The learner's downloads: the credential's JSON and the printable PDF, theirs only."""

from __future__ import annotations

import io
import json

import pytest
from openbadgeslib.ob3.ldp import OB3LdpVerifier
from pypdf import PdfReader

pytestmark = pytest.mark.django_db

A4 = (595, 842)
LETTER = (612, 792)


def _size(content: bytes) -> tuple[int, int]:
    box = PdfReader(io.BytesIO(content)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_only_the_owner_downloads_the_credential(issue_certificate, client, make_user, published):
    certificate = issue_certificate()
    url = f"/certificates/{certificate.public_id}/open-badge.json"

    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(make_user())
    assert client.get(url).status_code == 404
    client.force_login(certificate.user)
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc"
    assert response["Content-Disposition"] == (
        'attachment; filename="paramo-restoration-open-badge.json"'
    )
    assert "private" in response["Cache-Control"]
    document = json.loads(response.content)
    OB3LdpVerifier().verify(
        document, check_status=True, download=published, verify_status_list=False
    )
    # Signed once: every download is the same document.
    assert json.loads(client.get(url).content) == document


def test_the_certificate_page_links_the_owners_downloads_only_for_the_owner(
    issue_certificate, client, make_user
):
    certificate = issue_certificate()
    page = f"/certificates/{certificate.public_id}/"
    download = f"/certificates/{certificate.public_id}/open-badge.json"

    public = client.get(page).content.decode()
    assert "Status: valid" in public and download not in public
    client.force_login(certificate.user)
    own = client.get(page).content.decode()
    assert download in own
    assert f"/certificates/{certificate.public_id}/certificate.pdf?paper=letter" in own


@pytest.mark.parametrize(("paper", "size"), [("a4", A4), ("letter", LETTER)])
def test_the_pdf_comes_in_a4_and_letter(issue_certificate, client, paper, size):
    certificate = issue_certificate()
    client.force_login(certificate.user)

    response = client.get(f"/certificates/{certificate.public_id}/certificate.pdf?paper={paper}")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert _size(response.content) == size
    text = _text(response.content)
    assert "Certificate of completion" in text
    assert "José Muñoz Peña" in text
    assert "Páramo restoration" in text


def test_a_spanish_learner_gets_the_pdf_in_spanish(issue_certificate, client):
    certificate = issue_certificate()
    client.force_login(certificate.user)

    response = client.get(
        f"/es/certificates/{certificate.public_id}/certificate.pdf",
        headers={"accept-language": "es-ES,es;q=0.9"},
    )

    assert _size(response.content) == A4
    text = _text(response.content)
    assert "Certificado de finalización" in text
    assert "Se certifica que" in text
    assert "José Muñoz Peña" in text and "Páramo restoration" in text


@pytest.mark.parametrize(
    ("accept_language", "size"),
    [("en-US,en;q=0.8", LETTER), ("es-MX", LETTER), ("fr-FR", A4), ("pt-BR", A4), ("", A4)],
)
def test_the_paper_defaults_to_the_readers_region(issue_certificate, client, accept_language, size):
    certificate = issue_certificate()
    client.force_login(certificate.user)

    response = client.get(
        f"/certificates/{certificate.public_id}/certificate.pdf",
        headers={"accept-language": accept_language},
    )

    assert _size(response.content) == size


def test_only_the_owner_downloads_the_pdf(issue_certificate, client, make_user):
    certificate = issue_certificate()
    url = f"/certificates/{certificate.public_id}/certificate.pdf"

    assert client.get(url).status_code == 302
    client.force_login(make_user())
    assert client.get(url).status_code == 404


def test_a_revoked_certificates_pdf_says_so(issue_certificate, client, trainer):
    from courses import services as course_services

    certificate = issue_certificate()
    course_services.certificate_revoke(certificate=certificate, revoked_by=trainer, reason="Error.")
    client.force_login(certificate.user)

    text = _text(client.get(f"/certificates/{certificate.public_id}/certificate.pdf").content)

    assert "Status: revoked on" in text
