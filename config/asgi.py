"""ASGI entry point: HTTP through Django, WebSockets through Channels, both served by daphne.

Shaped as Channels' tutorial ``mysite/asgi.py``: Django's own ASGI application is built first
(it sets Django up), and only then is anything imported that touches models. Sockets pass
the site's own origin check (scheme, host and port: ``config/websocket_origin.py``) before
Channels' session authentication.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from config.websocket_origin import SameOriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SameOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
