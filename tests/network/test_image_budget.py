"""Pictures are decoded within a memory budget: refused from their header when they claim more
pixels than a phone photo has, decoded before the write transaction, and at most so many per
member a minute. Forum attachments and avatars alike.

The hostile pictures are a few kilobytes that claim a huge size; they are written here with
zlib and struct, never by allocating the big image.
"""

from __future__ import annotations

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from PIL import ImageFile

from forums import services
from forums.models import Attachment, Category
from network.models import ProfileVisibility


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_png(width: int, height: int) -> bytes:
    """A valid 1-bit black PNG of ``width`` x ``height``, compressed row by row."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


@pytest.fixture
def decodes(monkeypatch):
    """Every picture Pillow decodes, with whether a database transaction was open then."""
    seen: list[bool] = []
    original = ImageFile.ImageFile.load

    def load(self):
        seen.append(connection.in_atomic_block)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return seen


@pytest.fixture
def topic(make_user):
    category = Category.objects.create(name="Photos", slug="photos-budget")
    return services.topic_create(
        author=make_user(), category=category, title="Photos", body="Show us."
    )


def _reply(client, topic, content: bytes, name: str = "photo.png"):
    return client.post(
        reverse("forums:topic_reply", args=[topic.pk]),
        {"body": "See the picture", "attachment": SimpleUploadedFile(name, content, "image/png")},
    )


def _avatar(client, content: bytes):
    return client.post(
        reverse("network:profile"),
        {
            "profile_visibility": ProfileVisibility.MEMBERS,
            "avatar": SimpleUploadedFile("me.png", content, "image/png"),
        },
    )


@pytest.mark.django_db
def test_an_attachment_claiming_8192_squared_pixels_is_refused_before_decoding(
    learner_client, topic, decodes
):
    bomb = huge_png(8192, 8192)
    assert len(bomb) < 20_000
    response = _reply(learner_client, topic, bomb)
    assert response.status_code == 400
    assert "8192 x 8192 pixels" in response.text
    assert "megapixels" in response.text
    assert decodes == []
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_an_avatar_claiming_too_many_pixels_is_refused_before_decoding(
    learner_client, learner, settings, decodes
):
    settings.AVATAR_MAX_PIXELS = 10_000
    response = _avatar(learner_client, huge_png(7000, 7000))
    assert response.status_code == 200
    assert "megapixels" in response.text
    assert decodes == []
    learner.refresh_from_db()
    assert not learner.avatar


@pytest.mark.django_db
def test_a_phone_photo_sized_picture_is_accepted(learner_client, topic, settings):
    settings.IMAGE_MAX_PIXELS = 24_000_000
    response = _reply(learner_client, topic, huge_png(6000, 4000))
    assert response.status_code == 302
    assert Attachment.objects.get().content_type == "image/webp"


@pytest.mark.django_db(transaction=True)
def test_pictures_are_decoded_outside_the_write_transaction(learner_client, topic, decodes):
    from tests.config.conftest import png_bytes

    assert _reply(learner_client, topic, png_bytes((40, 30))).status_code == 302
    assert Attachment.objects.count() == 1
    assert decodes and not any(decodes)


@pytest.mark.django_db
def test_a_member_uploads_at_most_so_many_pictures_a_minute(
    learner_client, learner, topic, settings
):
    from tests.config.conftest import png_bytes

    settings.IMAGE_UPLOADS_PER_MINUTE = 3
    assert _avatar(learner_client, png_bytes()).status_code == 302
    assert _reply(learner_client, topic, png_bytes()).status_code == 302
    assert _avatar(learner_client, png_bytes()).status_code == 302
    refused = _avatar(learner_client, png_bytes())
    assert refused.status_code == 200
    assert "uploading pictures very fast" in refused.text
    refused = _reply(learner_client, topic, png_bytes())
    assert refused.status_code == 400
    assert "uploading pictures very fast" in refused.text
