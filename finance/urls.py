from django.urls import path

from finance import views

app_name = "finance"

PORTFOLIO = "network/partnerships/<slug:slug>/portfolio/"

urlpatterns = [
    path("finance/", views.listing, name="listing"),
    path("finance/projects.csv", views.projects_csv, name="csv"),
    path(PORTFOLIO, views.portfolio, name="portfolio"),
    path(
        "network/partnerships/<slug:slug>/portfolio.geojson",
        views.portfolio_geojson,
        name="portfolio_geojson",
    ),
    path(f"{PORTFOLIO}new/", views.project_create, name="project_create"),
    path(f"{PORTFOLIO}<slug:project_slug>/", views.project_detail, name="project"),
    path(f"{PORTFOLIO}<slug:project_slug>/edit/", views.project_edit, name="project_edit"),
    path(
        f"{PORTFOLIO}<slug:project_slug>/interest/",
        views.express_interest,
        name="express_interest",
    ),
]
