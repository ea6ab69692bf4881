"""ASGI entry point: HTTP through Django, WebSockets through Channels, both served by daphne."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Build the Django app (which sets Django up) before importing anything that touches models.
django_asgi_app = get_asgi_application()

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


_freeze_startup_objects()
