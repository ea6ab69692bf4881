"""The partnership's home (``network.views.partnership_detail`` with the sections of
``network.home``): what a visitor, a member and a member removed a moment ago each get; case
studies one per translation group in the reader's language; recommendations by shared themes;
its cold query budget; and the shared page cache, which keeps visitors' pages only."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from events.models import EventIndexPage, EventPage
from forums.models import Category, DialogueSession
from forums.services import topic_create
from library.demo import ensure_section
from library.models import Theme
from network.memberships import membership_remove_by_coordinator
from network.models import Organisation, PartnershipRole, ProfileVisibility
from network.services import partnership_membership_add

pytestmark = pytest.mark.django_db

#: Cold (every cache emptied): the visitor's 14 include the vocabularies (one UNION) and the
#: public sections; a member's 30 add the session, the user, the header's count, the role, and
#: the forum's and the courses' sections, each through its viewer's own visibility rule.
VISITOR_BUDGET = 14
MEMBER_BUDGET = 30


@pytest.fixture
def home(partnership, make_user, make_case_study, library_tree):
    """Mount Kenya with a coordinator, a private room with a topic and a coming dialogue, a
    public and a members-only event, and a case study written in English and in Spanish."""
    coordinator = make_user(display_name="Cora Coordinator")
    partnership_membership_add(
        partnership=partnership, user=coordinator, role=PartnershipRole.COORDINATOR
    )
    room = Category.objects.create(name="Kijabe room", slug="kijabe-room", partnership=partnership)
    topic_create(author=coordinator, category=room, title="Nursery budget", body="For members.")
    start = timezone.now() + datetime.timedelta(days=2)
    DialogueSession.objects.create(
        title="Seed exchange call",
        host=coordinator,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        category=room,
    )
    calendar = ensure_section(
        library_tree["home"], EventIndexPage, "calendar", "Events", "<p>Events.</p>"
    )
    for title, members_only in (("Open field day", False), ("Planning day for members", True)):
        event = EventPage(
            title=title,
            summary="A day on the land.",
            place="Village hall",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=3),
            partnership=partnership,
            members_only=members_only,
        )
        calendar.add_child(instance=event)
        event.save_revision().publish()
    english = make_case_study(title="Water fund", partnership=partnership)
    spanish = english.copy_for_translation(library_tree["locales"]["es"])
    spanish.title = "Fondo de agua"
    spanish.save_revision().publish()
    make_case_study(title="Solo en español", language="es", partnership=partnership)
    return {"partnership": partnership, "coordinator": coordinator}


def _url(partnership, language: str = "") -> str:
    path = reverse("network:partnership", args=[partnership.slug])
    return f"/{language}{path}" if language else path


def test_a_visitor_gets_the_public_home_without_the_members_sections(client, home):
    page = client.get(_url(home["partnership"])).content.decode()
    assert "Open field day" in page
    assert 'id="home-case_studies"' in page
    for private in ("home-forum", "Kijabe room", "Nursery budget", "Seed exchange call"):
        assert private not in page  # absent, not hidden
    assert "Planning day for members" not in page
    assert "home-learning" not in page


def test_a_member_gets_the_forum_and_loses_it_once_removed(client, home, make_user):
    member = make_user(display_name="Nia Newcomer")
    partnership_membership_add(partnership=home["partnership"], user=member)
    client.force_login(member)

    page = client.get(_url(home["partnership"])).content.decode()
    for shown in (
        "Kijabe room",
        "Nursery budget",
        "Seed exchange call",
        "Planning day for members",
    ):
        assert shown in page
    assert 'id="home-forum"' in page

    membership_remove_by_coordinator(
        partnership=home["partnership"], coordinator=home["coordinator"], user=member
    )
    page = client.get(_url(home["partnership"])).content.decode()
    for private in ("home-forum", "Kijabe room", "Nursery budget", "Planning day for members"):
        assert private not in page


def test_case_studies_are_listed_once_per_translation_in_the_readers_language(client, home):
    english = client.get(_url(home["partnership"])).content.decode()
    spanish = client.get(_url(home["partnership"], "es")).content.decode()

    assert "Water fund" in english and "Fondo de agua" not in english
    assert "Fondo de agua" in spanish and "Water fund" not in spanish
    # Only in Spanish: listed in both, and marked with its language where it is foreign.
    assert 'lang="es">Solo en español</a> <span class="meta">(in ' in english
    assert "Solo en español</a></li>" in spanish


def test_case_studies_sharing_a_theme_are_recommended(client, home, make_case_study):
    theme = Theme.objects.order_by("pk").first()
    home["partnership"].themes.add(theme)
    home["partnership"].save()  # a parental relation is written with its owner
    make_case_study(title="Neighbours' terraces", themes=[theme.slug])
    make_case_study(title="Unrelated story")

    page = client.get(_url(home["partnership"])).content.decode()
    recommended = page.split('id="home-recommended"', 1)[1]
    assert "Neighbours&#x27; terraces" in recommended
    assert "Unrelated story" not in page
    assert "Water fund" not in recommended  # its own are not recommended to it


def _grow(partnership, make_user, make_case_study, count: int) -> None:
    for _ in range(count):
        person = make_user(profile_visibility=ProfileVisibility.PUBLIC)
        partnership_membership_add(partnership=partnership, user=person)
        organisation = Organisation.objects.create(
            name=f"Org {person.pk}", slug=f"org-{person.pk}", country="KE"
        )
        partnership.organisations.add(organisation)
        make_case_study(partnership=partnership)


@pytest.mark.parametrize("as_member", [False, True], ids=["visitor", "member"])
def test_cold_home_stays_within_budget_as_it_grows(
    settings, client, home, make_user, make_case_study, django_assert_max_num_queries, as_member
):
    """Every cache emptied before each request (the menu, the vocabularies, the page cache):
    the budget holds, and the count does not grow with members, organisations and case
    studies (N, then 3N)."""
    settings.PAGE_CACHE_ENABLED = False
    partnership = home["partnership"]
    if as_member:
        member = make_user()
        partnership_membership_add(partnership=partnership, user=member)
        client.force_login(member)
    budget = MEMBER_BUDGET if as_member else VISITOR_BUDGET
    counts = []
    for size in (2, 4):
        _grow(partnership, make_user, make_case_study, size)
        cache.clear()
        with django_assert_max_num_queries(budget) as captured:
            response = client.get(_url(partnership))
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_the_shared_cache_keeps_the_visitors_page_only_and_drops_it_on_publication(
    client, home, make_user, make_case_study
):
    url = _url(home["partnership"])
    client.get(url)
    assert client.get(url).headers["X-Page-Cache"] == "hit"

    make_case_study(title="Terraces in Kijabe", partnership=home["partnership"])
    fresh = client.get(url)
    assert fresh.headers.get("X-Page-Cache") != "hit"
    assert "Terraces in Kijabe" in fresh.content.decode()

    member = make_user()
    partnership_membership_add(partnership=home["partnership"], user=member)
    client.force_login(member)
    for _ in range(2):
        response = client.get(url)
        assert "X-Page-Cache" not in response.headers
        assert "private" in response.headers["Cache-Control"]
