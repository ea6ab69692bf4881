"""Whole-page cache for anonymous visitors, and the cache headers of every HTML page.

One daphne process renders a Wagtail page in tens of milliseconds but answers a cached one in
well under one: anonymous readers (most of the traffic of a knowledge site) share one rendering
per host, language, path and query string. What makes this safe:

- **An allow-list.** Only a view or page type that *declares* its anonymous answer cacheable is
  ever stored: a function view with :func:`cache_public`, a page type with a
  ``cache_dependencies(request)`` method (read by the ``before_serve_page`` hook in
  ``config/wagtail_hooks.py``). A view that declares nothing (certificate verification, the
  live dialogue rooms, forms, anything personal) is rendered every time. Forgetting to declare
  costs speed, never correctness.
- **Declared dependencies, versioned per concern.** A declaration names *tags*: ``pages``,
  ``vocabularies``, ``network.partnerships``, ``forum.topic:42``... Each tag has a version in
  the cache; each app's ``cache.py`` bumps the tags its own writes change (:func:`bump`), as
  Misago versions its caches per concern. A stored page carries the versions of its tags; it
  is served only while every one of them is unchanged, so a reaction in one topic drops that
  topic's page and nothing else.
- **Versions read before the content.** The versions a page is stored under are read before the
  view reads the database (by the middleware, from the tags recorded for that address, or by
  :func:`cache_public` before the view body runs); :func:`bump` runs at the write and again
  after its commit. So a rendering that raced a write is stored under a version that write
  has already replaced. A page type declares after routing has read its page, so the first
  rendering of an address only records its tags, and the next one is stored.
- Only requests that carry no session or messages cookie are served from or stored in the cache;
  only ``200 text/html`` answers to ``GET`` that set no cookie (a CSRF token belongs to one
  visitor) and are not marked ``private``/``no-cache``/``no-store`` are stored.

Every key carries the code release through the cache's ``KEY_PREFIX`` (``RELEASE`` setting), so
a deploy never serves pages rendered by the previous code.

Headers: a stored page gets ``Cache-Control: public, max-age=PAGE_CACHE_MAX_AGE`` and an
``ETag``; everything else HTML gets ``private, no-cache`` (a browser may keep it but must
revalidate, which the ETag turns into a cheap 304 on slow links). ``Vary: Cookie`` tells shared
caches that signed-in visitors get another page.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

#: Every page's base template shows the site's frame: the main menu (the home page and its
#: sections) and language links. ``pages.frame`` changes with those pages, with moves, view
#: restrictions, sites, locales, images and documents (``library/cache.py``); ``pages`` with
#: any page, so only what reads other pages' content declares it (a listing, the home page),
#: and a case study declares ``page:<translation key>``: publishing one keeps the others and
#: every forum page.
BASE_TAGS = ("pages.frame",)
_VERSION_KEY = "pagecache:v:{}"
#: Tags name addresses' slugs, which a visitor chooses: a longer tag is named by its digest so
#: every key stays within what each cache backend accepts (memcached: 250 characters).
_LONGEST_TAG = 120
#: Headers the cache keeps with a page; the outer middleware add theirs on every answer.
_SKIPPED_HEADERS = {"set-cookie", "date", "x-page-cache"}
#: How long the tags an address declared are remembered (they outlive the page they came with).
_TAGS_TIMEOUT = 7 * 24 * 3600
_EXTRA = "@extra"
#: What a 304 carries of the page it stands for (RFC 9110, 15.4.5).
_NOT_MODIFIED_HEADERS = {"cache-control", "content-location", "etag", "expires", "vary"}


def _new_version() -> int:
    """A fresh version: never equal to one already handed out (no clock, no counter to race)."""
    return secrets.randbits(62)


def _version_key(tag: str) -> str:
    if len(tag) > _LONGEST_TAG:
        tag = "sha256:" + hashlib.sha256(tag.encode()).hexdigest()
    return _VERSION_KEY.format(tag)


def versions(*tags: str) -> dict[str, int]:
    """The current version of each tag, in one round trip; missing ones are created.

    A missing version (never set, or evicted) is a fresh random number, so a page stored under
    an evicted version can never be mistaken for a current one.
    """
    keys = {tag: _version_key(tag) for tag in tags}
    found = cache.get_many(list(keys.values())) if keys else {}
    current, missing = {}, {}
    for tag, key in keys.items():
        if key in found:
            current[tag] = found[key]
        else:
            current[tag] = missing[key] = _new_version()
    if missing:
        cache.set_many(missing, timeout=None)
    return current


def bump(*tags: str) -> None:
    """Make every cached page and value built from these tags stale: now, and after commit.

    Now, so the writer's own transaction (and a test) sees fresh pages at once; after commit,
    so a page rendered by another request between the bump and the commit (still showing the
    old content) is never kept under the new version. A bump deletes the versions (the next
    reader creates fresh ones, as for an evicted version): a delete is the cheapest write
    every backend has, and it runs inside the writer's transaction, while the database's write
    lock is held.
    """
    if not tags:
        return

    def _bump() -> None:
        try:
            cache.delete_many([_version_key(tag) for tag in tags])
        except Exception:  # a cache that is down: pages expire after PAGE_CACHE_TIMEOUT
            logger.warning("Could not invalidate the page cache (%s)", tags, exc_info=True)

    _bump()
    transaction.on_commit(_bump)


def cached_value(
    name: str,
    family: str | Sequence[str],
    build: Callable[[], object],
    timeout: int | None = None,
):
    """A small derived value (menu items, vocabulary choices, a fragment of HTML) cached until
    a tag of ``family`` (one tag, or several) changes.

    The value is stored with the versions it was built under, and read with the current
    versions in one round trip to the cache. A value built under older versions is built
    again; one that ``build`` returns as ``None`` is not stored. The versions are read before
    ``build`` runs, so a value that raced a write is never kept under the new version. A cache
    that is down costs the queries the value saves, never the page.
    """
    tags = (family,) if isinstance(family, str) else tuple(family)
    version_keys = [_version_key(tag) for tag in tags]
    key = f"pagecache:value:{name}"
    try:
        found = cache.get_many([*version_keys, key])
        missing = [tag for tag, vkey in zip(tags, version_keys, strict=True) if vkey not in found]
        created = versions(*missing) if missing else {}
        version = tuple(
            found[vkey] if vkey in found else created[tag]
            for tag, vkey in zip(tags, version_keys, strict=True)
        )
        entry = found.get(key)
    except Exception:
        logger.warning("Cache unavailable for %s", name, exc_info=True)
        return build()
    if entry is not None and entry[0] == version:
        return entry[1]
    value = build()
    if value is not None:
        try:
            cache.set(key, (version, value), timeout or settings.PAGE_CACHE_TIMEOUT)
        except Exception:
            logger.warning("Could not cache %s", name, exc_info=True)
    return value


def cached_values(
    entries: Mapping[str, str | Sequence[str]],
    build: Callable[[list[str]], Mapping[str, object]],
    timeout: int | None = None,
) -> dict[str, object]:
    """Many small values at once, each kept as :func:`cached_value` keeps one: ``entries``
    maps each value's name to its tags, ``build`` makes the values of the names it is given
    (only those missing or stale, in one call, so it can read their data in one query).

    One round trip reads every version and every value; one more stores what was built. A
    page of twenty posts costs the same two trips as a page of one.
    """
    tags_of = {
        name: (family,) if isinstance(family, str) else tuple(family)
        for name, family in entries.items()
    }
    version_keys = {tag: _version_key(tag) for tags in tags_of.values() for tag in tags}
    value_keys = {name: f"pagecache:value:{name}" for name in entries}
    try:
        found = cache.get_many([*version_keys.values(), *value_keys.values()])
        missing = [tag for tag, vkey in version_keys.items() if vkey not in found]
        created = versions(*missing) if missing else {}
    except Exception:
        logger.warning("Cache unavailable for %d values", len(entries), exc_info=True)
        return dict(build(list(entries)))
    current = {
        tag: found[vkey] if vkey in found else created[tag] for tag, vkey in version_keys.items()
    }
    values: dict[str, object] = {}
    stale: dict[str, tuple] = {}
    for name, tags in tags_of.items():
        version = tuple(current[tag] for tag in tags)
        entry = found.get(value_keys[name])
        if entry is not None and entry[0] == version:
            values[name] = entry[1]
        else:
            stale[name] = version
    if stale:
        built = build(list(stale))
        values.update(built)
        kept = {
            value_keys[name]: (stale[name], value)
            for name, value in built.items()
            if value is not None and name in stale
        }
        try:
            cache.set_many(kept, timeout or settings.PAGE_CACHE_TIMEOUT)
        except Exception:
            logger.warning("Could not cache %d values", len(kept), exc_info=True)
    return values


def restricted_sections() -> list[tuple[str, int]]:
    """``(path, depth)`` of every page with a view restriction, cached until one changes."""
    from wagtail.models import PageViewRestriction

    return cached_value(
        "restricted-sections",
        "pages",
        lambda: list(PageViewRestriction.objects.values_list("page__path", "page__depth")),
    )


def in_restricted_section() -> Exists:
    """Whether a row of a page queryset lies in a section with a view restriction (the page
    itself or one of its ancestors has one), as an expression of the same query.

    An ancestor's tree path is a prefix of its descendants' (treebeard's materialised path), so
    a restriction applies to a row when its page's path is the row's path cut to that length.
    Filtering by it (``live_public``) or annotating a routed page with it
    (:class:`CachedRestrictionsMixin`) costs no query of its own, cold or warm.
    """
    from wagtail.models import PageViewRestriction

    return Exists(
        PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, Length("page__path"))
        )
    )


class CachedRestrictionsMixin:
    """For page models: skip Wagtail's two queries for view restrictions on every request.

    A page read by a routing query annotated with :func:`in_restricted_section` (the home
    page's, the indexes' and the course's ``route``) knows whether any restriction applies to
    it; otherwise, while no page of the site has one (the usual case, cached), none applies.
    When one may, Wagtail's own check runs (aliases always take it: their source decides).
    """

    def get_view_restrictions(self):
        from wagtail.models import PageViewRestriction

        annotated = getattr(self, "restricted_section", None)
        if self.alias_of_id is None and annotated is False:
            return PageViewRestriction.objects.none()
        if annotated is None and not restricted_sections():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


# --- Declaring what may be cached -----------------------------------------------------------


@dataclass
class _Declaration:
    """What the view serving this request declared, and the versions read before it ran."""

    tags: set[str] = field(default_factory=set)
    #: Dotted path of a function returning an extra version (``None``: do not cache).
    extra: str | None = None
    #: Versions (and the extra version) read before the view read any content.
    early: dict[str, object] = field(default_factory=dict)
    declared: bool = False


def _declaration(request: HttpRequest) -> _Declaration:
    found = getattr(request, "_page_cache", None)
    if found is None:
        found = request._page_cache = _Declaration()
    return found


def _read_early(request: HttpRequest, state: _Declaration) -> None:
    """Read the versions of declared tags not read yet, before the view reads content."""
    if not settings.PAGE_CACHE_ENABLED or not is_public_request(request):
        return
    unread = [tag for tag in state.tags if tag not in state.early]
    try:
        state.early.update(versions(*unread))
        if state.extra and _EXTRA not in state.early:
            state.early[_EXTRA] = import_string(state.extra)()
    except Exception:
        logger.warning("Page cache unavailable", exc_info=True)


def declare_cacheable(
    request: HttpRequest, *tags: str, extra_version: str | None = None, early: bool = False
) -> None:
    """Declare that this request's anonymous answer may be cached, and what it is built from.

    ``tags`` are the concerns the page reads (``BASE_TAGS`` are always added).
    ``extra_version`` is the dotted path of a function returning the version of something
    that is not a tag (the search index), or ``None`` when it cannot tell: then the page is
    not stored. ``early=True`` only when no content has been read yet for this request.
    """
    state = _declaration(request)
    state.declared = True
    state.tags.update(BASE_TAGS, tags)
    if extra_version:
        state.extra = extra_version
    if early:
        _read_early(request, state)


def cache_public(*tags: str, extra_version: str | None = None):
    """Decorator for a function view (or ``method_decorator`` for a class view's ``dispatch``):
    its anonymous answers may be cached, built from ``tags``. A tag may name the view's keyword
    arguments, as in ``"forum.topic:{pk}"``. The versions are read before the view body runs,
    so the first rendering is stored."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            declare_cacheable(
                request,
                *(tag.format(**kwargs) for tag in tags),
                extra_version=extra_version,
                early=True,
            )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def declare_page(page, request: HttpRequest) -> None:
    """For Wagtail's ``before_serve_page`` hook: a page type whose ``cache_dependencies``
    returns tags declares itself cacheable; one without it (or returning ``None``) is not."""
    dependencies = getattr(page, "cache_dependencies", None)
    tags = dependencies(request) if dependencies is not None else None
    if tags is not None:
        declare_cacheable(request, *tags)


# --- The middleware -------------------------------------------------------------------------


def _unprefixed(path: str) -> str:
    """The path without its language prefix: /es/search/ is treated like /search/."""
    language_prefix = f"/{get_language()}/"
    return path[len(language_prefix) - 1 :] if path.startswith(language_prefix) else path


def is_public_request(request: HttpRequest) -> bool:
    """A request the same for every anonymous visitor (whether or not the cache is on)."""
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    return not (settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies)


def _may_store(request: HttpRequest, response: HttpResponse) -> bool:
    state = getattr(request, "_page_cache", None)
    if state is None or not state.declared:
        return False
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # a CSRF token (or any cookie) belongs to one visitor
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "")
    return not any(word in cache_control for word in ("private", "no-cache", "no-store"))


def _keys(request: HttpRequest) -> tuple[str, str]:
    """The page's key and the key of the tags its address declared last time."""
    path = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    address = f"{request.get_host()}:{get_language()}:{path}"
    return f"pagecache:page:{address}", f"pagecache:tags:{address}"


def _set_headers(response: HttpResponse, *, public: bool) -> None:
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    if not response.has_header("Cache-Control"):
        response["Cache-Control"] = (
            f"public, max-age={settings.PAGE_CACHE_MAX_AGE}" if public else "private, no-cache"
        )
    patch_vary_headers(response, ("Cookie",))


def _lookup(request: HttpRequest, page_key: str, tags_key: str):
    """The stored page if it is current (else ``None``), having read the versions of the tags
    this address declared, before the view runs."""
    found = cache.get_many([page_key, tags_key])
    entry, recorded = found.get(page_key), found.get(tags_key)
    if entry is not None:
        recorded = (entry["tags"], entry["extra"])
    if recorded is None:
        return None
    tags, extra = recorded
    state = _declaration(request)
    state.early.update(versions(*tags))
    if extra:
        state.early[_EXTRA] = import_string(extra)()
    if entry is None or entry["extra"] != extra:
        return None
    if entry["versions"] != tuple(state.early[tag] for tag in tags):
        return None
    if extra and entry["extra_version"] != state.early[_EXTRA]:
        return None
    return entry


def _from_entry(request: HttpRequest, entry: dict) -> HttpResponse:
    """The stored page, or a ``304`` when the request already holds it (``If-None-Match`` names
    its ETag: nginx revalidating its expired copy, a browser its own).

    Answered here rather than by ``ConditionalGetMiddleware`` so the ``304`` still says it came
    from this cache (``X-Page-Cache: hit``): Django's 304 keeps only the headers RFC 9110 lists.
    (nginx answers a revalidated request with its stored copy's headers, so a client behind it
    cannot see this one.)
    """
    etag = entry["headers"].get("ETag", "")
    if etag and _etag_matches(request.headers.get("If-None-Match", ""), etag):
        kept = {
            name: value
            for name, value in entry["headers"].items()
            if name.lower() in _NOT_MODIFIED_HEADERS
        }
        return HttpResponseNotModified(headers=kept)
    return HttpResponse(entry["content"], headers=entry["headers"])


def _etag_matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110's weak comparison of ``If-None-Match`` (a list, or ``*``) with one ETag."""
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(
        candidate.strip().removeprefix("W/") == wanted for candidate in if_none_match.split(",")
    )


def _store(request: HttpRequest, response: HttpResponse, page_key: str, tags_key: str) -> bool:
    """Store the page if every version it depends on was read before the view ran; otherwise
    only remember its tags, so the next rendering of this address is stored."""
    state = request._page_cache
    tags = tuple(sorted(state.tags))
    extra_version = state.early.get(_EXTRA) if state.extra else ""
    if state.extra and _EXTRA in state.early and extra_version is None:
        return False  # the extra version cannot be told: not cacheable now
    if not all(tag in state.early for tag in tags) or (state.extra and _EXTRA not in state.early):
        cache.set(tags_key, (tags, state.extra), _TAGS_TIMEOUT)
        return True
    if not response.has_header("ETag"):
        digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
        response["ETag"] = f'"{digest}"'
    _set_headers(response, public=True)
    headers = {
        name: value for name, value in response.items() if name.lower() not in _SKIPPED_HEADERS
    }
    entry = {
        "tags": tags,
        "versions": tuple(state.early[tag] for tag in tags),
        "extra": state.extra,
        "extra_version": extra_version,
        "headers": headers,
        "content": response.content,
    }
    cache.set_many({page_key: entry, tags_key: (tags, state.extra)}, settings.PAGE_CACHE_TIMEOUT)
    return True


class AnonymousPageCacheMiddleware:
    """Serve and store anonymous HTML pages that declared themselves cacheable; set the cache
    headers of every HTML page.

    Sits after ``LocaleMiddleware`` (the key includes the active language) and before
    ``CsrfViewMiddleware`` (so it sees the CSRF cookie a page set, and refuses to store it).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_public_request(request):
            response = self.get_response(request)
            _set_headers(response, public=False)
            return response
        if not settings.PAGE_CACHE_ENABLED:
            response = self.get_response(request)
            _set_headers(response, public=_may_store(request, response))
            return response
        page_key, tags_key = _keys(request)
        try:
            entry = _lookup(request, page_key, tags_key)
        except Exception:  # a cache that is down only costs a rendering
            logger.warning("Page cache unavailable", exc_info=True)
            entry = None
        if entry is not None:
            response = _from_entry(request, entry)
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        stored = False
        if _may_store(request, response):
            try:
                stored = _store(request, response, page_key, tags_key)
            except Exception:
                logger.warning("Could not store a page in the cache", exc_info=True)
        if stored:
            _set_headers(response, public=True)
            response["X-Page-Cache"] = "miss"
        else:
            _set_headers(response, public=False)
        return response
