from django.urls import path

from library import feeds, views

app_name = "library"

urlpatterns = [
    path("maps/case-studies.json", views.case_study_map, name="case_study_map"),
    path("feeds/case-studies/rss/", feeds.CaseStudiesFeed(), name="case_studies_rss"),
    path("feeds/case-studies/atom/", feeds.CaseStudiesAtomFeed(), name="case_studies_atom"),
    path("feeds/resources/rss/", feeds.ResourcesFeed(), name="resources_rss"),
    path("feeds/resources/atom/", feeds.ResourcesAtomFeed(), name="resources_atom"),
]
