"""ASGI entry point: HTTP through Django, WebSockets through Channels, both served by daphne."""

import gc
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Set Django up (as get_asgi_application does) before importing anything that touches models.
django.setup(set_prefix=False)

from django.conf import settings  # noqa: E402

from config.request_threads import ReusedThreadsASGIHandler  # noqa: E402

django_asgi_app = ReusedThreadsASGIHandler(keep_threads=settings.REQUEST_THREADS_KEPT)

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import get_resolver  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)


def _freeze_startup_objects() -> None:
    """Move everything the start-up made into the collector's permanent generation.

    A full (generation 2) collection walks every tracked object, and a started Django, Wagtail
    and Channels process holds some 200,000 of them that live as long as the process. Measured
    under bench/run's 200-socket fan-out, those collections paused the event loop for 165-180 ms
    each, which was the whole p99 of live delivery and of every page; frozen, they take a tenth
    of that. The URL patterns are loaded first (importing every view module) so they are frozen
    too; garbage is collected before, so none of it is kept.
    """
    get_resolver().url_patterns  # noqa: B018 - imports every view module
    gc.collect()
    gc.freeze()


#: Collect the youngest generation every 10,000 net allocations (not 700), the middle one every
#: 20 of those (not 10), the oldest every 100 middle ones (not 10). Measured on /bench/trivial
#: under 16 clients: 77 middle and 8 full collections per 4,000 requests with the defaults, a
#: full one pausing the event loop 25-140 ms (p99 of every page and of live delivery); 2 and 1
#: with these. A request's garbage is mostly freed by reference counting, so the extra memory
#: held between collections is a few MB.
COLLECTOR_THRESHOLDS = (10_000, 20, 100)


def _tune_collector() -> None:
    gc.set_threshold(*COLLECTOR_THRESHOLDS)


_freeze_startup_objects()
_tune_collector()
