"""Hostile uploads: profile pictures (``network/avatars.py``) and forum attachments
(``forums/attachments.py``) against disguised files, polyglots, decompression bombs and file
names built to escape a folder, break a header or a database column."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from forums import services
from forums.models import Attachment, Category, Post
from tests.config.conftest import png_bytes
from tests.hostile import assert_inert

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = [
    "../../etc/passwd.png",
    "..\\..\\windows\\win.png",
    "/etc/shadow.png",
    "name\x00.php.png",
    "line\r\nSet-Cookie: stolen=1.png",
    "<script>alert(1)</script>.png",
    '"quoted";filename=evil.exe.png',
    "x" * 1000 + ".png",
    "\u202egnp.exe",  # right-to-left override: shows as "exe.png"
    ".png",
]

HTML_AFTER_PNG = png_bytes() + b"<html><script>alert(1)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
GIF_JS_POLYGLOT = b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=alert(1);//" + b"\x00" * 20


def decompression_bomb() -> bytes:
    """A tiny PNG that claims 30,000 x 30,000 pixels (900 megapixels once decoded)."""
    buffer = io.BytesIO()
    Image.new("1", (30_000, 30_000)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


@pytest.fixture
def category(db):
    return Category.objects.create(name="Practice", slug="practice")


@pytest.fixture
def topic(make_user, category):
    return services.topic_create(
        author=make_user(), category=category, title="Photos", body="Show us."
    )


def reply_with(client, topic, upload, body="See the file"):
    return client.post(
        reverse("forums:topic_reply", args=[topic.pk]), {"body": body, "attachment": upload}
    )


# --- Forum attachments --------------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_file_names_are_stored_under_a_random_name_and_shown_harmlessly(
    learner_client, topic, name
):
    upload = SimpleUploadedFile(name, png_bytes(), content_type="image/png")
    response = reply_with(learner_client, topic, upload, body=f"named {name[:20]!r}")
    assert response.status_code == 302, response.content[:500]
    attachment = Attachment.objects.get()
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    stored = Path(attachment.file.path).resolve()
    assert stored.is_relative_to(root / "forum-attachments")
    assert stored.suffix == ".webp"
    assert len(attachment.original_name) <= 200
    assert all(c.isprintable() for c in attachment.original_name)
    assert "/" not in attachment.original_name and "\\" not in attachment.original_name
    download = learner_client.get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert "\n" not in download.get("Content-Disposition", "")
    assert "Set-Cookie" not in download.headers or "stolen" not in download.headers["Set-Cookie"]
    assert_inert(learner_client.get(topic.get_absolute_url()).content.decode(), name)


@pytest.mark.parametrize(
    "name",
    ["name\x00.png", "line\r\nSet-Cookie: stolen=1.png", "../../etc/passwd.png", "x" * 5000],
)
def test_the_service_cleans_names_that_never_went_through_a_multipart_parser(
    make_user, topic, name
):
    """Django's upload parser strips some of this; the service must not rely on it."""
    upload = SimpleUploadedFile("placeholder.png", png_bytes(), content_type="image/png")
    upload.name = name  # as another caller (an import, a script) might hand it over
    post = services.post_create(author=make_user(), topic=topic, body="x", attachments=[upload])
    original = post.attachments.get().original_name
    assert "\x00" not in original and "\r" not in original and "\n" not in original
    assert "/" not in original
    assert 0 < len(original) <= 200


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("picture.png", SVG, "image/png"),
        ("picture.svg", SVG, "image/svg+xml"),
        ("page.html", b"<html><script>alert(1)</script></html>", "text/html"),
        ("document.pdf", b"<html><script>alert(1)</script>", "application/pdf"),
        ("script.gif", GIF_JS_POLYGLOT, "image/gif"),
        ("truncated.png", png_bytes()[:40], "image/png"),
        ("bomb.png", decompression_bomb(), "image/png"),
        ("empty.png", b"", "image/png"),
    ],
)
def test_disguised_broken_and_bomb_files_are_refused_with_a_message(
    learner_client, topic, name, content, content_type
):
    response = reply_with(learner_client, topic, SimpleUploadedFile(name, content, content_type))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Attach a picture (JPEG, PNG, WebP or GIF) or a PDF document." in text or (
        "The submitted file is empty" in text
    )
    assert "See the file" in text  # what was typed comes back in the form
    assert not Post.objects.filter(body_source="See the file").exists()
    assert not Attachment.objects.exists()


def test_html_hidden_after_an_image_is_dropped_by_re_encoding(learner_client, topic):
    reply_with(
        learner_client, topic, SimpleUploadedFile("a.png", HTML_AFTER_PNG, content_type="text/html")
    )
    attachment = Attachment.objects.get()
    stored = attachment.file.read()
    assert stored.startswith(b"RIFF") and b"WEBP" in stored[:16]
    assert b"<script" not in stored
    download = learner_client.get(attachment.get_absolute_url())
    assert download["Content-Type"] == "image/webp"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_pdf_is_kept_but_only_ever_downloaded_sandboxed(learner_client, topic):
    pdf = b"%PDF-1.4\n1 0 obj<</OpenAction<</JS(app.alert(1))/S/JavaScript>>>>endobj\n%%EOF"
    reply_with(learner_client, topic, SimpleUploadedFile("report.pdf", pdf, "application/pdf"))
    download = learner_client.get(Attachment.objects.get().get_absolute_url())
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_the_size_cap_is_exact(learner_client, topic, settings):
    picture = png_bytes()
    settings.FORUMS_ATTACHMENT_MAX_BYTES = len(picture)
    ok = reply_with(learner_client, topic, SimpleUploadedFile("a.png", picture, "image/png"))
    assert ok.status_code == 302
    settings.FORUMS_ATTACHMENT_MAX_BYTES = len(picture) - 1
    refused = reply_with(
        learner_client, topic, SimpleUploadedFile("a.png", picture, "image/png"), body="second"
    )
    assert refused.status_code == 400
    assert "attachments can be at most" in refused.content.decode()


# --- Profile pictures -----------------------------------------------------------------------------


def post_avatar(client, upload):
    return client.post(
        reverse("network:profile"), {"profile_visibility": "members", "avatar": upload}
    )


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_avatar_names_never_reach_the_disk(learner_client, learner, name):
    response = post_avatar(learner_client, SimpleUploadedFile(name, png_bytes(), "image/png"))
    assert response.status_code == 302
    learner.refresh_from_db()
    root = Path(settings.MEDIA_ROOT).resolve()
    stored = Path(learner.avatar.path).resolve()
    # An unguessable name of our own under the member's folder (network.models.avatar_upload_to).
    assert stored.parent == root / "avatars" / str(learner.pk)
    assert stored.name.startswith("avatar-") and stored.suffix == ".webp"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("me.png", SVG),
        ("me.gif", GIF_JS_POLYGLOT),
        ("me.png", decompression_bomb()),
        ("me.png", png_bytes()[:40]),
    ],
)
def test_avatar_disguises_and_bombs_are_refused(learner_client, learner, name, content):
    response = post_avatar(learner_client, SimpleUploadedFile(name, content, "image/png"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "This file is not an image we can read" in text or "the limit is" in text
    learner.refresh_from_db()
    assert not learner.avatar


def test_avatar_polyglot_is_re_encoded(learner_client, learner):
    post_avatar(learner_client, SimpleUploadedFile("me.png", HTML_AFTER_PNG, "image/png"))
    learner.refresh_from_db()
    stored = learner.avatar.read()
    assert stored.startswith(b"RIFF") and b"<script" not in stored
