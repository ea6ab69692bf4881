"""Parts of pages cached on their own (``{% cached_fragment %}``): shared only between anonymous
visitors, kept until a tag they read changes, never holding a visitor's CSRF token.

The page cache is off in these tests, so every page is rendered and only the fragments can
come from the cache: what the first visitor after a write (or with the page cache off) gets.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from forums import services as forum_services
from forums.models import Category
from network.models import LandscapePartnership
from network.services import partnership_membership_add

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.FORUMS_POSTS_PER_MINUTE = 1000


def read(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def test_the_home_page_reads_its_sections_once_until_they_change(
    client, library_tree, make_case_study
):
    make_case_study(title="Terraces of Kijabe")
    first = read(client, "/")
    assert "Terraces of Kijabe" in first
    with CaptureQueriesContext(connection) as cold:
        client.get("/")
    with CaptureQueriesContext(connection) as warm:
        second = read(client, "/")
    assert second == first
    # Neither the cards, the courses nor the forum's activity are read again.
    assert not any("library_casestudypage" in query["sql"] for query in warm.captured_queries)
    assert not any("forums_topic" in query["sql"] for query in warm.captured_queries)
    assert len(warm.captured_queries) <= len(cold.captured_queries)

    make_case_study(title="Mangroves of Lamu")  # a publish bumps ``pages``
    assert "Mangroves of Lamu" in read(client, "/")


def test_a_reply_refreshes_the_forum_section_and_keeps_the_cards(
    client, library_tree, make_case_study, make_user
):
    make_case_study(title="Terraces of Kijabe")
    category = Category.objects.create(name="Practice", slug="practice")
    author = make_user()
    read(client, "/")
    forum_services.topic_create(
        author=author, category=category, title="Fire breaks", body="Opening."
    )
    html = read(client, "/")
    assert "Fire breaks" in html
    assert "Terraces of Kijabe" in html


def test_a_hidden_topic_and_a_deleted_dialogue_leave_the_home_page_at_once(
    client, library_tree, make_user
):
    from datetime import timedelta

    from django.utils import timezone

    from forums.dialogues import services as dialogues
    from network.roles import Role

    category = Category.objects.create(name="Practice", slug="practice")
    topic = forum_services.topic_create(
        author=make_user(), category=category, title="Fire breaks", body="Opening."
    )
    starts = timezone.now() + timedelta(days=2)
    session = dialogues.dialogue_create(
        host=make_user(Role.TRAINER),
        title="Water funds hour",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    html = read(client, "/")
    assert "Fire breaks" in html and "Water funds hour" in html

    topic.hidden = True  # as the admin does: a plain save
    topic.save()
    assert "Fire breaks" not in read(client, "/")

    session.delete()
    assert "Water funds hour" not in read(client, "/")


def test_a_members_private_topics_are_never_shared_with_anonymous_visitors(
    client, library_tree, make_user
):
    partnership = LandscapePartnership.objects.create(
        name="Kijabe Highlands", slug="kijabe-test", country="KE", region="africa"
    )
    room = Category.objects.create(name="Partners room", slug="room", partnership=partnership)
    member = make_user()
    partnership_membership_add(partnership=partnership, user=member)
    forum_services.topic_create(author=member, category=room, title="Budget for 2027", body="x")

    assert "Budget for 2027" not in read(client, "/")  # the anonymous fragment, now cached
    client.force_login(member)
    assert "Budget for 2027" in read(client, "/")  # rendered for the member, not from it
    client.logout()
    client.cookies.clear()
    assert "Budget for 2027" not in read(client, "/")  # and not stored for anonymous readers


def test_each_filter_address_has_its_own_form(client, library_tree, make_case_study):
    make_case_study(title="Terraces of Kijabe")
    africa = read(client, "/case-studies/?region=africa")
    asia = read(client, "/case-studies/?region=asia")
    assert '<option value="africa" selected>' in africa
    assert '<option value="asia" selected>' in asia
    assert '<option value="africa" selected>' not in asia
    assert read(client, "/case-studies/?region=africa") == africa


def render(source: str, request) -> str:
    """As a page renders it: with the context processors (the CSRF token's among them)."""
    return Template("{% load fragments %}" + source).render(RequestContext(request))


def test_a_fragment_holding_a_csrf_token_is_rendered_for_each_visitor():
    from django.contrib.auth.models import AnonymousUser

    def request():
        made = RequestFactory().get("/somewhere/")
        made.user = AnonymousUser()
        return made

    source = '{% cached_fragment "form" "pages" %}{% csrf_token %}{% endcached_fragment %}'
    first, second = render(source, request()), render(source, request())
    assert "csrfmiddlewaretoken" in first and "csrfmiddlewaretoken" in second
    assert first != second  # each visitor's own token, never the first one's


def test_a_fragment_follows_its_tags(settings):
    from django.contrib.auth.models import AnonymousUser

    from config.page_cache import bump

    counter = iter(range(100))

    class Counter:
        def __str__(self) -> str:
            return str(next(counter))

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    source = '{% cached_fragment "count" "vocabularies pages" %}{{ n }}{% endcached_fragment %}'

    def draw() -> str:
        template = Template("{% load fragments %}" + source)
        return template.render(Context({"request": request, "n": Counter()}))

    assert draw() == "0"
    assert draw() == "0"
    bump("pages")
    assert draw() == "1"
    bump("vocabularies")
    assert draw() == "2"
    assert draw() == "2"


def test_a_fragment_takes_a_name_and_tags():
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError, match="takes a name and the tags"):
        Template('{% load fragments %}{% cached_fragment "x" %}{% endcached_fragment %}')


def test_a_case_study_reads_its_relations_once_until_it_or_what_it_names_changes(
    client, library_tree, make_case_study
):
    """The article and its head are fragments under the page's own tags: a warm rendering
    reads neither its relations, its outcomes nor its renditions; a publish of that page, a
    renamed theme or a renamed partnership shows at once."""
    from library.models import Theme

    theme = Theme.objects.create(slug="fire", name="Fire management")
    partnership = LandscapePartnership.objects.create(
        name="Kijabe Forest Partnership", slug="kijabe", region="africa"
    )
    page = make_case_study(
        title="Terraces of Kijabe", themes=("fire",), partnership=partnership,
        outcomes=(("Hectares restored", "120", "ha"),),
    )  # fmt: skip
    path = page.url
    first = read(client, path)
    assert "Fire management" in first and "Hectares restored" in first
    with CaptureQueriesContext(connection) as warm:
        assert read(client, path) == first
    sql = " ".join(query["sql"] for query in warm.captured_queries)
    assert "library_casestudyoutcome" not in sql
    assert "library_theme" not in sql
    assert "wagtailimages_rendition" not in sql

    theme.name = "Fire and grazing"
    theme.save()
    assert "Fire and grazing" in read(client, path)

    partnership.name = "Kijabe Landscape Partnership"
    partnership.save()
    assert "Kijabe Landscape Partnership" in read(client, path)

    page.outcomes.first().delete()  # then published, as the editor does
    page.outcomes.create(label="Households with water", value=340, unit="")
    revision = page.save_revision()
    revision.publish()
    html = read(client, path)
    assert "Households with water" in html and "Hectares restored" not in html


def test_a_case_study_fragment_is_not_shared_with_members(
    client, library_tree, make_case_study, make_user
):
    page = make_case_study(title="Terraces of Kijabe")
    read(client, page.url)  # stored for anonymous visitors
    client.force_login(make_user())
    with CaptureQueriesContext(connection) as signed_in:
        read(client, page.url)
    assert any("library_casestudyoutcome" in query["sql"] for query in signed_in.captured_queries)
