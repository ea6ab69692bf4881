"""Where forum attachments are kept: outside ``MEDIA_ROOT``, so no URL serves them directly.

An attachment of a post in a partnership's private room is as private as the post. Under
``MEDIA_ROOT`` it would be served to anyone who learnt its address (``/media/...``, or the
proxy in front), bypassing the attachment view that re-checks who may see the post. So the
files live under ``PRIVATE_MEDIA_ROOT`` and only ``forums.views.attachment_download`` hands
them out.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class PrivateMediaStorage(FileSystemStorage):
    """A file system storage rooted at ``settings.PRIVATE_MEDIA_ROOT``, with no public URL."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Private files have no URL; link to the view that checks access.")


private_storage = PrivateMediaStorage()


def get_private_storage() -> PrivateMediaStorage:
    """The storage of attachments (a callable, so migrations refer to it by name)."""
    return private_storage
