"""A partnership's followers hear of its case studies: once, at the first publication (not at
a later edit or translation), one notification each, in their notifications and their digest,
for a number of queries that does not depend on how many follow."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from forums.digest import digest_send
from forums.models import Notification, NotificationKind
from network.memberships import follow_create
from network.models import LandscapePartnership

pytestmark = pytest.mark.django_db


def _partnership(slug: str) -> LandscapePartnership:
    return LandscapePartnership.objects.create(
        name=slug.title(), slug=slug, country="KE", region="africa"
    )


def _publish_counting(page) -> int:
    with CaptureQueriesContext(connection) as captured:
        page.latest_revision.publish()
    return len(captured.captured_queries)


def test_followers_are_told_once_for_a_constant_number_of_queries(
    make_user, make_case_study, library_tree
):
    counts = []
    for size in (2, 6):
        partnership = _partnership(f"followed-by-{size}")
        followers = [make_user() for _ in range(size)]
        for follower in followers:
            follow_create(partnership=partnership, user=follower)
        page = make_case_study(title=f"Terraces {size}", partnership=partnership, publish=False)
        counts.append(_publish_counting(page))
        news = Notification.objects.filter(kind=NotificationKind.CASE_STUDY, page=page)
        assert sorted(news.values_list("user_id", flat=True)) == sorted(f.pk for f in followers)

    assert counts[0] == counts[1]

    # An edit published again, or a translation published later, tells nobody again.
    page.refresh_from_db()  # as the editor's form reads it
    page.save_revision().publish()
    spanish = page.copy_for_translation(library_tree["locales"]["es"])
    spanish.save_revision().publish()
    assert Notification.objects.filter(kind=NotificationKind.CASE_STUDY).count() == 2 + 6


def test_the_news_reaches_the_notifications_page_and_the_digest(client, make_user, make_case_study):
    partnership = _partnership("kijabe")
    follower = make_user()
    follow_create(partnership=partnership, user=follower)
    make_case_study(title="Kijabe water fund", partnership=partnership)

    client.force_login(follower)
    page = client.get("/forums/notifications/").content.decode()
    assert "Kijabe published a case study: “Kijabe water fund”" in page
    assert digest_send() == 1
    assert "Kijabe water fund" in mail.outbox[0].body
    assert "/case-studies/" in mail.outbox[0].body


def test_a_case_study_under_a_view_restriction_is_not_announced(make_user, make_case_study):
    """Followers are told only of what any of them may read: a page behind a login or group
    restriction keeps its title to itself."""
    partnership = _partnership("restricted-news")
    follow_create(partnership=partnership, user=make_user())
    page = make_case_study(title="Members-only terraces", partnership=partnership, publish=False)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    page.save_revision().publish()
    assert not Notification.objects.filter(kind=NotificationKind.CASE_STUDY).exists()
