"""An attachment is served as what its bytes are, never as what its name claims: the stored
and served name carries the extension of the sniffed type, documents download, browsers do not
sniff."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from forums import services
from forums.models import Attachment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 8), "green").save(buffer, format="PNG")
    return buffer.getvalue()


def _attach(make_user, topic, name: str, content: bytes) -> Attachment:
    upload = SimpleUploadedFile(name, content, content_type="text/html")
    post = services.post_create(
        author=make_user(), topic=topic, body="See the file", attachments=[upload]
    )
    return post.attachments.get()


def _disposition(client, attachment: Attachment):
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    return response, response["Content-Disposition"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["evil.html", "evil.HTM", "evil.pdf.svg", "evil", ".htaccess"])
def test_a_pdf_named_like_a_web_page_is_stored_and_served_as_a_pdf_download(
    client, make_user, topic, name
):
    attachment = _attach(make_user, topic, name, PDF)
    assert attachment.original_name.endswith(".pdf")
    response, disposition = _disposition(client, attachment)
    assert response["Content-Type"] == "application/pdf"
    assert disposition.startswith("attachment;")
    assert ".pdf" in disposition
    assert ".htm" not in disposition.lower() and ".svg" not in disposition


@pytest.mark.django_db
def test_a_picture_named_like_a_web_page_is_served_inline_as_webp(client, make_user, topic):
    attachment = _attach(make_user, topic, "holiday.jpg.html", _png())
    assert attachment.original_name == "holiday.jpg.webp"
    response, disposition = _disposition(client, attachment)
    assert response["Content-Type"] == "image/webp"
    assert disposition.startswith("inline;")
    assert 'filename="holiday.jpg.webp"' in disposition


@pytest.mark.django_db
def test_an_attachment_saved_before_the_fix_is_still_served_with_its_true_extension(
    client, make_user, topic
):
    attachment = _attach(make_user, topic, "report.pdf", PDF)
    Attachment.objects.filter(pk=attachment.pk).update(original_name="evil.html")
    _response, disposition = _disposition(client, attachment)
    assert 'filename="evil.pdf"' in disposition
    assert disposition.startswith("attachment;")
