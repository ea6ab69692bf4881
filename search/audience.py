"""Who is asking: the audiences a user's results may come from."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from network.selectors import partnership_ids_for
from search.types import MEMBERS, PUBLIC, partnership_audience


def audiences_for(user: AbstractBaseUser | AnonymousUser) -> tuple[str, ...]:
    """``public`` for everyone; ``members`` and each partnership's audience for members."""
    if not user.is_authenticated or not user.is_active:
        return (PUBLIC,)
    partnerships = sorted(partnership_ids_for(user))
    return (PUBLIC, MEMBERS, *(partnership_audience(pk) for pk in partnerships))
