"""A hidden profile's picture cannot be fetched by guessing its address, and replacing a
picture, even twice at once, leaves exactly one file behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from network import services
from network.models import ProfileVisibility, User
from tests.config.conftest import png_bytes

pytestmark = pytest.mark.django_db


def _update(user: User, *, visibility: str, avatar: ContentFile | None = None) -> User:
    return services.profile_update(
        user=user,
        display_name="",
        organisation_name="",
        country="",
        languages=[],
        bio="",
        profile_visibility=visibility,
        avatar=avatar,
    )


def _picture() -> ContentFile:
    return ContentFile(png_bytes(), name="avatar.png")


def _files_of(user: User) -> list[Path]:
    folder = Path(User._meta.get_field("avatar").storage.path(f"avatars/{user.pk}"))
    return sorted(folder.iterdir()) if folder.exists() else []


def test_an_avatar_address_cannot_be_guessed_from_the_member(learner):
    _update(learner, visibility=ProfileVisibility.PUBLIC, avatar=_picture())
    name = Path(learner.avatar.name).stem
    assert name not in {"avatar", str(learner.pk), learner.username}
    assert len(name) >= 20


def test_hiding_a_profile_moves_its_picture_to_a_new_address(
    learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _update(learner, visibility=ProfileVisibility.PUBLIC, avatar=_picture())
    public_url = learner.avatar.url
    public_path = Path(learner.avatar.path)
    with django_capture_on_commit_callbacks(execute=True):
        _update(learner, visibility=ProfileVisibility.PRIVATE)
    learner.refresh_from_db()
    assert learner.avatar.url != public_url
    assert not public_path.exists()
    assert Path(learner.avatar.path).exists()
    assert Client().get(public_url).status_code == 404
    assert _files_of(learner) == [Path(learner.avatar.path)]


def test_two_uploads_at_once_leave_only_the_winning_file(
    learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _update(learner, visibility=ProfileVisibility.PUBLIC, avatar=_picture())
    # Two requests loaded the member before either saved: each holds the same "old" picture.
    first_request = User.objects.get(pk=learner.pk)
    second_request = User.objects.get(pk=learner.pk)
    with django_capture_on_commit_callbacks(execute=True):
        _update(first_request, visibility=ProfileVisibility.PUBLIC, avatar=_picture())
    with django_capture_on_commit_callbacks(execute=True):
        _update(second_request, visibility=ProfileVisibility.PUBLIC, avatar=_picture())
    learner.refresh_from_db()
    assert _files_of(learner) == [Path(learner.avatar.path)]


def test_a_failed_save_leaves_no_new_file_behind(learner):
    with pytest.raises(Exception):  # noqa: B017 -- the country is invalid
        services.profile_update(
            user=learner,
            display_name="",
            organisation_name="",
            country="XX",
            languages=[],
            bio="",
            profile_visibility=ProfileVisibility.PUBLIC,
            avatar=_picture(),
        )
    assert _files_of(learner) == []
