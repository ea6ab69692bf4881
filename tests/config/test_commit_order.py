"""Broadcasts run before the same commit's index work (config/commit.py), and both keep
Django's on_commit semantics: nothing before commit, nothing after a rollback."""

from __future__ import annotations

import pytest
from django.db import transaction

from config import commit

pytestmark = pytest.mark.django_db(transaction=True)


def test_prompt_work_runs_before_late_work_of_the_same_commit():
    ran: list[str] = []
    with transaction.atomic():
        commit.on_commit_late(lambda: ran.append("index a"))
        transaction.on_commit(lambda: ran.append("plain"))
        commit.on_commit_late(lambda: ran.append("index b"))
        commit.on_commit_prompt(lambda: ran.append("broadcast 1"))
        commit.on_commit_prompt(lambda: ran.append("broadcast 2"))
        assert ran == []
    assert ran == ["broadcast 1", "broadcast 2", "index a", "plain", "index b"]


def test_a_rolled_back_savepoint_drops_its_moved_work_only():
    ran: list[str] = []
    with transaction.atomic():
        commit.on_commit_late(lambda: ran.append("index kept"))
        try:
            with transaction.atomic():
                commit.on_commit_late(lambda: ran.append("index dropped"))
                commit.on_commit_prompt(lambda: ran.append("broadcast dropped"))
                raise RuntimeError
        except RuntimeError:
            pass
        commit.on_commit_prompt(lambda: ran.append("broadcast kept"))
    assert ran == ["broadcast kept", "index kept"]


def test_outside_a_transaction_work_runs_at_once():
    ran: list[str] = []
    commit.on_commit_late(lambda: ran.append("index"))
    commit.on_commit_prompt(lambda: ran.append("broadcast"))
    assert ran == ["index", "broadcast"]
