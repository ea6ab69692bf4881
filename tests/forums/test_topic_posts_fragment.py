"""A topic's posts as an anonymous visitor sees them are a fragment under the topic's tag: read
once, and dropped at once by a hidden post, a reply or a renamed author (the page cache off,
so only the fragment can be stale). Members' posts are rendered for them (their reactions,
their actions)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forums import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    settings.PAGE_CACHE_ENABLED = False


def read(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def test_a_hidden_post_leaves_the_anonymous_topic_page_at_once(
    client, category, make_topic, make_user, moderator
):
    author = make_user()
    topic = make_topic(category, author=author)
    post = services.post_create(author=author, topic=topic, body="Burn scars heal slowly.")
    path = topic.get_absolute_url()

    first = read(client, path)
    assert "Burn scars heal slowly." in first
    with CaptureQueriesContext(connection) as warm:
        assert read(client, path) == first
    sql = " ".join(query["sql"] for query in warm.captured_queries)
    assert "forums_reaction" not in sql and "forums_attachment" not in sql

    services.post_hide(moderator=moderator, post=post, reason="Off topic")
    assert "Burn scars heal slowly." not in read(client, path)

    services.post_create(author=author, topic=topic, body="Grazing after fire.")
    assert "Grazing after fire." in read(client, path)

    author.display_name = "Amina Odhiambo"
    author.save()
    assert "Amina Odhiambo" in read(client, path)

    client.force_login(moderator)  # the moderator's page is their own: the hidden post, marked
    assert "Burn scars heal slowly." in read(client, path)


def post_html(page: str, post) -> str:
    """One post's ``<li>`` of a topic page."""
    start = page.index(f'id="post-{post.pk}"')
    return page[start : page.index("</li>", start)]


def test_two_members_share_each_post_but_see_their_own_reactions_and_actions(
    client, category, make_topic, make_user, moderator
):
    """A post's header, body and attachments are cached per post for every reader; each
    member's reactions and actions are theirs, and an edit, hiding and restoring show at once."""
    from django.test import Client

    amina, bruno = make_user(), make_user()
    topic = make_topic(category, author=amina)
    post = services.post_create(author=amina, topic=topic, body="Terraces hold the soil.")
    services.reaction_toggle(user=bruno, post=post, kind="thanks")
    path = topic.get_absolute_url()
    client.force_login(amina)
    other = Client()
    other.force_login(bruno)

    for _ in range(2):  # the second reading takes the shared parts from the cache
        mine, theirs = post_html(read(client, path), post), post_html(read(other, path), post)
        assert "Terraces hold the soil." in mine and "Terraces hold the soil." in theirs
        assert "reaction--mine" not in mine and "reaction--mine" in theirs
        assert 'data-reaction-count="thanks">1<' in mine
        assert f"/forums/p/{post.pk}/edit/" in mine and f"/forums/p/{post.pk}/edit/" not in theirs

    services.post_edit(editor=amina, post=post, body="Terraces and hedges hold the soil.")
    mine, theirs = post_html(read(client, path), post), post_html(read(other, path), post)
    assert "Terraces and hedges" in mine and "Terraces and hedges" in theirs
    assert f"/forums/p/{post.pk}/history/" in mine  # the author may read the history
    assert "edited" in theirs and f"/forums/p/{post.pk}/history/" not in theirs

    services.reaction_toggle(user=amina, post=post, kind="thanks")
    mine, theirs = post_html(read(client, path), post), post_html(read(other, path), post)
    assert "reaction--mine" in mine and 'data-reaction-count="thanks">2<' in theirs

    services.post_hide(moderator=moderator, post=post, reason="Off topic")
    assert "Terraces" not in read(client, path) and "Terraces" not in read(other, path)
    other.force_login(moderator)
    assert "Hidden" in post_html(read(other, path), post)

    services.post_restore(moderator=moderator, post=post)
    restored = post_html(read(client, path), post)
    assert "Terraces and hedges" in restored and "Hidden" not in restored


def test_a_member_taken_out_of_the_partnership_no_longer_reads_its_posts(
    client, private_topic, partner, partnership
):
    """The cached parts of a private topic's posts are only ever served to a reader who may
    see the topic now: leaving the partnership closes it at once."""
    from network.services import partnership_membership_remove

    services.post_create(author=partner, topic=private_topic, body="Our grazing plan, draft 2.")
    path = private_topic.get_absolute_url()
    client.force_login(partner)
    assert "Our grazing plan, draft 2." in read(client, path)  # its shared part is now cached

    partnership_membership_remove(partnership=partnership, user=partner)
    response = client.get(path)
    assert response.status_code == 404
    assert "Our grazing plan" not in response.content.decode()


def test_an_attachment_removed_outside_the_post_leaves_its_cached_part(client, topic, make_user):
    """The admin or a script deleting an attachment row changes no post row: the post's
    tag is bumped by the attachment itself."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF")
    post = services.post_create(
        author=make_user(), topic=topic, body="The plan", attachments=[upload]
    )
    client.force_login(make_user())
    path = topic.get_absolute_url()
    assert "plan.pdf" in post_html(read(client, path), post)
    assert "plan.pdf" in post_html(read(client, path), post)  # from the cache

    post.attachments.get().delete()
    assert "plan.pdf" not in post_html(read(client, path), post)
