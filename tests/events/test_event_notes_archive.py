"""After an in-person event: its organisers' notes (through the one sanitiser) and photos
(through the image upload check), on the event page, in the archive beside the live
dialogues' transcripts, and in the network search; a partnership's private event nowhere
public."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

import search
from events import services
from events.models import EventPhoto
from network.models import LandscapePartnership
from network.services import partnership_membership_add

pytestmark = pytest.mark.django_db

AGO = datetime.timedelta(days=-2)


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="PNG")
    return SimpleUploadedFile("visit.png", buffer.getvalue(), content_type="image/png")


def titles(text: str, user) -> list[str]:
    return sorted({hit.title for hit in search.query(text, user=user).hits if hit.kind == "event"})


def test_the_organiser_keeps_notes_and_a_photo_that_readers_and_search_find(
    make_event, make_user, client, django_capture_on_commit_callbacks
):
    organiser = make_user(is_superuser=True)  # may edit every page, as the event's editors
    event = make_event(title="Terrace field visit", starts_in=AGO)
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:notes_edit", args=[event.pk]),
            {
                "body": "We saw **gabions** on the slope.<script>alert(1)</script>",
                "photo": png(),
                "caption": "Gabions above the river",
            },
        )
    assert response.status_code == 302
    reader = make_user()
    client.force_login(reader)
    page = client.get(event.url).content.decode()
    assert "<strong>gabions</strong>" in page and "<script>alert" not in page
    photo = EventPhoto.objects.get()
    assert 'alt="Gabions above the river"' in page
    served = client.get(reverse("events:photo", args=[photo.pk]))
    assert served["Content-Type"] == "image/webp"
    assert "Terrace field visit" in client.get(reverse("events:archive")).content.decode()
    assert titles("gabions", AnonymousUser()) == ["Terrace field visit"]
    # Nobody else keeps the notes.
    assert client.get(reverse("events:notes_edit", args=[event.pk])).status_code == 403


def test_a_private_events_notes_stay_with_its_partnership(
    make_event, make_user, client, django_capture_on_commit_callbacks
):
    partnership = LandscapePartnership.objects.create(
        name="Kijabe", slug="kijabe-notes", country="KE", region="africa"
    )
    partner = make_user()
    partnership_membership_add(partnership=partnership, user=partner)
    event = make_event(
        title="Partners' nursery visit", starts_in=AGO, partnership=partnership, members_only=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.event_notes_save(
            event=event, author=make_user(is_superuser=True), body="Seedlings counted: 4,000."
        )
    outsider = make_user()
    assert titles("seedlings", AnonymousUser()) == titles("seedlings", outsider) == []
    assert titles("seedlings", partner) == ["Partners' nursery visit"]
    archive = client.get(reverse("events:archive")).content.decode()
    assert "nursery visit" not in archive
    client.force_login(partner)
    assert "nursery visit" in client.get(reverse("events:archive")).content.decode()


def test_notes_wait_until_an_in_person_event_has_ended(make_event, make_user):
    organiser = make_user(is_superuser=True)
    for event in (
        make_event(),
        make_event(starts_in=AGO, format="online", place="", joining_link="https://meet.example/x"),
    ):
        with pytest.raises(ValidationError):
            services.event_notes_save(event=event, author=organiser, body="Too early.")
