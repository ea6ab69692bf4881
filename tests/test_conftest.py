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
