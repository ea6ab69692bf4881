"""A draft project's documents are not public by address (``finance.media_access``): Wagtail's
document view answers 404 to anyone but the partnership's coordinators (and people who may
change the document in the admin) until the project is published, and again once it is
unpublished; the file itself is never served from the media folder."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from finance import services
from tests.finance.projects import project_data

pytestmark = pytest.mark.django_db


def status(user, address: str) -> int:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(address).status_code


def test_a_draft_projects_document_is_for_its_coordinators_until_it_is_published(
    partnership, coordinator, member, funder, make_user
):
    draft = project_data(published=False)
    plan = SimpleUploadedFile("business-plan.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    project = services.project_create(
        partnership=partnership, coordinator=coordinator, data=draft, document=plan
    )
    document = project.documents.get()
    people = {
        "anonymous": None,
        "member": member,
        "funder": funder,
        "coordinator": coordinator,
        "superuser": make_user(is_superuser=True, is_staff=True),
    }
    found = {name: status(user, document.url) for name, user in people.items()}
    assert found == {
        "anonymous": 404,
        "member": 404,
        "funder": 404,
        "coordinator": 200,
        "superuser": 200,
    }
    # The stored file is not a way round the view, for anyone.
    assert {status(user, document.file.url) for user in people.values()} == {404}

    services.project_update(
        project=project, coordinator=coordinator, data=dataclasses.replace(draft, published=True)
    )
    assert {status(user, document.url) for user in people.values()} == {200}

    services.project_update(project=project, coordinator=coordinator, data=draft)
    assert status(None, document.url) == 404
