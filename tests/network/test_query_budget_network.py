"""Query budgets of the partnership page and the member directory: at most 16 queries, flat as
members, organisations and case studies grow (N vs 3N). Page cache off: every request renders.
(The partnership page reads its themes, ecosystems and SDGs, one query each, and, for a
signed-in visitor, whether they hold the editor role, who may change the boundary.)"""

from __future__ import annotations

import pytest
from django.urls import reverse

from network.models import LandscapePartnership, Organisation, ProfileVisibility
from network.services import partnership_membership_add

pytestmark = pytest.mark.django_db

BUDGET = 16


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


def _count(client, path, django_assert_max_num_queries, budget=BUDGET) -> int:
    assert client.get(path).status_code == 200  # warms the menu and the other small caches
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def grow(make_user, make_case_study):
    partnership = LandscapePartnership.objects.create(
        name="Mount Kenya Landscape", slug="mount-kenya", country="KE", region="africa"
    )

    def add(count: int) -> LandscapePartnership:
        for _ in range(count):
            member = make_user(profile_visibility=ProfileVisibility.PUBLIC)
            partnership_membership_add(partnership=partnership, user=member)
            number = member.pk
            organisation = Organisation.objects.create(
                name=f"Org {number}", slug=f"org-{number}", country="KE"
            )
            partnership.organisations.add(organisation)
            make_case_study(partnership=partnership)
        partnership.save()
        return partnership

    return add


@pytest.mark.parametrize("signed_in", [False, True])
def test_partnership_page_and_member_directory_stay_within_budget(
    client, grow, make_user, django_assert_max_num_queries, signed_in
):
    if signed_in:
        client.force_login(make_user())
    partnership = grow(3)
    paths = [reverse("network:partnership", args=[partnership.slug]), reverse("network:members")]
    # A member's header adds their unread notifications (one count).
    budget = BUDGET + (1 if signed_in else 0)
    baselines = [_count(client, path, django_assert_max_num_queries, budget) for path in paths]
    grow(6)
    for path, baseline in zip(paths, baselines, strict=True):
        _count(client, path, django_assert_max_num_queries, budget=baseline)
