"""Work that waits for a commit, in the order people notice it.

DESIGN.md's rule is write -> commit -> broadcast/index: nothing is announced or indexed until
the transaction that made it commits. Django runs ``on_commit`` callbacks in the order they
were registered, and a write registers its index work first (from ``post_save``) and its
broadcast last (the service knows the event only at the end). On the embedded default the
index task runs inline, so every reader of a live topic would wait for the indexing before
seeing the reply. Here the two kinds are told apart: *late* work (indexing) and *prompt* work
(broadcasts), which goes ahead of any late work still waiting for the same commit.

Both keep Django's semantics otherwise: outside a transaction they run at once, and callbacks of
a rolled-back savepoint are dropped (entries are moved whole, savepoint ids included).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

_LATE = "commit_late"
_PROMPT = "commit_prompt"


def on_commit_late(func: Callable[[], None], *, robust: bool = True) -> None:
    """Run ``func`` after commit, after any prompt work registered for the same commit."""
    setattr(func, _LATE, True)
    transaction.on_commit(func, robust=robust)


def on_commit_prompt(func: Callable[[], None], *, robust: bool = False) -> None:
    """Run ``func`` after commit, ahead of the late work already waiting for it."""
    setattr(func, _PROMPT, True)
    transaction.on_commit(func, robust=robust)
    pending = transaction.get_connection().run_on_commit
    if not pending or pending[-1][1] is not func:
        return  # ran at once (autocommit)
    first_late = next((i for i, (_, waiting, *_) in enumerate(pending) if is_late(waiting)), None)
    if first_late is not None:
        pending.insert(first_late, pending.pop())


def is_pending(predicate: Callable[[Callable[[], None]], bool]) -> bool:
    """Whether a callback matching ``predicate`` waits for the current transaction's commit.

    Django drops callbacks of rolled-back savepoints from this list, so it is always current."""
    return any(predicate(waiting) for _, waiting, *_ in transaction.get_connection().run_on_commit)


def is_late(func: Callable[[], None]) -> bool:
    return getattr(func, _LATE, False)


def is_prompt(func: Callable[[], None]) -> bool:
    return getattr(func, _PROMPT, False)
