"""Who may download a course package: the course's trainers and superusers, from the course
page, the Wagtail admin or ``manage.py export_course``; everyone else is refused."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from courses import services
from courses.exports import ExportFormat, export_course
from courses.wagtail_hooks import course_trainer_buttons
from network.roles import Role

pytestmark = pytest.mark.django_db


def _url(course, export_format) -> str:
    return reverse("courses:export", args=[course.pk, export_format])


def _exported(course, export_format: ExportFormat) -> bytes:
    buffer = io.BytesIO()
    export_course(course=course, export_format=export_format, target=buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("export_format", list(ExportFormat))
def test_a_trainer_downloads_the_course_in_either_format(
    client, rich_course, trainer, export_format
):
    client.force_login(trainer)
    response = client.get(_url(rich_course.course, export_format.value))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    extension = "zip" if export_format is ExportFormat.SCORM12 else "imscc"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{rich_course.course.slug}-en-{export_format.value}.{extension}"'
    )
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert body == _exported(rich_course.course, export_format)
    assert "imsmanifest.xml" in zipfile.ZipFile(io.BytesIO(body)).namelist()


def test_a_superuser_may_export_any_course(client, rich_course, make_user):
    admin = make_user(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(_url(rich_course.course, "cc13")).status_code == 200


@pytest.mark.parametrize("who", ["learner", "other_trainer", "editor"])
def test_anyone_but_the_courses_trainers_is_refused(client, rich_course, make_user, who):
    user = {
        "learner": lambda: make_user(),
        "other_trainer": lambda: make_user(Role.TRAINER),
        "editor": lambda: make_user(is_staff=True),
    }[who]()
    if who == "learner":
        services.enrolment_create(user=user, course=rich_course.course)
    client.force_login(user)
    for export_format in ExportFormat:
        response = client.get(_url(rich_course.course, export_format.value))
        assert response.status_code == 403
        assert b"SECRET-RIGHT" not in response.content


def test_anonymous_visitors_are_asked_to_sign_in_and_get_no_package(client, rich_course):
    for export_format in ExportFormat:
        response = client.get(_url(rich_course.course, export_format.value))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_an_unknown_format_or_course_is_not_found(client, rich_course, trainer):
    client.force_login(trainer)
    assert client.get(_url(rich_course.course, "scorm2004")).status_code == 404
    missing = reverse("courses:export", args=[rich_course.course.pk + 10_000, "scorm12"])
    assert client.get(missing).status_code == 404
    assert client.post(_url(rich_course.course, "scorm12")).status_code == 405


def test_the_course_page_offers_the_exports_to_its_trainers_only(
    client, rich_course, trainer, make_user
):
    page_url = rich_course.course.url
    links = [_url(rich_course.course, value) for value in ("scorm12", "cc13")]
    client.force_login(trainer)
    body = client.get(page_url).content.decode()
    assert all(link in body for link in links)
    learner = make_user()
    services.enrolment_create(user=learner, course=rich_course.course)
    client.force_login(learner)
    body = client.get(page_url).content.decode()
    assert not any(link in body for link in links)
    client.logout()
    assert not any(link in client.get(page_url).content.decode() for link in links)


def test_the_wagtail_admin_offers_the_exports_on_the_course_page_to_its_trainers(
    client, rich_course, trainer, make_user
):
    links = {_url(rich_course.course, value) for value in ("scorm12", "cc13")}
    client.force_login(trainer)
    explorer = client.get(f"/admin/pages/{rich_course.course.pk}/")
    assert explorer.status_code == 200
    body = explorer.content.decode()
    assert all(link in body for link in links)
    other = make_user(Role.TRAINER)
    assert [button.url for button in course_trainer_buttons(rich_course.course, trainer)] == [
        reverse("courses:report", args=[rich_course.course.pk]),
        _url(rich_course.course, "scorm12"),
        _url(rich_course.course, "cc13"),
    ]
    assert list(course_trainer_buttons(rich_course.course, other)) == []
    assert list(course_trainer_buttons(rich_course.lessons[0], trainer)) == []


@pytest.mark.parametrize("export_format", list(ExportFormat))
def test_the_management_command_writes_the_zip_the_trainer_downloads(
    client, rich_course, trainer, tmp_path, export_format
):
    client.force_login(trainer)
    response = client.get(_url(rich_course.course, export_format.value))
    downloaded = b"".join(response.streaming_content)
    by_id, by_slug = tmp_path / "by-id.zip", tmp_path / "by-slug.zip"
    out = io.StringIO()
    call_command(
        "export_course",
        str(rich_course.course.pk),
        "--format",
        export_format.value,
        "-o",
        str(by_id),
        stdout=out,
    )
    call_command(
        "export_course",
        rich_course.course.slug,
        f"--format={export_format.value}",
        f"--output={by_slug}",
        stdout=out,
    )
    assert by_id.read_bytes() == downloaded == by_slug.read_bytes()
    assert "Wrote" in out.getvalue()


def test_the_management_command_refuses_a_course_it_cannot_find(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No live course"):
        call_command(
            "export_course", "no-such-course", "--format", "cc13", "-o", str(tmp_path / "x")
        )
    assert not (tmp_path / "x").exists()
