"""Content reaches the index after commit, leaves it when unpublished, restricted or deleted."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import PageViewRestriction

import search
from network.models import LandscapePartnership
from search.backends import get_backend

pytestmark = pytest.mark.django_db


def found(text: str, user) -> list[str]:
    return [hit.title for hit in search.query(text, user=user).hits]


@pytest.fixture
def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_published_case_study_is_found_after_commit(
    make_case_study, anonymous, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_case_study(title="Mangrove nurseries in the delta", summary="Fishers replant.")
    assert found("mangrove", anonymous) == ["Mangrove nurseries in the delta"]


def test_nothing_is_indexed_for_a_write_that_rolled_back(make_case_study, anonymous):
    # Without the commit callbacks running, the index never hears of the page.
    make_case_study(title="Rolled back story")
    assert found("rolled", anonymous) == []


def test_draft_is_never_indexed(make_case_study, anonymous, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_case_study(title="Secret draft about wetlands", publish=False)
    assert found("wetlands", anonymous) == []


def test_unpublished_page_leaves_the_index(
    make_case_study, anonymous, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = make_case_study(title="Short-lived grassland story")
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert found("grassland", anonymous) == []


def test_login_restricted_page_leaves_the_index(
    make_case_study, anonymous, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = make_case_study(title="Restricted savanna story")
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert found("savanna", anonymous) == []


def test_deleted_page_leaves_the_index(
    make_case_study, anonymous, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = make_case_study(title="Deleted peat story")
    with django_capture_on_commit_callbacks(execute=True):
        page.delete()
    assert found("peat", anonymous) == []


def test_translation_hides_the_other_version_from_its_readers(
    make_case_study, library_tree, anonymous, django_capture_on_commit_callbacks
):
    """Each translated page once per reader, as the listings show it: in the reader's
    language, else the default language's version, else the one written first."""

    def titles(language: str) -> list[str]:
        return [hit.title for hit in search.query("lima", user=anonymous, language=language).hits]

    with django_capture_on_commit_callbacks(execute=True):
        page = make_case_study(title="Water fund for Lima", summary="Downstream pays upstream.")
        first_in_spanish = make_case_study(
            title="Cooperativa de Lima", summary="Escrito en español.", language="es"
        )
    with django_capture_on_commit_callbacks(execute=True):
        spanish = page.copy_for_translation(library_tree["locales"]["es"])
        spanish.title = "Fondo de agua para Lima"
        spanish.save_revision().publish()
        french = first_in_spanish.copy_for_translation(library_tree["locales"]["fr"])
        french.title = "Coopérative de Lima"
        french.save_revision().publish()
    assert sorted(titles("en")) == ["Cooperativa de Lima", "Water fund for Lima"]
    assert sorted(titles("es")) == ["Cooperativa de Lima", "Fondo de agua para Lima"]
    assert sorted(titles("fr")) == ["Coopérative de Lima", "Water fund for Lima"]
    assert sorted(titles("pt")) == ["Cooperativa de Lima", "Water fund for Lima"]
    # Without its English version, the Spanish one stands for the languages it lacks.
    with django_capture_on_commit_callbacks(execute=True):
        page.delete()
    assert sorted(titles("pt")) == ["Cooperativa de Lima", "Fondo de agua para Lima"]


def test_partnerships_are_indexed_on_save_and_removed_on_delete(
    anonymous, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        partnership = LandscapePartnership.objects.create(
            name="Ba River Catchment", slug="ba", country="FJ", region="oceania"
        )
    assert found("catchment", anonymous) == ["Ba River Catchment"]
    with django_capture_on_commit_callbacks(execute=True):
        partnership.delete()
    assert found("catchment", anonymous) == []


@pytest.fixture
def enqueued_index_work():
    """The index tasks enqueued while the test runs (django-tasks' public signal)."""
    from django_tasks.signals import task_enqueued

    seen: list[tuple] = []

    def record(sender, task_result, **kwargs) -> None:
        if task_result.task.module_path.startswith("search.tasks."):
            seen.append((task_result.task.name, *task_result.args))

    task_enqueued.connect(record, dispatch_uid="test.enqueued_index_work")
    yield seen
    task_enqueued.disconnect(dispatch_uid="test.enqueued_index_work")


def test_one_write_asks_for_each_document_once(
    anonymous, django_capture_on_commit_callbacks, enqueued_index_work
):
    """A save and a service both asking for the same object cost one indexing, not two; a
    savepoint rolled back takes its request with it, so a later one still registers."""
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        partnership = LandscapePartnership.objects.create(
            name="Ba River Catchment", slug="ba", country="FJ", region="oceania"
        )
        search.index_object(partnership)
        search.index_object(partnership)
    key = ("reindex_object", "network.landscapepartnership", str(partnership.pk))
    assert enqueued_index_work == [key]
    assert found("catchment", anonymous) == ["Ba River Catchment"]

    enqueued_index_work.clear()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                search.index_object(partnership)
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        partnership.name = "Ba River Landscape"
        partnership.save()
    # A renamed partnership also asks once for the documents that name it (its projects).
    dependents = ("reindex_dependents", "network.landscapepartnership", str(partnership.pk))
    assert sorted(enqueued_index_work) == sorted([key, dependents])
    assert found("landscape", anonymous) == ["Ba River Landscape"]


def test_rebuild_command_reports_and_check_finds_drift(make_case_study, anonymous):
    make_case_study(title="Indexed only by the rebuild")
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 missing"):
        call_command("search_check", stdout=out)
    call_command("search_rebuild", "--quiet-progress", stdout=out)
    assert "Indexed 1 documents" in out.getvalue()
    assert found("rebuild", anonymous) == ["Indexed only by the rebuild"]
    call_command("search_check", stdout=out)
    assert "matches the database" in out.getvalue()


def test_check_fix_removes_stale_entries(make_case_study, anonymous):
    page = make_case_study(title="Soon gone")
    call_command("search_rebuild", "--quiet-progress", stdout=io.StringIO())
    page.delete()  # no commit callbacks: the index keeps a stale entry
    out = io.StringIO()
    call_command("search_check", "--fix", stdout=out)
    assert "Fixed 0 missing and 1 stale." in out.getvalue()
    assert get_backend().keys() == set()


def test_theme_names_in_every_language_find_a_case_study(
    make_case_study, anonymous, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_case_study(title="Shade over cocoa", summary="Farm trees.", themes=("agroforestry",))
    assert found("agroforestry", anonymous) == ["Shade over cocoa"]
    assert found("agroforestería", anonymous) == ["Shade over cocoa"]
