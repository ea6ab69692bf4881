"""One task per transaction, enqueued after commit: for outboxes that add rows in the learner's
transaction and must not enqueue a send per row (``xapi``, ``lti`` grades).

The pending send is held weakly: only Django's ``on_commit`` callback holds it, so when a
rollback (of the transaction or of the savepoint that registered it) drops the callback, the
next write in that thread asks again instead of trusting a send that will never run.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

from asgiref.local import Local
from django.db import transaction


class _Send:
    __slots__ = ("__weakref__", "done")

    def __init__(self) -> None:
        self.done = False


class OncePerCommit:
    """``once = OncePerCommit(enqueue)``; ``once()`` in a transaction calls ``enqueue`` once
    after it commits, however many times it was asked."""

    def __init__(self, enqueue: Callable[[], None]) -> None:
        self._enqueue = enqueue
        self._waiting = Local()

    def __call__(self) -> None:
        reference = getattr(self._waiting, "send", None)
        send = reference() if reference is not None else None
        if send is not None and not send.done:
            return
        send = _Send()
        self._waiting.send = weakref.ref(send)

        def run() -> None:
            if send.done:
                return
            send.done = True
            self._enqueue()

        transaction.on_commit(run, robust=True)
