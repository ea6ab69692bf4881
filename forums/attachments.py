"""Checking uploaded post attachments.

As for avatars (``network/avatars.py``), nothing about an upload is trusted but its bytes:
images are sniffed and re-encoded by Pillow (dropping metadata and anything appended), and a
document is accepted only when its first bytes say it is a PDF. The stored name is random, and
the name shown and offered for download ends in the extension of the sniffed type.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from forums.models import AttachmentKind
from network.images import (
    NotAnImage,
    TooManyPixels,
    decode_within_budget,
    too_many_pixels_error,
)

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_IMAGE_SIDE = 2048


@dataclass(frozen=True)
class CleanAttachment:
    content: ContentFile
    kind: str
    content_type: str
    extension: str
    original_name: str


def safe_original_name(name: str | None, *, limit: int = 200) -> str:
    """The uploader's file name, fit to show and to put in a download header: the last path
    component only, no control or direction-override characters, at most ``limit`` characters
    (the extension kept). It is never used on disk."""
    name = re.split(r"[/\\]", name or "")[-1]
    name = "".join(
        char for char in name if char.isprintable() and unicodedata.category(char) != "Cf"
    ).strip()
    if len(name) > limit:
        stem, dot, extension = name.rpartition(".")
        if dot and len(extension) <= 16:
            name = f"{stem[: limit - len(extension) - 1]}.{extension}"
        else:
            name = name[:limit]
    return name or "file"


def named_as(name: str, extension: str, *, limit: int = 200) -> str:
    """``name`` with its extension replaced by ``extension``, the one of the type the bytes were
    found to be: a PDF named ``evil.html`` is offered as ``evil.pdf``, never as a web page."""
    stem, dot, old = name.rpartition(".")
    if not dot or len(old) > 16 or " " in old:
        stem = name
    stem = stem.rstrip(". ")
    if stem.lower().endswith(f".{extension}"):
        stem = stem[: -len(extension) - 1]
    return f"{stem[: limit - len(extension) - 1] or 'file'}.{extension}"


def attachment_clean(upload: UploadedFile | CleanAttachment) -> CleanAttachment:
    """Validate an upload; raise ``ValidationError`` with a message meant for the uploader.

    Forms call it before the write transaction (decoding a picture is slow); the service calls
    it again, and an upload the form already cleaned comes back as it is.
    """
    if isinstance(upload, CleanAttachment):
        return upload
    limit = settings.FORUMS_ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("This file is %(size)s; attachments can be at most %(limit)s.")
            % {"size": filesizeformat(upload.size or 0), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    original_name = safe_original_name(upload.name)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return CleanAttachment(
            content=ContentFile(upload.read()),
            kind=AttachmentKind.DOCUMENT,
            content_type="application/pdf",
            extension="pdf",
            original_name=named_as(original_name, "pdf"),
        )
    refused = ValidationError(
        _("Attach a picture (JPEG, PNG, WebP or GIF) or a PDF document."), code="file_type"
    )
    try:
        image = decode_within_budget(upload, formats=IMAGE_FORMATS, max_side=MAX_IMAGE_SIDE)
    except NotAnImage:
        raise refused from None
    except TooManyPixels as error:
        raise too_many_pixels_error(error) from None
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=85)
    return CleanAttachment(
        content=ContentFile(buffer.getvalue()),
        kind=AttachmentKind.IMAGE,
        content_type="image/webp",
        extension="webp",
        original_name=named_as(original_name, "webp"),
    )
