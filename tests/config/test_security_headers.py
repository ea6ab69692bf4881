"""Headers and sessions: the Content-Security-Policy, templates with no inline script, login
throttling, password rules and email verification before posting.

Production-only settings (HSTS, secure cookies) are read in a fresh interpreter in
``test_settings.py``; CSRF on every form is proven by the permission matrix's crawl.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forums.models import Category, Post, Topic
from network.models import User
from network.roles import Role
from tests.config.conftest import png_bytes
from tests.conftest import TEST_PASSWORD
from tests.hostile import assert_inert

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "site" / "templates", *ROOT.glob("*/templates")]

pytestmark = pytest.mark.django_db


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


# --- Content-Security-Policy --------------------------------------------------------------------


def test_site_policy_allows_only_our_own_scripts():
    policy = directives(settings.CONTENT_SECURITY_POLICY)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert "https://tile.openstreetmap.org" in policy["img-src"]


@pytest.mark.parametrize(
    "path", ["/", "/forums/", "/search/?q=terraces", "/accounts/login/", "/no-such-page/"]
)
def test_every_site_response_carries_the_site_policy(client, library_tree, path):
    response = client.get(path)
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_admin_gets_its_own_policy_and_the_site_keeps_the_strict_one(client, make_user):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    admin = client.get("/admin/")
    assert admin.status_code == 200
    assert admin["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY_ADMIN
    assert client.get("/django-admin/")["Content-Security-Policy"] == (
        settings.CONTENT_SECURITY_POLICY_ADMIN
    )
    assert "'unsafe-inline'" not in directives(settings.CONTENT_SECURITY_POLICY)["script-src"]


def test_only_the_previews_wagtail_frames_may_be_framed_and_only_by_us(
    client, library_tree, make_user
):
    """The page editor shows its live preview in a frame of the admin: that response (Wagtail
    marks it ``X-Frame-Options: SAMEORIGIN``) allows ``frame-ancestors 'self'``; the rest of
    the admin and every public page allow no frame at all."""
    client.force_login(make_user(is_staff=True, is_superuser=True))
    home = library_tree["home"]
    preview = client.get(reverse("wagtailadmin_pages:preview_on_edit", args=[home.pk]))
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert directives(preview["Content-Security-Policy"])["frame-ancestors"] == ["'self'"]
    assert (
        directives(preview["Content-Security-Policy"])["script-src"]
        == directives(settings.CONTENT_SECURITY_POLICY_ADMIN)["script-src"]
    )
    for path in ("/admin/", reverse("wagtailadmin_pages:edit", args=[home.pk])):
        response = client.get(path)
        assert response.status_code == 200
        assert directives(response["Content-Security-Policy"])["frame-ancestors"] == ["'none'"]
    public = client.get(home.url)
    assert directives(public["Content-Security-Policy"])["frame-ancestors"] == ["'none'"]


def test_a_framed_policy_replaces_only_frame_ancestors():
    from config.csp import framed_by_self

    assert framed_by_self("default-src 'self'; frame-ancestors 'none'") == (
        "default-src 'self'; frame-ancestors 'self'"
    )
    assert framed_by_self("default-src 'none'") == "default-src 'none'; frame-ancestors 'self'"


def test_a_view_with_its_own_policy_keeps_it(client, make_user):
    """Attachments are sandboxed: a picture opened on its own can run nothing."""
    from forums import services

    author = make_user()
    category = Category.objects.create(name="Practice", slug="practice")
    topic = services.topic_create(
        author=author,
        category=category,
        title="Pictures",
        body="See attached.",
        attachments=[SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")],
    )
    attachment = topic.posts.get().attachments.get()
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_policies_can_be_replaced_from_the_environment(settings, client):
    settings.CONTENT_SECURITY_POLICY = "default-src 'none'"
    assert client.get("/healthz")["Content-Security-Policy"] == "default-src 'none'"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def test_templates_have_no_inline_script_or_event_handler():
    """The site's CSP would block them; data reaches scripts through json_script and data-."""
    templates = [path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html")]
    assert len(templates) > 50
    offenders = []
    for path in templates:
        text = path.read_text("utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JAVASCRIPT_URL):
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert offenders == []


def test_json_ld_cannot_be_closed_early_by_a_title(client, make_case_study):
    page = make_case_study(
        title="</script><script>alert(1)</script>",
        summary="<!--<script>alert(2)</script>",
    )
    html = client.get(page.url).content.decode()
    assert '<script type="application/ld+json">' in html
    assert "\\u003C/script\\u003E" in html
    assert_inert(html, "case study")


# --- Sign-in throttling, passwords ------------------------------------------------------------


def test_failed_logins_lock_the_account_out_with_a_clear_message(client, make_user):
    member = make_user()
    for _ in range(5):
        wrong = client.post(
            reverse("account_login"), {"login": member.email, "password": "not-the-password"}
        )
        assert wrong.status_code == 200
        assert "Too many failed login attempts" not in wrong.content.decode()
    locked = client.post(
        reverse("account_login"), {"login": member.email, "password": "not-the-password"}
    )
    assert "Too many failed login attempts. Try again later." in locked.content.decode()
    # Even the right password waits until the lock-out ends.
    right = client.post(
        reverse("account_login"), {"login": member.email, "password": TEST_PASSWORD}
    )
    assert right.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1!", "too short"),
        ("password1234", "too common"),
        ("4815162342108", "entirely numeric"),
        ("newcomer-example", "too similar"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(client, password, message):
    response = client.post(
        reverse("account_signup"),
        {"email": "newcomer@example.org", "password1": password, "password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="newcomer@example.org").exists()


def test_a_strong_password_signs_up_and_asks_to_confirm_the_email(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "newcomer@example.org",
            "display_name": "Newcomer N.",
            "password1": "terraces-hold-the-rain-77",
            "password2": "terraces-hold-the-rain-77",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not EmailAddress.objects.get(email="newcomer@example.org").verified


# --- Email verification before posting --------------------------------------------------------


def test_an_unverified_member_cannot_post_and_nothing_is_saved(client, make_user):
    from datetime import timedelta

    from django.utils import timezone

    from forums import services
    from forums.dialogues import services as dialogue_services

    category = Category.objects.create(name="Practice", slug="practice")
    topic = services.topic_create(
        author=make_user(), category=category, title="Open topic", body="Hello."
    )
    host = make_user(Role.TRAINER)
    now = timezone.now()
    session = dialogue_services.dialogue_create(
        host=host, title="Open hour", starts_at=now, ends_at=now + timedelta(hours=1)
    )
    dialogue_services.dialogue_start(host=host, session=session)
    unverified = make_user(verified=False)
    client.force_login(unverified)
    topics_before, posts_before = Topic.objects.count(), Post.objects.count()
    expected = "Confirm your email address before you post."

    created = client.post(
        reverse("forums:topic_create", args=[category.slug]),
        {"title": "My first topic", "body": "Words I must not lose."},
    )
    assert created.status_code == 200
    assert expected in created.content.decode()
    assert "Words I must not lose." in created.content.decode()  # the text is kept in the form

    reply = client.post(reverse("forums:topic_reply", args=[topic.pk]), {"body": "A reply."})
    assert reply.status_code == 403
    assert expected in reply.content.decode()

    chat = client.post(reverse("forums:dialogue_chat", args=[session.pk]), {"body": "Hi"})
    assert chat.status_code == 403
    assert expected in chat.content.decode()

    assert (Topic.objects.count(), Post.objects.count()) == (topics_before, posts_before)
    assert not session.messages.exists()


def test_debug_error_pages_are_left_alone_but_production_ones_get_the_policy(settings, client):
    settings.DEBUG = True
    assert "Content-Security-Policy" not in client.get("/no-such-page/")
    settings.DEBUG = False
    assert client.get("/no-such-page/")["Content-Security-Policy"] == (
        settings.CONTENT_SECURITY_POLICY
    )
