"""seed_demo refuses to run in production (on an empty database: test_seed_demo.py's module
shares one seeded demo)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from network.models import User

pytestmark = pytest.mark.django_db


def test_seed_is_refused_in_production(settings):
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="Refusing to load demo accounts"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.exists()
