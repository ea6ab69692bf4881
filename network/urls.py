from django.urls import path

from network import views

app_name = "network"

urlpatterns = [
    path("accounts/profile/", views.profile_edit, name="profile"),
    path("network/", views.partnership_list, name="directory"),
    path("network/partnerships/<slug:slug>/", views.partnership_detail, name="partnership"),
    path("network/organisations/", views.organisation_list, name="organisations"),
    path("network/organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("network/members/", views.member_list, name="members"),
    path("network/members/<str:username>/", views.member_detail, name="member"),
]
