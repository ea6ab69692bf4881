"""The index state: which generation answers, which one a rebuild fills, and the version that
keys cached answers. Read once per request (``search.per_request``)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from search import per_request
from search.models import IndexState


def _state() -> IndexState:
    """The state row as it is now (writes always read it afresh)."""
    state, _created = IndexState.objects.get_or_create(name="default")
    return state


def answering() -> tuple[int, int]:
    """(active generation, version) for answering: one read per request, shared by the page
    cache, the answer cache and the query."""

    def read() -> tuple[int, int]:
        row = IndexState.objects.filter(name="default").values_list("active", "version")[:1]
        if not row:
            state = _state()
            return state.active, state.version
        return row[0]

    return per_request.remembered("search.database.index_state", read)


def active_generation() -> int:
    return answering()[0]


def index_version() -> str:
    """The active generation and the count of changes to it: the same value means the same
    answers. Read from the database, so a change made by any process counts."""
    active, version = answering()
    return f"{active}.{version}"


def count_change(keys: list[str]) -> None:
    """Count a change to the documents ``keys``, inside the transaction that makes it."""
    IndexState.objects.filter(name="default").update(version=F("version") + 1)
    per_request.forget()


def writable_generations() -> list[int]:
    state = _state()
    return [state.active] + ([state.building] if state.building else [])


def begin_rebuild() -> int:
    """Reserve generation N+1 for a rebuild while N answers."""
    with transaction.atomic():
        state = IndexState.objects.select_for_update().get_or_create(name="default")[0]
        new = max(state.active, state.building or 0) + 1
        state.building = new
        state.save()
    return new


def switch_to(new: int) -> None:
    """Make ``new`` the answering generation (inside the caller's transaction)."""
    state = IndexState.objects.select_for_update().get(name="default")
    state.active, state.building = new, None
    state.version += 1
    state.save()
    per_request.forget()


def count_clear() -> None:
    """A clear: no rebuild runs any more, and the version moves on. The state row stays, so
    its version keeps counting: a fresh row would start again at a version that answers
    cached before the clear were keyed by."""
    _state()
    IndexState.objects.filter(name="default").update(building=None, version=F("version") + 1)
    per_request.forget()
