"""Start daphne on the site, with Python's garbage collector set for a long-lived server.

``python -m config.server -b HOST -p PORT config.asgi:application`` takes daphne's own options
and runs daphne's command line (the function its ``daphne`` script calls) after one change to
the process: the garbage collector, through Python's documented ``gc`` API.

Why: a started Django + Wagtail + Channels process holds some 200,000 objects that live as
long as it does, and with Python's default thresholds (700, 10, 10) a busy daphne runs a full
collection over all of them every few hundred requests. Measured with bench/run's small data
set, 16 clients per page, default collector: 16 full collections in 24 s of load, 650 ms each
(median, on this shared 2-core machine), which was the p99 of every page (0.8-2 s) and of live
delivery. With the start-up objects frozen and collections spaced out: 5 full collections and
a p99 of 140-380 ms in the same minutes.

This is done here, in the server's entry point, and not when ``config.asgi`` is imported: the
test process, ``manage.py`` and the task worker import the site too, and must keep Python's
defaults.
"""

from __future__ import annotations

import gc
import sys

#: Collect the youngest generation every 10,000 net allocations (not 700), the middle one every
#: 20 of those (not 10), the oldest every 100 middle ones (not 10). A request's garbage is
#: mostly freed by reference counting, so the memory held between collections is a few MB.
COLLECTOR_THRESHOLDS = (10_000, 20, 100)


def tune_collector() -> None:
    """Load the site (settings, apps, the application, every view module through the URL
    patterns), then move all of it into the collector's permanent generation (``gc.freeze``,
    which Python documents for exactly this: objects made at start-up that live as long as the
    process) and space collections out."""
    from django.urls import get_resolver

    import config.asgi  # noqa: F401 - sets Django up and builds the application

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    gc.collect()  # nothing that is already garbage gets frozen
    gc.freeze()
    gc.set_threshold(*COLLECTOR_THRESHOLDS)


def main(argv: list[str] | None = None) -> None:
    """Tune the collector, then run daphne exactly as its ``daphne`` command would."""
    from daphne.cli import CommandLineInterface

    tune_collector()
    CommandLineInterface().run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    main()
