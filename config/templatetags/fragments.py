"""Parts of a page cached on their own, for the visitors who all see the same thing.

The page cache (``config.page_cache``) keeps a whole anonymous page until any tag the page
declared changes. A page built from parts that change at different rates (the home page's
case studies, courses and forum activity; a listing's filter form and its results) is then
rendered whole again after any of them changes. ``{% cached_fragment %}`` keeps each part
under its own tags, so the next rendering builds only what changed::

    {% load fragments %}
    {% cached_fragment "home.forum" "forum.activity" %}…{% endcached_fragment %}
    {% cached_fragment "filters" "vocabularies" filter_form.prefix request.GET.urlencode %}
      …
    {% endcached_fragment %}

Arguments: a name, the tags the part is built from (one string, space-separated), then any
values it varies on besides the language (the key carries the language and the code release).
Correct by construction, as the page cache is:

- only anonymous requests without a session or messages cookie read or fill it (the part is
  the same for every such visitor); anyone else gets it rendered, so nothing personal, private
  or moderated-for-members is ever shared;
- a part whose rendering asked for a CSRF token is not stored (the token is one visitor's);
- versions are read before the part is built (``config.page_cache.cached_value``), and every
  write that changes what the part reads bumps one of its tags (each app's ``cache.py``).
"""

from __future__ import annotations

import hashlib

from django import template
from django.template.base import FilterExpression, NodeList
from django.utils.translation import get_language

from config.page_cache import cached_value, is_public_request

register = template.Library()


class CachedFragmentNode(template.Node):
    def __init__(
        self,
        nodelist: NodeList,
        name: FilterExpression,
        tags: FilterExpression,
        vary_on: list[FilterExpression],
    ) -> None:
        self.nodelist = nodelist
        self.name = name
        self.tags = tags
        self.vary_on = vary_on

    def render(self, context: template.Context) -> str:
        request = context.get("request")
        user = getattr(request, "user", None)
        if (
            request is None
            or not is_public_request(request)
            or (user is not None and user.is_authenticated)
        ):
            return self.nodelist.render(context)
        tags = str(self.tags.resolve(context)).split()
        varied = "\x1f".join(str(value.resolve(context)) for value in self.vary_on)
        digest = hashlib.md5(varied.encode(), usedforsecurity=False).hexdigest()
        key = (
            f"fragment:{self.name.resolve(context)}:{request.get_host()}:{get_language()}:{digest}"
        )
        rendered: list[str] = []

        def build() -> str | None:
            asked_before = request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            html = self.nodelist.render(context)
            rendered.append(html)
            if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and not asked_before:
                return None  # it holds this visitor's CSRF token: render it for each visitor
            return html  # a SafeString, and still one when it comes back from the cache

        html = cached_value(key, tags, build)
        return html if html is not None else rendered[0]


@register.tag("cached_fragment")
def cached_fragment(parser: template.base.Parser, token: template.base.Token) -> CachedFragmentNode:
    """``{% cached_fragment name tags [vary_on ...] %}…{% endcached_fragment %}``."""
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(
            f"'{bits[0]}' takes a name and the tags the fragment is built from"
        )
    nodelist = parser.parse(("endcached_fragment",))
    parser.delete_first_token()
    return CachedFragmentNode(
        nodelist,
        parser.compile_filter(bits[1]),
        parser.compile_filter(bits[2]),
        [parser.compile_filter(bit) for bit in bits[3:]],
    )
