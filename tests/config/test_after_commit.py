"""One task per transaction after commit (``config.after_commit.OncePerCommit``), and none for
writes that were rolled back."""

from __future__ import annotations

import pytest
from django.db import transaction

from config.after_commit import OncePerCommit

pytestmark = pytest.mark.django_db


def test_asked_many_times_in_a_transaction_it_enqueues_once(django_capture_on_commit_callbacks):
    sent: list[str] = []
    once = OncePerCommit(lambda: sent.append("send"))
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            once()
    assert sent == ["send"]
    with django_capture_on_commit_callbacks(execute=True):
        once()  # the next transaction asks again
    assert sent == ["send", "send"]


def test_a_savepoint_rolled_back_drops_its_send_and_the_next_write_asks_again(
    django_capture_on_commit_callbacks,
):
    sent: list[str] = []
    once = OncePerCommit(lambda: sent.append("send"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                once()
                raise RuntimeError("the write fails")
        except RuntimeError:
            pass
        once()  # the first send went with the savepoint: this one must register its own
    assert len(callbacks) == 1
    assert sent == ["send"]


def test_a_transaction_rolled_back_sends_nothing(django_capture_on_commit_callbacks):
    sent: list[str] = []
    once = OncePerCommit(lambda: sent.append("send"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                once()
                raise RuntimeError("the write fails")
        except RuntimeError:
            pass
    assert callbacks == []
    assert sent == []
