"""Every page of the demo site, in a real browser: every language link leads somewhere (never a
404), and no page scrolls sideways on a 320 px phone.

One site for the module: daphne on its own embedded database (a copy of the run's seeded demo
site, ``seeded_site``), and the demo learner signed in (their lessons, dashboard and profile
are pages too), with long unbreakable addresses where people paste them: a member's bio, an
organisation's and a partnership's website, a forum post. One Chromium, and one walk through
every page on a 320 px screen that both checks read (each page costs a quarter of a second on
a quiet machine; opening the 130 of them twice would double that).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from live_servers import seeded_site
from playwright.sync_api import expect

from devservers import Daphne, shell

LANGUAGES = ("en", "es", "fr", "pt")
#: what people paste: a shared document's address, one token of 88 characters
LONG_ADDRESS = (
    "https://docs.example.org/document/d/"
    + "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms" * 2
    + "/edit?usp=sharing"
)
PHONE = {"width": 320, "height": 640}
VNU = Path(__file__).resolve().parents[2] / ".tools" / "vnu" / "vnu.jar"
JAVA = shutil.which("java") or "/usr/bin/java"
OFF_HOST = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")

SETUP = f"""
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from wagtail.models import Page
from forums.models import Category, Topic
from forums.services import post_create
from network.models import LandscapePartnership, Organisation, User

learner = User.objects.get(username="learner")
learner.bio = "My notes: {LONG_ADDRESS}"
learner.save(update_fields=["bio"])
session = SessionStore()
session[SESSION_KEY] = str(learner.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = learner.get_session_auth_hash()
session.save()

organisation = Organisation.objects.order_by("pk").first()
Organisation.objects.filter(pk=organisation.pk).update(website="{LONG_ADDRESS}")
partnership = LandscapePartnership.objects.order_by("pk").first()
LandscapePartnership.objects.filter(pk=partnership.pk).update(website="{LONG_ADDRESS}")
topic = (
    Topic.objects.filter(category__partnership__isnull=True, hidden=False, locked=False)
    .order_by("pk")
    .first()
)
post_create(author=learner, topic=topic, body="Read {LONG_ADDRESS} first.")
english_only = next(
    page for page in Page.objects.live().filter(depth__gt=3, locale__language_code="en")
    if not page.get_translations().filter(locale__language_code="fr").exists()
)

print(json.dumps({{
    "session": session.session_key,
    "pages": [page.url for page in Page.objects.live().filter(depth__gt=1).order_by("path")],
    "views": [
        "/forums/",
        topic.category.get_absolute_url(),
        f"/forums/t/{{topic.pk}}/",
        "/forums/live/",
        "/forums/notifications/",
        "/network/",
        partnership.get_absolute_url(),
        "/network/organisations/",
        organisation.get_absolute_url(),
        "/network/members/",
        f"/network/members/{{learner.username}}/",
        "/accounts/profile/",
        "/learning/",
        "/search/",
        "/search/?q=water",
    ],
    "untranslated": f"/fr/untranslated/{{english_only.pk}}/",
}}))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    env = seeded_site(tmp_path_factory.mktemp("every-page"))
    found = json.loads(shell(env, SETUP).strip().splitlines()[-1])
    with Daphne(env) as daphne:
        yield {"base": daphne.base, **found}


def signed_in(browser, site, **options):
    context = browser.new_context(locale="en-GB", **options)
    context.set_default_timeout(15_000)
    # Nothing leaves the machine: map tiles and anything else off this host are refused.
    context.route(OFF_HOST, lambda route: route.abort())
    context.add_cookies([{"name": "sessionid", "value": site["session"], "url": site["base"]}])
    return context


def in_language(path: str, code: str) -> str:
    return path if code == "en" else f"/{code}{path}"


def html_language(html: str) -> str:
    found = re.search(r'<html lang="([a-z-]+)"', html)
    return found.group(1) if found else ""


@dataclass
class Walk:
    """What every page answered: status and language by address (pages opened, and the
    addresses their language links lead to), each page's language links, each page's width."""

    answers: dict[str, tuple[int, str]] = field(default_factory=dict)
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (page, language, href)
    widths: dict[str, int] = field(default_factory=dict)
    #: "not translated" pages whose answer said noindex (header and meta), and those that did not
    noindex: list[str] = field(default_factory=list)
    indexed: list[str] = field(default_factory=list)
    #: the HTML each page answered, as sent (before any script ran), for the HTML checker
    html: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="module")
def walk(browser, site) -> Walk:
    return walk_every_page(browser, site)


def walk_every_page(browser, site) -> Walk:
    """Every live page of the demo (each translation) and each Django-served page in each
    language, opened on a 320 px phone with scripts on; then every language link that leads
    to an address not opened yet, fetched with the same cookies (following redirects)."""
    context = signed_in(browser, site, viewport=PHONE)
    page = context.new_page()
    result = Walk()
    addresses = site["pages"] + [
        in_language(view, code) for view in site["views"] for code in LANGUAGES
    ]
    try:
        for address in addresses:
            response = page.goto(site["base"] + address, wait_until="load")
            result.answers[address] = (response.status, html_language(page.content()))
            result.html[address] = response.text()
            result.widths[address] = page.evaluate("document.documentElement.scrollWidth")
            switcher = page.locator(".language-switcher a").evaluate_all(
                "links => links.map(link => [link.hreflang, link.getAttribute('href')])"
            )
            assert [code for code, _href in switcher] == list(LANGUAGES), address
            result.links += [(address, code, href) for code, href in switcher]
        for _address, _code, href in result.links:
            if href in result.answers:
                continue
            answer = context.request.get(site["base"] + href)
            html = answer.text()
            result.answers[href] = (answer.status, html_language(html))
            if "/untranslated/" in href:
                said_noindex = (
                    '<meta name="robots" content="noindex">' in html
                    and answer.headers.get("x-robots-tag") == "noindex"
                )
                (result.noindex if said_noindex else result.indexed).append(href)
    finally:
        context.close()
    return result


def test_every_language_link_of_every_page_leads_to_a_page_in_that_language(walk):
    """No 404, ever: every page opened answers 200, and every link of its language switcher
    answers 200 with a page in the language it names. A page not translated into that
    language links to the page saying so, which search engines are told not to index."""
    failures = [
        f"{address} answered {status}"
        for address, (status, _language) in walk.answers.items()
        if status != 200
    ]
    failures += [
        f"{address}: the {code} link {href} leads to a page in {walk.answers[href][1] or '?'}"
        for address, code, href in walk.links
        if walk.answers[href][0] == 200 and walk.answers[href][1] != code
    ]
    assert failures == [], "\n".join(failures)
    assert walk.indexed == []
    # The demo has pages in one language only: their links lead to the "not translated" page.
    assert len(walk.noindex) > 20
    assert len(walk.links) > 500


def test_a_reader_of_an_untranslated_page_reads_the_original_or_goes_on_in_their_language(
    browser, site
):
    context = signed_in(browser, site, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(site["base"] + "/case-studies/riparian-buffers-mount-kenya/")
        page.get_by_role("navigation", name="Language").get_by_role("link", name="Français").click()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        original = page.locator("main a[hreflang=en]").first
        expect(original).to_have_attribute("lang", "en")
        expect(page.locator("main").get_by_role("link", name="Études de cas")).to_be_visible()
        original.click()
        expect(page).to_have_url(re.compile(r"/case-studies/riparian-buffers-mount-kenya/$"))
        expect(page.locator("html")).to_have_attribute("lang", "en")
    finally:
        context.close()


def test_every_page_is_valid_html(walk, tmp_path):
    """The Nu HTML checker (npm's ``vnu-jar``, installed by ``make vnu``) finds no error in
    any page the walk opened: every page type, in each language, as the server sent it. One
    Java process checks them all."""
    if not VNU.exists():
        pytest.fail(f"The HTML checker is missing at {VNU}: run `make vnu`.")
    files = {}
    for number, (address, html) in enumerate(sorted(walk.html.items())):
        file = tmp_path / f"page-{number:04}.html"
        file.write_text(html, encoding="utf-8")
        files[file.name] = address
    done = subprocess.run(  # noqa: S603 -- our own files, the vendored checker
        [JAVA, "-Xss8m", "-jar", str(VNU), "--format", "json", "--errors-only", "--exit-zero-always",
         *(str(tmp_path / name) for name in files)],
        capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    errors = [
        f"{files.get(Path(message.get('url', '')).name, message.get('url'))}:"
        f"{message.get('lastLine')}: "
        f"{message['message']} [{message.get('extract', '').strip()[:120]}]"
        for message in json.loads(done.stderr or '{"messages": []}')["messages"]
        if message.get("type") == "error"
    ]
    assert errors == [], f"{len(errors)} HTML errors:\n" + "\n".join(errors[:60])
    assert len(files) > 100


def test_no_page_scrolls_sideways_on_a_320_pixel_phone(browser, site, walk):
    """Every page of the walk (every page type, each language, long addresses included), and
    the pages only a visitor who is signed out sees."""
    anonymous = browser.new_context(locale="en-GB", viewport=PHONE)
    anonymous.route(OFF_HOST, lambda route: route.abort())
    widths = dict(walk.widths)
    try:
        visitor = anonymous.new_page()
        for address in (
            "/",
            "/accounts/login/",
            "/accounts/signup/",
            "/search/?q=agua",
            site["untranslated"],
        ):
            visitor.goto(site["base"] + address)
            widths[f"{address} (signed out)"] = visitor.evaluate(
                "document.documentElement.scrollWidth"
            )
    finally:
        anonymous.close()
    too_wide = [f"{address}: {width} px" for address, width in widths.items() if width > 320]
    assert too_wide == [], "pages wider than the phone:\n" + "\n".join(too_wide)
    assert len(widths) > 100


def test_the_menu_is_one_button_on_a_phone_and_open_on_a_wide_screen_without_javascript(
    browser, site
):
    phone = browser.new_context(locale="en-GB", viewport=PHONE, java_script_enabled=False)
    wide = browser.new_context(
        locale="en-GB", viewport={"width": 1280, "height": 800}, java_script_enabled=False
    )
    try:
        page = phone.new_page()
        page.goto(site["base"] + "/")
        forums = page.get_by_role("navigation", name="Main").get_by_role("link", name="Forums")
        expect(forums).to_be_hidden()
        page.locator(".menu > summary").click()
        expect(forums).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        page = wide.new_page()
        page.goto(site["base"] + "/")
        forums = page.get_by_role("navigation", name="Main").get_by_role("link", name="Forums")
        expect(forums).to_be_visible()
        expect(page.locator(".menu > summary")).to_be_hidden()
    finally:
        phone.close()
        wide.close()
