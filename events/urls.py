from django.urls import path

from config import converters  # noqa: F401 -- registers <id:...>
from events import views

app_name = "events"

urlpatterns = [
    path("<id:page_id>/register/", views.register, name="register"),
    path("<id:page_id>/cancel/", views.cancel, name="cancel"),
    path("<id:page_id>/event.ics", views.event_ics, name="event_ics"),
    path("calendar.ics", views.network_feed, name="network_feed"),
    path("partnerships/<slug:slug>/calendar.ics", views.partnership_feed, name="partnership_feed"),
    path("feeds/<str:token>.ics", views.member_feed, name="member_feed"),
    path("my-calendar/", views.my_calendar, name="my_calendar"),
    path("<id:page_id>/notes/", views.notes_edit, name="notes_edit"),
    path("photos/<id:pk>/", views.photo, name="photo"),
    path("archive/", views.archive, name="archive"),
]
