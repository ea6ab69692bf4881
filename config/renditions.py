"""Image renditions a page shows, read together: one query for every rendition of every image
of a page, rather than one per ``{% image %}`` tag when Wagtail's rendition cache is cold.

Wagtail's own ``prefetch_renditions`` works on an image queryset; pages get their images through
``select_related`` of their own rows, so this does the same for images already loaded, with
Django's ``prefetch_related_objects`` into the attribute Wagtail's ``get_rendition`` reads
(``prefetched_renditions``, what ``prefetch_renditions`` fills). The specs must be written as
the template tags write them (``"fill-480x270|format-webp"``; ``srcset_image`` makes one spec
per width). A rendition missing from the list is made and added by Wagtail as usual. Warm, it
costs the one query that Wagtail's rendition cache would have saved: worth it on pages that
show several renditions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from wagtail.images import get_image_model


def prefetch_renditions(images: Iterable[Any], specs: Iterable[str]) -> None:
    """Read the renditions ``specs`` of every image in ``images`` in one query (``None``
    skipped; an image whose renditions were read already is skipped too)."""
    images = [image for image in images if image is not None]
    if not images:
        return
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=list(specs))
    prefetch_related_objects(
        images, Prefetch("renditions", queryset=renditions, to_attr="prefetched_renditions")
    )
