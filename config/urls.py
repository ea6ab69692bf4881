"""URL map. Language-prefixed pages (/es/, /fr/, /pt/; English unprefixed) sit in
``i18n_patterns``; machine endpoints and the admin stay outside it."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config import (
    converters,  # noqa: F401 -- registers <id:...>
    views,
    webapp,
)
from config.api import api_router
from library.sitemaps import AllLanguagesPageSitemap
from network.sitemaps import OrganisationSitemap, PartnershipSitemap

SITEMAPS = {
    "pages": AllLanguagesPageSitemap,
    "partnerships": PartnershipSitemap,
    "organisations": OrganisationSitemap,
}

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("sw.js", webapp.service_worker, name="service_worker"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v2/", api_router.urls),
    path("lti/", include("lti.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("", include("credentials.public_urls")),
]

if settings.BENCH_MODE:
    from config.bench import revalidations, trivial

    urlpatterns.append(path("bench/trivial", trivial, name="bench_trivial"))
    urlpatterns.append(path("bench/revalidations", revalidations, name="bench_revalidations"))

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", views.media),
    ]

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("manifest.json", webapp.web_manifest, name="web_manifest"),
    path("", include("network.urls")),
    path("", include("finance.urls")),
    path("", include("library.urls")),
    path("forums/", include("forums.urls")),
    path("events/", include("events.urls")),
    path("search/", include("search.urls")),
    # A language link's answer for a page not translated into that language (never a 404).
    path("untranslated/<id:page_id>/", views.untranslated, name="untranslated"),
    path("", include("credentials.urls")),
    path("", include("courses.urls")),
    # Wagtail's page tree (home, courses, case studies, resources) comes last: it answers
    # every path that nothing above claimed.
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
