"""seed_demo: one account per role, printed credentials, idempotent, refused in production."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, Site

from library.models import HomePage
from network.models import User
from network.roles import Role, user_has_role

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_creates_one_login_per_role_and_prints_it():
    output = seed()
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


def test_seed_twice_duplicates_nothing():
    seed()
    counts = (User.objects.count(), Page.objects.count(), Site.objects.count())
    seed()
    assert (User.objects.count(), Page.objects.count(), Site.objects.count()) == counts


def test_seed_makes_the_home_page_the_site_root_in_every_language():
    seed()
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert HomePage.objects.count() == 4
    assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail site").exists()


def test_seed_is_refused_in_production(settings):
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="Refusing to load demo accounts"):
        seed()
    assert not User.objects.exists()
