"""The addresses an institute's administrator pastes into their platform (shown with each
registration in the Wagtail admin). Outside the language prefixes: machines call them."""

from django.urls import path

from lti import views

app_name = "lti"

urlpatterns = [
    path("login/<uuid:registration_uuid>/", views.oidc_login, name="login"),
    path("launch/", views.launch_view, name="launch"),
    path("deep-link/", views.deep_link_choose, name="deep_link"),
    path("jwks.json", views.jwks, name="jwks"),
    path("roster/<int:context_cohort_id>/", views.roster_view, name="roster"),
]
