"""Link previews and structured data: Open Graph tags and schema.org JSON-LD.

JSON-LD sits in a ``<script type="application/ld+json">`` element, which browsers never run;
it is still escaped like ``json_script`` so no text can close the element early.
"""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data: dict[str, Any]) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        _JSON_SCRIPT_ESCAPES
    )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 -- escaped above


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    """An absolute URL for link previews (crawlers need the scheme and host)."""
    request = context.get("request")
    if not path:
        return ""
    return request.build_absolute_uri(path) if request else path
