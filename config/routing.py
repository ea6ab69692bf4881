"""Every WebSocket route of the site, gathered from the apps that have them."""

from django.urls import path

from config.consumers import HealthConsumer
from forums.routing import websocket_urlpatterns as forum_routes

websocket_urlpatterns = [
    path("ws/healthz/", HealthConsumer.as_asgi()),
    *forum_routes,
]
