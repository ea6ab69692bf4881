"""A funder's "Express interest": one private conversation with the partnership's
coordinators, both sides notified, nobody else able to read it or find it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from finance import services
from finance.models import Interest
from forums import selectors as forum_selectors
from forums import services as forum_services
from forums.models import Notification, NotificationKind, Topic
from search.sources import build

pytestmark = pytest.mark.django_db


def test_interest_opens_one_private_conversation_with_the_coordinators(
    project, funder, coordinator, second_coordinator, member
):
    interest, created = services.interest_express(
        project=project, funder=funder, message="We fund terraces."
    )
    assert created
    topic = interest.topic
    assert topic.conversation
    assert set(topic.participants.values_list("user_id", flat=True)) == {
        funder.pk,
        coordinator.pk,
        second_coordinator.pk,
    }
    assert "We fund terraces." in topic.posts.get().body_source
    for person in (funder, coordinator, second_coordinator):
        assert forum_selectors.topic_visible_to(person, topic.pk) == topic
    # A plain member of the partnership is not part of it, nor is anyone else.
    assert forum_selectors.topic_visible_to(member, topic.pk) is None


def test_pressing_twice_opens_no_second_conversation(project, funder, coordinator):
    first, created = services.interest_express(project=project, funder=funder)
    again, created_again = services.interest_express(project=project, funder=funder)
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Interest.objects.count() == 1
    assert Topic.objects.filter(conversation=True).count() == 1


def test_both_sides_are_notified(project, funder, coordinator, second_coordinator):
    interest, _created = services.interest_express(project=project, funder=funder)
    told = Notification.objects.filter(topic=interest.topic, kind=NotificationKind.CONVERSATION)
    assert set(told.values_list("user_id", flat=True)) == {coordinator.pk, second_coordinator.pk}
    # The coordinator answers: the funder (who watches the conversation) is told.
    forum_services.post_create(author=coordinator, topic=interest.topic, body="Let us talk.")
    reply = Notification.objects.get(user=funder, topic=interest.topic)
    assert reply.kind == NotificationKind.REPLY


def test_outsiders_cannot_post_in_the_conversation(project, funder, coordinator, member):
    interest, _created = services.interest_express(project=project, funder=funder)
    with pytest.raises(PermissionDenied):
        forum_services.post_create(author=member, topic=interest.topic, body="Me too")


def test_the_conversation_is_never_indexed(project, funder, coordinator):
    interest, _created = services.interest_express(project=project, funder=funder)
    assert build(interest.topic) is None


def test_members_of_the_partnership_and_drafts_are_refused(make_project, member, funder):
    published = make_project()
    with pytest.raises(PermissionDenied):
        services.interest_express(project=published, funder=member)
    draft = make_project(title="Draft", published=False)
    with pytest.raises(PermissionDenied):
        services.interest_express(project=draft, funder=funder)
    assert not Interest.objects.exists()


@pytest.mark.parametrize("coordinators", [1, 6], ids=["one-coordinator", "six-coordinators"])
def test_expressing_interest_costs_the_same_whatever_the_number_of_coordinators(
    project, make_user, partnership, django_assert_num_queries, coordinators
):
    from network.models import PartnershipRole
    from network.services import partnership_membership_add

    for _ in range(coordinators - 1):
        partnership_membership_add(
            partnership=partnership, user=make_user(), role=PartnershipRole.COORDINATOR
        )
    funder = make_user()
    with django_assert_num_queries(QUERIES_TO_EXPRESS_INTEREST):
        services.interest_express(project=project, funder=funder)


QUERIES_TO_EXPRESS_INTEREST = 28


def test_the_button_leads_to_the_conversation_and_pressing_again_returns_to_it(
    client, project, funder, coordinator
):
    client.force_login(funder)
    address = reverse("finance:express_interest", args=[project.partnership.slug, project.slug])
    first = client.post(address, {"message": "Hello"})
    topic = Interest.objects.get().topic
    assert first.status_code == 302 and first.url == topic.get_absolute_url()
    again = client.post(address, {"message": "Hello again"})
    assert again.url == topic.get_absolute_url()
    assert Topic.objects.filter(conversation=True).count() == 1
    page = client.get(topic.get_absolute_url())
    assert page.status_code == 200 and "Hello" in page.content.decode()
    client.force_login(coordinator)
    assert client.get(topic.get_absolute_url()).status_code == 200
    assert "Green Fund Officer" in client.get(reverse("forums:notifications")).content.decode()


def test_the_conversation_follows_the_coordinators_as_they_change(
    project, funder, coordinator, second_coordinator, make_user, partnership
):
    """One coordinator removed, one demoted to member, one added: from that commit on the
    removed and the demoted ones read nothing of it (page included) and no longer watch it;
    the new one reads and watches it; the funder stays."""
    from django.test import Client

    from forums.models import Subscription
    from network.models import PartnershipRole
    from network.services import partnership_membership_add, partnership_membership_remove

    interest, _created = services.interest_express(project=project, funder=funder)
    topic = interest.topic
    newcomer = make_user(display_name="Coordinator Three")
    partnership_membership_remove(partnership=partnership, user=coordinator)
    partnership_membership_add(partnership=partnership, user=second_coordinator)  # demoted
    partnership_membership_add(
        partnership=partnership, user=newcomer, role=PartnershipRole.COORDINATOR
    )
    assert set(topic.participants.values_list("user_id", flat=True)) == {funder.pk, newcomer.pk}
    assert set(Subscription.objects.filter(topic=topic).values_list("user_id", flat=True)) == {
        funder.pk,
        newcomer.pk,
    }
    for gone in (coordinator, second_coordinator):
        assert forum_selectors.topic_visible_to(gone, topic.pk) is None
        client = Client()
        client.force_login(gone)
        assert client.get(topic.get_absolute_url()).status_code == 404
    assert forum_selectors.topic_visible_to(newcomer, topic.pk) == topic
    client = Client()
    client.force_login(newcomer)
    assert client.get(topic.get_absolute_url()).status_code == 200
