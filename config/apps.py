from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The project package as an app: its template tags and Wagtail hooks (a page type's
    cacheability is read in ``config/wagtail_hooks.py``). Each app connects its own cache
    invalidation (its ``cache.py``), so nothing here lists other apps' models."""

    name = "config"
    label = "site_config"
    verbose_name = "Landscape Commons"

    def ready(self) -> None:
        from config import webapp  # noqa: F401 -- connects the logout receiver
