"""WSGI entry point for the production shape's HTTP app servers (gunicorn, threaded workers).

Production serves plain HTTP through a threaded WSGI server and WebSockets through daphne, as
Channels' deployment documentation describes; bench/run --shape production measured this
against several daphne processes (README, "Production"). The embedded default (``make run``)
serves both from one daphne process through config/asgi.py and never imports this module.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()
