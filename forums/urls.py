from django.urls import path

from config import converters  # noqa: F401 -- registers <id:...>
from forums import compose_views, views
from forums.dialogues import views as dialogue_views

app_name = "forums"

urlpatterns = [
    path("", views.forum_index, name="index"),
    path("c/<slug:slug>/", views.category_detail, name="category"),
    path("c/<slug:slug>/new/", views.topic_create, name="topic_create"),
    path("c/<slug:slug>/watch/", views.category_subscribe, name="category_subscribe"),
    path("c/<slug:slug>/mentions/", compose_views.category_mentions, name="category_mentions"),
    path("t/<id:pk>/", views.topic_detail, name="topic"),
    path("t/<id:pk>/reply/", views.topic_reply, name="topic_reply"),
    path("t/<id:pk>/watch/", views.topic_subscribe, name="topic_subscribe"),
    path("t/<id:pk>/mentions/", compose_views.topic_mentions, name="topic_mentions"),
    path("preview/", compose_views.preview, name="preview"),
    *[
        path(
            f"t/<id:pk>/{action}/",
            views.topic_moderate,
            {"action": action},
            name=f"topic_{action}",
        )
        for action in ("lock", "unlock", "pin", "unpin", "move", "visibility")
    ],
    path("t/<id:pk>/poll/", views.poll_create, name="poll_create"),
    path("polls/<id:pk>/vote/", views.poll_vote, name="poll_vote"),
    path("p/<id:pk>/", views.post_redirect, name="post"),
    path("p/<id:pk>/edit/", views.post_edit, name="post_edit"),
    path("p/<id:pk>/history/", views.post_history, name="post_history"),
    path("revisions/<id:pk>/redact/", views.revision_redact, name="revision_redact"),
    path("p/<id:pk>/react/", views.post_react, name="post_react"),
    path("p/<id:pk>/flag/", views.post_flag, name="post_flag"),
    path("p/<id:pk>/hide/", views.post_hide, name="post_hide"),
    path("p/<id:pk>/approve/", views.post_moderate, {"action": "approve"}, name="post_approve"),
    path("p/<id:pk>/reject/", views.post_reject, name="post_reject"),
    path("p/<id:pk>/restore/", views.post_moderate, {"action": "restore"}, name="post_restore"),
    path("attachments/<id:pk>/", views.attachment_download, name="attachment"),
    path("notifications/", views.notifications, name="notifications"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("moderation/log/", views.moderation_log, name="moderation_log"),
    path("members/<str:username>/suspend/", views.user_suspend, name="user_suspend"),
    path("live/", dialogue_views.dialogue_list, name="dialogues"),
    path("live/new/", dialogue_views.dialogue_create, name="dialogue_create"),
    path("live/<id:pk>/", dialogue_views.dialogue_detail, name="dialogue"),
    path("live/<id:pk>/follow/", dialogue_views.dialogue_follow, name="dialogue_follow"),
    *[
        path(
            f"live/<id:pk>/{action}/",
            dialogue_views.dialogue_action,
            {"action": action},
            name=f"dialogue_{action}",
        )
        for action in ("chat", "ask", "start", "end")
    ],
    *[
        path(
            f"live/<id:pk>/{action}/<id:target>/",
            dialogue_views.dialogue_action,
            {"action": action},
            name=f"dialogue_{action}",
        )
        for action in (
            "vote",
            "answer",
            "remove_question",
            "remove_message",
            "remove_participant",
        )
    ],
]
