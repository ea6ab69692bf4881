"""Decoding the pictures members upload within a memory budget.

A compressed picture says nothing about what it costs to decode: an 8 KB PNG that claims
8192 x 8192 pixels takes about 690 MB and seconds of CPU once decoded. So a picture is decoded
only after its header (read by ``Image.open``, which decodes nothing) says it fits
``IMAGE_MAX_PIXELS``; JPEGs are decoded straight at a reduced scale (``Image.draft``); a process
decodes at most ``IMAGE_DECODES_AT_ONCE`` pictures at a time; and each member may upload at most
``IMAGE_UPLOADS_PER_MINUTE`` pictures. Callers decode before their write transaction starts, so
a slow decode never holds a database lock (on SQLite, the whole database).
"""

from __future__ import annotations

import threading
from typing import IO

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from network.rate_limits import count_this_minute

#: How long an upload waits for a decoding slot before it is told to try again.
DECODE_WAIT_SECONDS = 20

_slots_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}

UNREADABLE = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    Image.DecompressionBombError,
)


class NotAnImage(Exception):
    """The bytes are not a picture of an accepted format (or are broken)."""


class TooManyPixels(Exception):
    """The header claims more pixels than the budget allows."""

    def __init__(self, width: int, height: int, limit: int) -> None:
        super().__init__(f"{width} x {height} pixels, limit {limit}")
        self.width, self.height, self.limit = width, height, limit


def too_many_pixels_error(error: TooManyPixels) -> ValidationError:
    """The refusal of a picture over the pixel budget, in words meant for the uploader."""
    return ValidationError(
        _(
            "This picture is %(width)s x %(height)s pixels; pictures can have at most "
            "%(megapixels)s megapixels. Send a smaller version."
        )
        % {
            "width": error.width,
            "height": error.height,
            "megapixels": round(error.limit / 1_000_000),
        },
        code="image_too_large",
    )


def _decode_slots() -> threading.BoundedSemaphore:
    size = max(1, settings.IMAGE_DECODES_AT_ONCE)
    with _slots_lock:
        return _slots.setdefault(size, threading.BoundedSemaphore(size))


def check_upload_rate(*, user: AbstractBaseUser) -> None:
    """Refuse the member's picture uploads beyond ``IMAGE_UPLOADS_PER_MINUTE`` a minute."""
    limit = settings.IMAGE_UPLOADS_PER_MINUTE
    if count_this_minute("images", user.pk) > limit:
        raise ValidationError(
            _("You are uploading pictures very fast: at most %(limit)s a minute. Wait a moment.")
            % {"limit": limit},
            code="upload_rate_limited",
        )


def image_header(upload: IO[bytes], *, formats: set[str]) -> tuple[str, int, int]:
    """(format, width, height) read from the header alone; raises ``NotAnImage``."""
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format, (width, height) = probe.format, probe.size
            probe.verify()
    except UNREADABLE:
        raise NotAnImage from None
    if image_format not in formats:
        raise NotAnImage
    return image_format, width, height


def decode_within_budget(
    upload: IO[bytes], *, formats: set[str], max_side: int, max_pixels: int | None = None
) -> Image.Image:
    """The upload's first frame, upright, RGBA, at most ``max_side`` pixels on each side.

    Raises ``NotAnImage`` or ``TooManyPixels`` before anything is decoded when the header says
    so, and ``ValidationError`` when no decoding slot frees up in time.
    """
    limit = max_pixels or settings.IMAGE_MAX_PIXELS
    _format, width, height = image_header(upload, formats=formats)
    if width * height > limit:
        raise TooManyPixels(width, height, limit)
    slots = _decode_slots()
    if not slots.acquire(timeout=DECODE_WAIT_SECONDS):
        raise ValidationError(
            _("Many pictures are being processed right now. Try again in a minute."),
            code="busy",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as source:
            source.seek(0)  # the first frame of an animated GIF
            source.draft("RGB", (max_side, max_side))  # JPEG: decode at a reduced scale
            source.thumbnail((max_side, max_side))
            image = ImageOps.exif_transpose(source).convert("RGBA")
    except UNREADABLE as error:
        raise NotAnImage from error
    finally:
        slots.release()
    return image
