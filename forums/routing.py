"""WebSocket routes of the forums: one socket per open topic page, one per member for
notifications, one per live dialogue room, one per open moderation queue."""

from django.urls import path

from forums.consumers import ModerationConsumer, NotificationConsumer, TopicConsumer
from forums.dialogues.consumers import DialogueConsumer

websocket_urlpatterns = [
    path("ws/forums/topics/<int:topic_id>/", TopicConsumer.as_asgi()),
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    path("ws/forums/moderation/", ModerationConsumer.as_asgi()),
    path("ws/dialogues/<int:session_id>/", DialogueConsumer.as_asgi()),
]
