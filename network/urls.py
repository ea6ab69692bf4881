from django.urls import path

from network import views

app_name = "network"

urlpatterns = [
    path("accounts/profile/", views.profile_edit, name="profile"),
    path("network/", views.member_list, name="directory"),
    path("network/members/<str:username>/", views.member_detail, name="member"),
]
