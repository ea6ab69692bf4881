"""The anonymous page cache: only what declares itself cacheable is stored, under the versions
of exactly what it declared; a write drops the pages it changes and no others."""

from __future__ import annotations

import warnings

import pytest
from django.core.cache import cache
from django.core.cache.backends.base import CacheKeyWarning
from django.test import Client

from config import page_cache
from forums import services as forum_services
from forums.models import Category
from library.models import Theme
from network.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.FORUMS_POSTS_PER_MINUTE = 1000


def get(client: Client, path: str, **headers):
    response = client.get(path, headers=headers)
    assert response.status_code in (200, 304), (path, response.status_code)
    return response


def warm(client: Client, *paths: str) -> None:
    """Visit until each page is stored: a page type declares itself after routing has read the
    page, so its address's first rendering only records its tags (``config.page_cache``)."""
    for path in paths:
        for _ in range(3):
            if get(client, path).get("X-Page-Cache") == "hit":
                break
        else:
            raise AssertionError(f"{path} was never served from the cache")


def test_a_cached_page_is_served_without_a_query_or_a_csrf_token(
    client, make_case_study, django_assert_num_queries
):
    page = make_case_study(title="Terraces of Kijabe")
    first = get(client, page.url)
    assert first["X-Page-Cache"] == "miss"
    assert first["Cache-Control"] == "public, max-age=60"
    stored = get(client, page.url)
    assert stored["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        hit = get(client, page.url)
    assert hit["X-Page-Cache"] == "hit"
    assert hit.content == stored.content
    assert "Terraces of Kijabe" in hit.content.decode()
    assert "csrfmiddlewaretoken" not in hit.content.decode()
    assert not hit.cookies
    assert hit["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in hit["Vary"]
    assert hit["ETag"] == stored["ETag"]


def test_a_decorated_view_is_stored_at_its_first_rendering(client, library_tree):
    assert get(client, "/network/")["X-Page-Cache"] == "miss"
    assert get(client, "/network/")["X-Page-Cache"] == "hit"


def test_matching_etag_gets_a_304(client, make_case_study):
    page = make_case_study()
    warm(client, page.url)
    etag = get(client, page.url)["ETag"]
    not_modified = get(client, page.url, if_none_match=etag)
    assert not_modified.status_code == 304
    # Still says it came from the cache (how the proxy tells a revalidation that cost nothing),
    # and carries what RFC 9110 keeps of the page: its validators and caching rules only.
    assert not_modified["X-Page-Cache"] == "hit"
    assert not_modified["ETag"] == etag
    assert not_modified["Cache-Control"] == "public, max-age=60"
    assert not not_modified.content and "Content-Type" not in not_modified
    weak_in_a_list = get(client, page.url, if_none_match=f'"older", W/{etag}')
    assert weak_in_a_list.status_code == 304
    changed = get(client, page.url, if_none_match='"older"')
    assert (changed.status_code, changed["X-Page-Cache"]) == (200, "hit")
    client.cookies.clear()
    assert get(client, "/case-studies/?region=africa", if_none_match='"other"').status_code == 200


def test_what_declares_nothing_is_never_stored(client, make_user):
    """Member pages declare nothing: rendered every time, marked private for shared caches."""
    member = make_user(username="wanjiru", profile_visibility="public")
    for _ in range(3):
        response = get(client, f"/network/members/{member.username}/")
        assert "X-Page-Cache" not in response
        assert response["Cache-Control"] == "private, no-cache"


def test_publishing_a_change_shows_at_once(client, make_case_study):
    page = make_case_study(title="Old title")
    warm(client, "/", "/case-studies/", page.url)

    page.title = "New title"
    page.save_revision().publish()

    for path in ("/", "/case-studies/", page.url):
        response = get(client, path)
        assert response["X-Page-Cache"] == "miss", path
        assert "New title" in response.content.decode(), path


def test_a_new_case_study_empties_the_listing(client, make_case_study):
    make_case_study(title="First story")
    warm(client, "/case-studies/")
    make_case_study(title="Second story")
    response = get(client, "/case-studies/")
    assert response["X-Page-Cache"] == "miss"
    assert "Second story" in response.content.decode()


def test_publishing_a_case_study_keeps_the_other_case_studies_and_the_forums(
    client, make_user, make_case_study
):
    """A publish changes that case study, its listing and the home page; another case study
    and the forum pages are built from none of them (``page:<translation key>``, not
    ``pages``), so they stay served from the cache."""
    changed = make_case_study(title="Old title")
    other = make_case_study(title="Another story")
    category = Category.objects.create(name="Practice", slug="practice")
    topic = forum_services.topic_create(
        author=make_user(), category=category, title="Fire breaks", body="Opening."
    )
    kept = [other.url, topic.get_absolute_url(), "/forums/"]
    warm(client, changed.url, "/case-studies/", "/", *kept)

    changed.title = "New title"
    changed.save_revision().publish()

    for path in (changed.url, "/case-studies/", "/"):
        response = get(client, path)
        assert response["X-Page-Cache"] == "miss", path
        assert "New title" in response.content.decode(), path
    for path in kept:
        assert get(client, path)["X-Page-Cache"] == "hit", path


def test_a_translation_drops_the_pages_it_links_from(client, make_case_study):
    """A case study's language links name its translations: publishing one is a change of
    the case study too."""
    english = make_case_study(title="Terraces")
    warm(client, english.url)
    assert f"/es/untranslated/{english.pk}/" in get(client, english.url).content.decode()
    spanish = make_case_study(
        language="es", title="Terrazas", slug="terrazas", translation_key=english.translation_key
    )
    response = get(client, english.url)
    assert response["X-Page-Cache"] == "miss"
    assert f'href="{spanish.url}"' in response.content.decode()


def test_a_menu_section_changes_every_page(client, make_user, make_case_study):
    """The menu's sections are in every page's frame (``pages.frame``): renaming one drops the
    case studies and the forum pages too."""
    case_study = make_case_study()
    category = Category.objects.create(name="Practice", slug="practice")
    topic = forum_services.topic_create(
        author=make_user(), category=category, title="Fire breaks", body="Opening."
    )
    everywhere = [case_study.url, topic.get_absolute_url(), "/forums/"]
    warm(client, *everywhere)

    section = case_study.get_parent().specific
    section.title = "Stories from the landscapes"
    section.show_in_menus = True
    section.save_revision().publish()

    for path in everywhere:
        response = get(client, path)
        assert response["X-Page-Cache"] == "miss", path
        assert "Stories from the landscapes" in response.content.decode(), path


def test_a_reaction_drops_its_topic_only(client, make_user, make_case_study):
    """A member reacting in topic A: topic A is rendered again; the case-study listing, a case
    study, the home page and topic B stay served from the cache."""
    case_study = make_case_study()
    category = Category.objects.create(name="Practice", slug="practice")
    author, reader = make_user(), make_user()
    topic_a = forum_services.topic_create(
        author=author, category=category, title="Fire breaks", body="Opening A."
    )
    topic_b = forum_services.topic_create(
        author=author, category=category, title="Seed banks", body="Opening B."
    )
    untouched = ["/", "/case-studies/", case_study.url, topic_b.get_absolute_url()]
    warm(client, topic_a.get_absolute_url(), *untouched)

    forum_services.reaction_toggle(user=reader, post=topic_a.posts.get(), kind="thanks")

    assert get(client, topic_a.get_absolute_url())["X-Page-Cache"] == "miss"
    for path in untouched:
        assert get(client, path)["X-Page-Cache"] == "hit", path


def test_a_reply_drops_its_topic_and_category_but_not_the_library(client, make_user, library_tree):
    category = Category.objects.create(name="Practice", slug="practice")
    author = make_user()
    topic = forum_services.topic_create(
        author=author, category=category, title="Fire breaks", body="Opening message."
    )
    url = topic.get_absolute_url()
    warm(client, url, "/forums/c/practice/", "/case-studies/")

    forum_services.post_create(author=author, topic=topic, body="A brand new reply.")

    assert "A brand new reply." in get(client, url).content.decode()
    assert get(client, "/forums/c/practice/")["X-Page-Cache"] == "miss"
    assert get(client, "/case-studies/")["X-Page-Cache"] == "hit"


def test_saving_a_vocabulary_snippet_shows_at_once(client, make_case_study):
    page = make_case_study(themes=("restoration",))
    warm(client, page.url)
    theme = Theme.objects.get(slug="restoration")
    theme.name = "Landscape restoration (renamed)"
    theme.save()
    assert "Landscape restoration (renamed)" in get(client, page.url).content.decode()


def test_a_login_or_a_sign_up_keeps_forum_pages(client, make_user, library_tree):
    """Signing up adds a member, logging in stamps ``last_login``: no topic page changes."""
    category = Category.objects.create(name="Practice", slug="practice")
    author = make_user()
    topic = forum_services.topic_create(
        author=author, category=category, title="Fire breaks", body="Opening message."
    )
    warm(client, topic.get_absolute_url())
    make_user(Role.LEARNER)
    Client().force_login(author)
    assert get(client, topic.get_absolute_url())["X-Page-Cache"] == "hit"


def test_signed_in_members_never_get_or_fill_the_cache(client, make_user, make_case_study):
    page = make_case_study()
    warm(client, page.url)
    member = make_user(display_name="Wanjiru Kamau")
    member_client = Client()
    member_client.force_login(member)

    for _ in range(2):
        response = get(member_client, page.url)
        assert "X-Page-Cache" not in response
        assert response["Cache-Control"] == "private, no-cache"
        assert "Wanjiru Kamau" in response.content.decode()
    assert "Wanjiru Kamau" not in get(client, page.url).content.decode()


def test_pages_with_a_form_token_are_never_stored(client, library_tree):
    for _ in range(2):
        response = client.get("/accounts/login/")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
        assert "private" in response["Cache-Control"]  # allauth's never_cache, kept


def test_languages_are_cached_apart(client, library_tree):
    warm(client, "/case-studies/", "/es/case-studies/")
    english = get(client, "/case-studies/")
    spanish = get(client, "/es/case-studies/")
    assert '<html lang="en"' in english.content.decode()
    assert '<html lang="es"' in spanish.content.decode()
    assert english.content != spanish.content


def test_search_pages_are_cached_only_while_the_index_can_tell_its_version(
    client, library_tree, settings
):
    """The search view declares the index version as an extra dependency
    (tests/search/test_search_cache.py shows a change is seen at once)."""
    assert get(client, "/search/?q=water")["X-Page-Cache"] == "miss"
    assert get(client, "/search/?q=water")["X-Page-Cache"] == "hit"
    assert get(client, "/es/search/?q=water")["X-Page-Cache"] == "miss"
    settings.SEARCH = {**settings.SEARCH, "CACHE_TIMEOUT": 0}  # no version: never cached
    assert "X-Page-Cache" not in get(client, "/search/?q=water")
    assert get(client, "/search/?q=water")["Cache-Control"] == "private, no-cache"


def test_an_evicted_version_never_revives_an_old_page(client, make_case_study):
    """A version that left the cache comes back as a new random number, never as an old one."""
    page = make_case_study()
    warm(client, page.url)
    cache.delete("pagecache:v:vocabularies")
    assert get(client, page.url)["X-Page-Cache"] == "miss"


def test_cached_values_follow_their_tag():
    built = []

    def build():
        built.append(1)
        return len(built)

    assert page_cache.cached_value("answer", "vocabularies", build) == 1
    assert page_cache.cached_value("answer", "vocabularies", build) == 1
    page_cache.bump("vocabularies")
    assert page_cache.cached_value("answer", "vocabularies", build) == 2


def test_keys_carry_the_code_release(settings):
    from django.core.cache import caches

    assert settings.RELEASE
    assert settings.RELEASE in caches["default"].key_prefix


def test_language_links_lead_to_the_translated_page(client, library_tree):
    """The switcher is links (no form, so no token on cached pages), to each translation."""
    html = get(client, "/case-studies/").content.decode()
    assert 'href="/es/case-studies/" lang="es"' in html
    assert 'href="/fr/case-studies/" lang="fr"' in html
    assert 'action="/i18n/setlang/"' not in html


def test_the_menu_and_the_language_links_read_together_cold_stay_apart(client, library_tree):
    """Built cold in one query, the menu keeps the reader's language and the language links
    the page's translations (and not the other way round)."""
    cache.clear()
    html = get(client, "/es/case-studies/").content.decode()
    assert 'href="/es/resources/">Recursos</a>' in html
    assert 'href="/resources/">Resources</a>' not in html  # no English menu item
    assert 'href="/case-studies/" lang="en"' in html
    assert 'href="/fr/case-studies/" lang="fr"' in html
    cache.clear()
    html = get(client, "/").content.decode()
    assert 'href="/case-studies/">Case studies</a>' in html
    assert 'href="/es/" lang="es"' in html


def test_a_tag_from_a_long_address_keeps_its_key_short_and_its_own():
    """Tags carry slugs from the address a visitor typed; their keys stay within memcached's
    250 characters and two long tags never share a version."""
    first, second = "finance.portfolio:" + "x" * 600, "finance.portfolio:" + "x" * 599 + "y"
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)  # what every backend checks keys with
        before = page_cache.versions(first, second)
        page_cache.bump(first)
        after = page_cache.versions(first, second)
    assert after[first] != before[first] and after[second] == before[second]
