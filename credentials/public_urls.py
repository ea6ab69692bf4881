"""What verifiers fetch: the site's DID document and its status lists. Outside the language
prefixes, at addresses that never change (credentials name them)."""

from django.urls import path

from credentials import views

app_name = "credentials_public"

urlpatterns = [
    path(".well-known/did.json", views.did_document, name="did_document"),
    path("credentials/status/<int:number>", views.status_list, name="status_list"),
]
