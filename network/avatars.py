"""Checking and re-encoding profile pictures.

An upload is trusted for nothing: not its name, not its declared content type. Pillow sniffs
the bytes; anything that is not a JPEG, PNG, WebP or GIF within the size limits is refused with
a message that says what to do. Accepted images are re-encoded, which drops metadata (GPS
positions from phone cameras) and any payload hidden after the image data, and downscaled so a
profile picture never costs a slow connection more than a few kilobytes.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from network.images import (
    NotAnImage,
    TooManyPixels,
    decode_within_budget,
    image_header,
    too_many_pixels_error,
)

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
AVATAR_SIZE = 256


def avatar_clean(upload: UploadedFile) -> ContentFile:
    """Validate an uploaded avatar and return it re-encoded as a square-bounded WebP file.

    Raises ``ValidationError`` with a message meant for the person uploading.
    """
    max_bytes = settings.AVATAR_MAX_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s; profile pictures can be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="file_too_large",
        )
    not_an_image = ValidationError(
        _("This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF picture."),
        code="not_an_image",
    )
    try:
        _format, width, height = image_header(upload, formats=ACCEPTED_FORMATS)
    except NotAnImage:
        raise not_an_image from None
    if max(width, height) > settings.AVATAR_MAX_PIXELS:
        raise ValidationError(
            _("This picture is %(width)s x %(height)s pixels; the limit is %(limit)s on each side.")
            % {"width": width, "height": height, "limit": settings.AVATAR_MAX_PIXELS},
            code="image_too_large",
        )
    try:
        image = decode_within_budget(upload, formats=ACCEPTED_FORMATS, max_side=AVATAR_SIZE)
    except NotAnImage:
        raise not_an_image from None
    except TooManyPixels as error:
        raise too_many_pixels_error(error) from None
    image.thumbnail((AVATAR_SIZE, AVATAR_SIZE))
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=82)
    return ContentFile(buffer.getvalue(), name="avatar.webp")
