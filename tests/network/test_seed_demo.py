"""seed_demo: one account per role, printed credentials, idempotent (refused in production:
test_seed_demo_refused.py, which needs a database without the demo).

The demo is seeded once for the module (tests/conftest.py ``demo_site``); each test runs in a
savepoint of its own."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from wagtail.models import Page, Site

from library.models import HomePage
from network.models import User
from network.roles import Role, user_has_role

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_creates_one_login_per_role_and_prints_it(seeded_demo):
    output = seeded_demo
    for username, role in [
        ("learner", Role.LEARNER),
        ("trainer", Role.TRAINER),
        ("moderator", Role.MODERATOR),
        ("editor", Role.EDITOR),
    ]:
        user = User.objects.get(username=username)
        assert user_has_role(user, role)
        assert f"{username}@example.org" in output
        assert user.check_password(f"{username}-demo-2026")
        assert user.emailaddress_set.get().verified
    assert User.objects.get(username="admin").is_superuser


def test_seed_twice_duplicates_nothing(seeded_demo):
    counts = (User.objects.count(), Page.objects.count(), Site.objects.count())
    seed()
    assert (User.objects.count(), Page.objects.count(), Site.objects.count()) == counts


def test_seed_makes_the_home_page_the_site_root_in_every_language(seeded_demo):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert HomePage.objects.count() == 4
    assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail site").exists()
