"""The suite's own order (tests/conftest.py): what ``make test``'s scheduler hands out whole,
in this order, is what every test process collected."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import _UNITS_FILE, _unit


def test_each_unit_is_contiguous_and_transactional_units_come_last(request):
    units = [_unit(item) for item in request.session.items]
    starts = [name for index, name in enumerate(units) if index == 0 or units[index - 1] != name]
    assert len(starts) == len(set(starts)), "a unit is split in the run's order"
    transactional = [name.startswith("transactional:") for name in starts]
    assert transactional == sorted(transactional), "a database unit after a transactional one"


def test_under_xdist_the_scheduler_reads_this_collections_units(request):
    """Each worker leaves its units where the main process's scheduler reads them."""
    workerinput = getattr(request.config, "workerinput", None)
    if workerinput is None or "lc_units_file" not in workerinput:
        assert "PYTEST_XDIST_WORKER" not in os.environ  # one process: nothing to hand out
        return
    path = Path(workerinput["lc_units_file"])
    assert path.name == _UNITS_FILE
    units = json.loads(path.read_text())
    assert units[request.node.nodeid] == _unit(request.node)
    assert len(units) == len(request.session.items)


def test_the_test_database_has_every_migration_applied(db):
    """On the embedded default all but one test process copy the run's migrated database
    (``django_db_modify_db_settings``): the copy is the migrated schema, not an empty one."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    assert executor.loader.applied_migrations  # the history came along with the tables


#: What the first demo test below writes; the second must not see it.
_DEMO_WRITE = "Written by test_a_demo_test_writes"


def test_a_demo_test_writes_and_its_files_are_its_own(seeded_demo, settings, tmp_path):
    """``seeded_demo``: the module's demo, and its files copied into this test's folders."""
    from wagtail.images import get_image_model

    from network.models import User

    assert Path(settings.MEDIA_ROOT) == tmp_path / "media"
    image = get_image_model().objects.order_by("pk").first()
    assert (tmp_path / "media" / image.file.name).is_file()
    User.objects.filter(username="learner").update(display_name=_DEMO_WRITE)
    assert User.objects.get(username="learner").display_name == _DEMO_WRITE


def test_the_next_demo_test_does_not_see_that_write(seeded_demo):
    """Runs after the one above (a file's tests run in order, in one process): the write was
    rolled back with that test's savepoint; the demo itself is still there."""
    from network.models import User

    learner = User.objects.get(username="learner")
    assert learner.display_name != _DEMO_WRITE


def test_the_restored_demo_is_found_by_both_search_indexes(seeded_demo):
    """The demo's rows are the run's one seed, written back (tests/demo_snapshot.py). On
    SQLite the full-text tables are virtual (FTS5) and Wagtail's is filled by triggers on its
    index entries: both must answer as after a real seed, with each page once."""
    from django.contrib.auth.models import AnonymousUser
    from wagtail.models import Page

    import search

    riparian = "riparian-buffers-mount-kenya"
    found = [page.slug for page in Page.objects.live().search("riparian buffers")]
    assert found.count(riparian) == 1  # Wagtail's index (the admin's page search)
    hits = search.query("riparian buffers", user=AnonymousUser()).hits
    assert sum(hit.url.endswith(f"/{riparian}/") for hit in hits) == 1  # the site's search
