"""Profile pictures: sniffed, size-checked, re-encoded; refusals say what to do."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from network.avatars import avatar_clean

pytestmark = pytest.mark.django_db


def image_bytes(
    image_format: str = "PNG", size: tuple[int, int] = (64, 48), exif: bool = False
) -> bytes:
    image = Image.new("RGB", size, (31, 95, 58))
    buffer = io.BytesIO()
    if exif:
        metadata = Image.Exif()
        metadata[0x010F] = "PhoneMaker"  # camera make; GPS would be stored the same way
        image.save(buffer, format=image_format, exif=metadata)
    else:
        image.save(buffer, format=image_format)
    return buffer.getvalue()


def post_avatar(client, upload):
    return client.post(
        reverse("network:profile"),
        {"profile_visibility": "members", "avatar": upload},
    )


def test_a_text_file_named_like_an_image_is_refused_with_a_clear_message(learner_client, learner):
    upload = SimpleUploadedFile("holiday.png", b"this is not a picture", content_type="image/png")
    response = post_avatar(learner_client, upload)
    assert response.status_code == 200
    assert "This file is not an image we can read" in response.content.decode()
    learner.refresh_from_db()
    assert not learner.avatar


def test_an_oversized_file_is_refused_with_the_limit_in_the_message(
    learner_client, learner, settings
):
    upload = SimpleUploadedFile(
        "big.jpg", b"\xff\xd8" + b"0" * (settings.AVATAR_MAX_BYTES + 1), content_type="image/jpeg"
    )
    response = post_avatar(learner_client, upload)
    assert response.status_code == 200
    assert "profile pictures can be at most 2.0\xa0MB" in response.content.decode()
    learner.refresh_from_db()
    assert not learner.avatar


def test_an_image_format_outside_the_allowlist_is_refused(learner_client):
    upload = SimpleUploadedFile("scan.tiff", image_bytes("TIFF"), content_type="image/tiff")
    response = post_avatar(learner_client, upload)
    assert "This file is not an image we can read" in response.content.decode()


def test_a_valid_picture_is_stored_re_encoded_without_metadata(learner_client, learner):
    upload = SimpleUploadedFile("me.jpg", image_bytes("JPEG", (800, 600), exif=True), "image/jpeg")
    response = post_avatar(learner_client, upload)
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.avatar.name.startswith(f"avatars/{learner.pk}/avatar")
    with Image.open(learner.avatar.path) as stored:
        assert stored.format == "WEBP"
        assert max(stored.size) == 256
        assert not stored.getexif()


def test_replacing_a_picture_removes_the_old_file_after_commit(
    learner_client, learner, django_capture_on_commit_callbacks
):
    post_avatar(learner_client, SimpleUploadedFile("a.png", image_bytes(), "image/png"))
    learner.refresh_from_db()
    first = Path(learner.avatar.path)
    with django_capture_on_commit_callbacks(execute=True):
        post_avatar(
            learner_client, SimpleUploadedFile("b.png", image_bytes(size=(30, 30)), "image/png")
        )
    learner.refresh_from_db()
    assert Path(learner.avatar.path) != first
    assert Path(learner.avatar.path).exists()
    assert not first.exists()


def test_huge_pixel_dimensions_are_refused_before_decoding(settings):
    settings.AVATAR_MAX_PIXELS = 100
    upload = SimpleUploadedFile("wide.png", image_bytes(size=(500, 20)), "image/png")
    with pytest.raises(ValidationError, match="the limit is 100 on each side"):
        avatar_clean(upload)
