from django.urls import path

from library import feeds

app_name = "library"

urlpatterns = [
    path("feeds/case-studies/rss/", feeds.CaseStudiesFeed(), name="case_studies_rss"),
    path("feeds/case-studies/atom/", feeds.CaseStudiesAtomFeed(), name="case_studies_atom"),
    path("feeds/resources/rss/", feeds.ResourcesFeed(), name="resources_rss"),
    path("feeds/resources/atom/", feeds.ResourcesAtomFeed(), name="resources_atom"),
]
