"""WebSocket routes of the forums (topics and live dialogue arrive with the forums feature)."""

websocket_urlpatterns: list = []
