from django.urls import path

from config import converters  # noqa: F401 -- registers <id:...>
from network import landscape_views, mail_views, views

app_name = "network"

urlpatterns = [
    path("accounts/profile/", views.profile_edit, name="profile"),
    path("accounts/mail/", mail_views.mail_settings, name="mail_settings"),
    path("mail/unsubscribe/<str:token>/", mail_views.unsubscribe, name="unsubscribe"),
    path("network/", views.partnership_list, name="directory"),
    path("network/partnerships.csv", landscape_views.directory_csv, name="directory_csv"),
    path(
        "network/partnerships.geojson",
        landscape_views.directory_geojson,
        name="directory_geojson",
    ),
    path(
        "network/partnerships/<slug:slug>/landscape/",
        landscape_views.partnership_landscape,
        name="landscape",
    ),
    path(
        "network/partnerships/<slug:slug>/boundary.geojson",
        landscape_views.boundary_download,
        name="boundary_download",
    ),
    path("network/partnerships/<slug:slug>/", views.partnership_detail, name="partnership"),
    path("network/partnerships/<slug:slug>/join/", views.partnership_join, name="join"),
    path("network/partnerships/<slug:slug>/follow/", views.partnership_follow, name="follow"),
    path(
        "network/partnerships/<slug:slug>/coordinate/",
        views.partnership_coordinate,
        name="coordinate",
    ),
    path(
        "network/partnerships/<slug:slug>/requests/<id:pk>/decide/",
        views.join_request_decide,
        name="join_request_decide",
    ),
    path(
        "network/partnerships/<slug:slug>/members/<id:user_id>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("network/invitations/<str:token>/", views.invitation, name="invitation"),
    path("network/organisations/", views.organisation_list, name="organisations"),
    path("network/organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("network/members/", views.member_list, name="members"),
    path("network/members/<str:username>/", views.member_detail, name="member"),
]
