"""Wagtail hooks of the project package: page types declare their own cacheability."""

from wagtail import hooks

from config.page_cache import declare_page


@hooks.register("before_serve_page")
def declare_cacheable_page(page, request, serve_args, serve_kwargs):
    """A page type with ``cache_dependencies(request)`` may be cached for anonymous visitors
    (``config.page_cache``); returns nothing, so Wagtail goes on to serve the page."""
    declare_page(page, request)
