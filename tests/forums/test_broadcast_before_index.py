"""A reply reaches the topic's readers before the search index sees it (config/commit.py):
on the embedded default the index work runs inline after commit, and readers should not wait
for it."""

from __future__ import annotations

import pytest
from django.db import transaction

from config import commit
from forums import services

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reply_is_broadcast_before_it_is_indexed(topic, make_user):
    author = make_user()
    with transaction.atomic():
        services.post_create(author=author, topic=topic, body="Terraces held after the rain.")
        pending = [waiting for _, waiting, *_ in transaction.get_connection().run_on_commit]
        late = [i for i, waiting in enumerate(pending) if commit.is_late(waiting)]
        prompt = [i for i, waiting in enumerate(pending) if commit.is_prompt(waiting)]
        assert late, "the reply must be waiting to be indexed"
        assert prompt, "the reply must be waiting to be broadcast"
        assert max(prompt) < min(late)
