"""Conversations easy to follow (issue 23): @mentions linked and suggested, the header's unread
count, reactions answered as data for the page's script, the Markdown preview, and a locked
topic's reply form."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.template import Context, Template
from django.urls import reverse

from forums import services
from forums.mentions import mention_links, mention_suggestions
from forums.models import Notification, NotificationKind, Reaction
from forums.sanitize import render_markdown
from network.models import ProfileVisibility

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()  # the per-minute limits count in the cache


# --- Mentions: links and notifications --------------------------------------------------------


def test_a_mention_links_to_the_members_profile_and_notifies_them(make_user, topic):
    named = make_user(username="wanjiru")
    post = services.post_create(
        author=make_user(), topic=topic, body="Ask @wanjiru, or @nobody_here about it."
    )
    assert '<a class="mention" href="/network/members/wanjiru/"' in post.body_html
    assert "@nobody_here" in post.body_html
    assert "/network/members/nobody_here/" not in post.body_html
    assert Notification.objects.filter(user=named, kind=NotificationKind.MENTION).count() == 1


def test_a_mention_in_code_a_link_or_an_address_stays_text(make_user):
    make_user(username="bob")
    body = (
        "`@bob` and [see @bob](https://example.org) and bob@example.org and https://m.example/@bob"
    )
    html = str(render_markdown(body, mentions=mention_links(body).links))
    assert 'class="mention"' not in html


def test_mention_links_of_an_edited_post_follow_its_new_text(make_user, topic):
    make_user(username="amina")
    author = topic.author
    post = services.post_create(author=author, topic=topic, body="First words.")
    post = services.post_edit(editor=author, post=post, body="Thanks @amina!")
    assert 'href="/network/members/amina/"' in post.body_html


def test_a_mention_cannot_smuggle_markup_through_the_link(make_user):
    html = str(render_markdown('@x" onclick="alert(1)', mentions={"x": "/network/members/x/"}))
    assert html.startswith('<p><a class="mention" href="/network/members/x/"')
    assert "<a" not in html.split("</a>", 1)[1]  # the rest is text, outside any tag


def test_only_the_mention_class_survives_the_sanitiser(make_user):
    html = str(render_markdown('<a class="evil mention" href="https://e.org">x</a>'))
    assert 'class="evil' not in html


# --- Mentions: suggestions ------------------------------------------------------------------


def test_suggestions_for_a_private_topic_are_its_readers_only(
    make_user, private_topic, partner, client
):
    partner.username = "kamau"
    partner.save()
    make_user(username="kamala")  # not a member of the partnership
    writer = private_topic.author
    names = [m.username for m in mention_suggestions(writer, prefix="kam", topic=private_topic)]
    assert names == ["kamau"]
    client.force_login(writer)
    response = client.get(reverse("forums:topic_mentions", args=[private_topic.pk]), {"q": "kam"})
    assert response.status_code == 200
    assert [r["username"] for r in response.json()["results"]] == ["kamau"]
    assert "no-cache" in response["Cache-Control"]


def test_suggestions_leave_out_the_writer_hidden_profiles_and_inactive_accounts(make_user, topic):
    writer = make_user(username="zara")
    make_user(username="zainab", profile_visibility=ProfileVisibility.PRIVATE)
    make_user(username="zawadi", is_active=False)
    make_user(username="zuberi", display_name="Zuberi Z")
    names = [m.username for m in mention_suggestions(writer, prefix="@z", topic=topic)]
    assert names == ["zuberi"]


def test_suggestions_match_a_display_name_and_need_a_prefix(make_user, category):
    writer = make_user()
    make_user(username="m_otieno", display_name="Grace Otieno")
    assert [m.username for m in mention_suggestions(writer, prefix="gra", category=category)] == [
        "m_otieno"
    ]
    assert mention_suggestions(writer, prefix="  ", category=category) == []


def test_suggestions_cost_one_query_whatever_the_number_of_members(
    make_user, topic, django_assert_num_queries
):
    writer = make_user()
    for size in (2, 30):
        for number in range(size):
            make_user(username=f"n{size}x{number}")
        with django_assert_num_queries(1):
            found = mention_suggestions(writer, prefix=f"n{size}x", topic=topic)
        assert len(found) == min(size, 8)


def test_suggestions_are_rate_limited(make_user, topic, client, settings):
    settings.FORUMS_MENTION_LOOKUPS_PER_MINUTE = 2
    client.force_login(make_user())
    url = reverse("forums:topic_mentions", args=[topic.pk])
    statuses = [client.get(url, {"q": "a"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_suggestions_of_a_private_room_are_a_404_to_outsiders(make_user, private_category, client):
    client.force_login(make_user())
    url = reverse("forums:category_mentions", args=[private_category.slug])
    assert client.get(url, {"q": "a"}).status_code == 404


# --- Preview ----------------------------------------------------------------------------------


def test_the_preview_renders_like_a_saved_post(make_user, client):
    make_user(username="lucia")
    client.force_login(make_user())
    body = "**Hi** @lucia <script>alert(1)</script>"
    response = client.post(reverse("forums:preview"), {"body": body})
    assert response.status_code == 200
    html = response.json()["html"]
    assert "<strong>Hi</strong>" in html
    assert 'href="/network/members/lucia/"' in html
    assert "<script>" not in html
    assert html == str(render_markdown(body, mentions=mention_links(body).links))


@pytest.mark.parametrize(
    ("body", "status"),
    [("", 400), ("   ", 400), ("x" * 20_001, 400)],
    ids=["empty", "blank", "long"],
)
def test_the_preview_refuses_what_a_reply_would_refuse(make_user, client, body, status):
    client.force_login(make_user())
    response = client.post(reverse("forums:preview"), {"body": body})
    assert response.status_code == status
    assert response.json()["error"]


def test_the_preview_is_for_members_who_may_post(make_user, client, settings):
    client.force_login(make_user(verified=False))
    assert client.post(reverse("forums:preview"), {"body": "Hi"}).status_code == 403
    settings.FORUMS_PREVIEWS_PER_MINUTE = 1
    client.force_login(make_user())
    statuses = [client.post(reverse("forums:preview"), {"body": "Hi"}).status_code for _ in "ab"]
    assert statuses == [200, 429]


# --- Reactions as data --------------------------------------------------------------------------


def test_a_reaction_asked_for_as_json_answers_the_new_counts(make_user, topic, client):
    post = topic.posts.get()
    member = make_user()
    Reaction.objects.create(post=post, user=make_user(), kind="thanks")
    client.force_login(member)
    url = reverse("forums:post_react", args=[post.pk])
    response = client.post(url, {"kind": "thanks"}, headers={"accept": "application/json"})
    assert response.status_code == 200
    counts = {r["kind"]: (r["count"], r["mine"]) for r in response.json()["reactions"]}
    assert counts["thanks"] == (2, True)
    # Without the script the same form redirects back to the post.
    response = client.post(url, {"kind": "thanks"})
    assert response.status_code == 302
    assert Reaction.objects.filter(post=post).count() == 1


def test_a_refused_json_reaction_says_why(make_user, topic, client, settings):
    settings.FORUMS_REACTIONS_PER_MINUTE = 1
    client.force_login(make_user())
    url = reverse("forums:post_react", args=[topic.posts.get().pk])
    json_accept = {"accept": "application/json"}
    assert client.post(url, {"kind": "like"}, headers=json_accept).status_code == 200
    refused = client.post(url, {"kind": "like"}, headers=json_accept)
    assert refused.status_code == 429
    assert "reacting very fast" in refused.json()["error"]
    assert client.post(url, {"kind": "nope"}, headers=json_accept).status_code == 400


def test_a_json_reaction_costs_the_same_whatever_the_number_of_reactions(
    make_user, make_topic, category, client, django_assert_max_num_queries
):
    member = make_user()
    client.force_login(member)
    counts = []
    for size in (1, 40):
        post = make_topic(category).posts.get()
        Reaction.objects.bulk_create(
            Reaction(post=post, user=make_user(), kind="like") for _ in range(size)
        )
        url = reverse("forums:post_react", args=[post.pk])
        with django_assert_max_num_queries(30) as captured:
            response = client.post(url, {"kind": "like"}, headers={"accept": "application/json"})
        assert response.status_code == 200
        assert {r["kind"]: r["count"] for r in response.json()["reactions"]}["like"] == size + 1
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts


# --- Unread notifications ---------------------------------------------------------------------


COUNT_TEMPLATE = Template("{% load forums_extras %}{% unread_notification_count as n %}{{ n }}")


def test_the_unread_count_costs_nothing_for_anonymous_visitors(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert COUNT_TEMPLATE.render(Context({"user": AnonymousUser()})) == "0"


@pytest.mark.parametrize("who", ["member", "partner", "moderator", "superuser"])
def test_the_unread_count_is_one_query_and_follows_visibility(
    make_user, moderator, partner, topic, private_topic, django_assert_num_queries, who
):
    reader = {
        "member": make_user(),
        "partner": partner,
        "moderator": moderator,
        "superuser": make_user(is_superuser=True),
    }[who]
    hidden = make_topic_hidden(topic, moderator)
    for about in (topic, hidden, private_topic, None):
        Notification.objects.create(user=reader, kind="reply", topic=about)
    Notification.objects.create(user=reader, kind="reply", topic=topic, read_at=topic.created_at)
    expected = len(notifications_for_test(reader))
    assert expected == {"member": 2, "partner": 3, "moderator": 3, "superuser": 4}[who]
    reader = type(reader).objects.get(pk=reader.pk)  # nothing known about them yet
    with django_assert_num_queries(1):
        assert COUNT_TEMPLATE.render(Context({"user": reader})) == str(expected)


def make_topic_hidden(topic, moderator):
    """A second public topic, hidden by the moderators."""
    from forums.models import Topic

    hidden = Topic.objects.create(category=topic.category, title="Gone", author=topic.author)
    Topic.objects.filter(pk=hidden.pk).update(hidden=True)
    return hidden


def notifications_for_test(reader):
    """The unread notifications as the notifications page lists them (the reference rule)."""
    from forums.selectors import notifications_for

    return list(notifications_for(reader).filter(read_at__isnull=True))


def test_the_header_shows_the_count_and_reading_the_topic_clears_it(make_user, topic, client):
    member = make_user()
    services.subscription_toggle(user=member, topic=topic)
    services.post_create(author=make_user(), topic=topic, body="News!")
    client.force_login(member)
    notifications = client.get(reverse("forums:notifications")).content.decode()
    assert '<span class="count-badge" aria-hidden="true">1</span>' in notifications
    assert "(1 unread)" in notifications
    assert "Unread</span>" in notifications
    # Right without JavaScript; with it, the member's own stream keeps it live on every page.
    assert "forums/notifications.js" in notifications
    client.get(topic.get_absolute_url())
    after = client.get(reverse("forums:notifications")).content.decode()
    assert "count-badge" not in after
    assert "Unread</span>" not in after


def test_anonymous_pages_carry_no_count(client, topic):
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "count-badge" not in html
    assert "data-unread" not in html
    assert "notifications.js" not in html


# --- A locked topic's reply form --------------------------------------------------------------


def test_a_locked_topic_keeps_its_reply_form_hidden_for_members_and_open_for_moderators(
    make_user, moderator, topic, client
):
    services.topic_lock(moderator=moderator, topic=topic, locked=True)
    client.force_login(make_user())
    html = client.get(topic.get_absolute_url()).content.decode()
    form_tag = html[html.index('id="reply"') - 200 : html.index('id="reply"') + 200]
    assert "hidden" in form_tag.split("data-compose")[0].split("<form")[-1]
    notice = html[html.index("data-reply-locked") - 40 : html.index("data-reply-locked") + 40]
    assert "hidden" not in notice
    client.force_login(moderator)
    html = client.get(topic.get_absolute_url()).content.decode()
    assert 'data-moderator="true"' in html
    opening = html[html.index("<form", html.index("data-reply-locked")) :]
    assert "hidden" not in opening[: opening.index("data-compose")]


def test_a_topic_page_says_where_its_helpers_are(make_user, topic, client):
    client.force_login(make_user())
    html = client.get(topic.get_absolute_url()).content.decode()
    assert f'data-mentions-url="/forums/t/{topic.pk}/mentions/"' in html
    assert 'data-preview-url="/forums/preview/"' in html
    assert "data-reaction-form" in html


def test_the_post_template_is_unchanged_for_anonymous_readers(client, topic):
    """No reaction forms (nor their data attribute) for those who cannot react."""
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "data-reaction-form" not in html
    assert "data-compose" not in html
