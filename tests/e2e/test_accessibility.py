"""axe-core, run in headless Chromium on the pages people use most, signed out and signed in,
on a desktop and on a small phone, in English and Spanish, and with a form error showing:
no page may have a serious or critical WCAG 2.1 A/AA violation.

axe-core is the npm package's ``axe.min.js``, vendored under ``tests/data/axe-core/`` so the
test runs offline and never loads a script from a CDN. All violations found are collected
first and reported together, page by page, so one run shows everything there is to fix.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect
from wagtail.models import Locale

from courses.models import CoursePage
from courses.services import enrolment_create
from forums.models import Topic
from network.models import User

pytestmark = pytest.mark.django_db(transaction=True)

AXE_SCRIPT = Path(__file__).resolve().parents[1] / "data" / "axe-core" / "axe.min.js"
#: the WCAG 2.0 and 2.1 level A and AA rules (axe's best-practice rules are not requirements)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 360, "height": 740},
}
OFF_HOST = re.compile(r"^(?!https?://(localhost|127\.0\.0\.1)[:/])")
COURSE = "/courses/landscape-finance-basics/"
QUIZ_LESSON = f"{COURSE}sources-of-money/grants-loans-and-equity/"


def run_axe(page) -> list[dict]:
    """Inject the vendored axe-core into the loaded page and return its WCAG violations."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        }).then(results => results.violations)""",
        WCAG_TAGS,
    )


#: links to a page in another language whose text is not marked as that language (axe cannot
#: know which words are Spanish; WCAG 3.1.2, language of parts, still asks for it)
UNMARKED_FOREIGN_LINKS = """() => {
    const pageLang = document.documentElement.lang;
    return [...document.querySelectorAll("main a[hreflang]")]
        .filter(link => link.hreflang !== pageLang && link.closest("[lang]").lang !== link.hreflang)
        .map(link => `${link.outerHTML.slice(0, 200)} (page lang=${pageLang})`);
}"""


def describe(label: str, violations: list[dict]) -> str:
    """One readable block per page: rule, impact, help link, and each failing element."""
    lines = [f"== {label}"]
    for violation in violations:
        lines.append(
            f"  [{violation['impact']}] {violation['id']}: {violation['help']}"
            f" ({violation['helpUrl']})"
        )
        for node in violation["nodes"][:8]:
            lines.append(f"      at {' '.join(map(str, node['target']))}")
            lines.append(f"         {node['html'][:200]}")
            summary = node.get("failureSummary", "").replace("\n", "\n         ")
            lines.append(f"         {summary}")
        if len(violation["nodes"]) > 8:
            lines.append(f"      ... and {len(violation['nodes']) - 8} more elements")
    return "\n".join(lines)


class Audit:
    """Visits pages and keeps what axe found on each, so the test reports all pages at once."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.blocking: list[str] = []
        self.other: list[str] = []
        self.pages = 0

    def check(self, page, label: str) -> None:
        violations = run_axe(page)
        self.pages += 1
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        other = [v for v in violations if v["impact"] not in BLOCKING_IMPACTS]
        if blocking:
            self.blocking.append(describe(label, blocking))
        unmarked = page.evaluate(UNMARKED_FOREIGN_LINKS)
        if unmarked:
            self.blocking.append(
                f"== {label}\n  [language of parts] text in another language without lang:\n"
                + "\n".join(f"      {html}" for html in unmarked)
            )
        if other:
            self.other.append(describe(label, other))

    def visit(self, page, path: str, label: str | None = None) -> None:
        response = page.goto(f"{self.base_url}{path}")
        assert response is not None
        assert response.ok, f"{path} answered {response.status}"
        self.check(page, label or path)


def check_keyboard_entry(page) -> None:
    """The first Tab shows the skip link with a visible focus outline, and following it puts
    the keyboard in the main content (axe does not press keys)."""
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    outline = skip.evaluate("link => getComputedStyle(link).outlineStyle")
    assert outline != "none", "the focused skip link has no visible outline"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def signed_in_cookie(user: User, base_url: str) -> dict:
    """A session for ``user`` made by Django's test client, handed to the browser as a cookie
    (signing in through the form is covered by the journeys; here it would only cost time)."""
    client = Client()
    client.force_login(user)
    session_id = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": session_id, "url": base_url}


@pytest.fixture
def demo_content(committed_demo):
    learner = User.objects.get(username="learner")
    # The demo course is translated: its English page (each translation keeps the slug).
    course = CoursePage.objects.live().get(
        locale=Locale.get_default(), url_path__endswith="/courses/landscape-finance-basics/"
    )
    enrolment_create(user=learner, course=course)
    topic = (
        Topic.objects.filter(category__partnership__isnull=True, locked=False)
        .order_by("-post_count", "pk")
        .first()
    )
    assert topic is not None and topic.post_count > 1, "the demo forum needs a topic with replies"
    return {"learner": learner, "topic": topic}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_key_pages_have_no_serious_or_critical_accessibility_violations(
    live_server, browser, demo_content, viewport
):
    started = time.monotonic()
    audit = Audit(live_server.url)
    # bypass_csp: axe is injected as an inline script, which the site's CSP rightly refuses.
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="en-GB", bypass_csp=True)
    context.set_default_timeout(15_000)
    # Nothing leaves the machine: map tiles and anything else off this host are refused.
    context.route(OFF_HOST, lambda route: route.abort())
    try:
        visitor = context.new_page()
        audit.visit(visitor, "/", "home")
        check_keyboard_entry(visitor)
        audit.visit(visitor, "/es/", "home (Spanish)")
        audit.visit(visitor, COURSE, "course page")
        audit.visit(
            visitor, "/es/courses/starting-a-landscape-partnership/", "course page (Spanish)"
        )
        audit.visit(visitor, "/case-studies/riparian-buffers-mount-kenya/", "case study")
        audit.visit(visitor, "/search/?q=water&region=africa", "search results with a facet")
        expect(visitor.locator(".result__snippet mark").first).to_be_visible()
        audit.visit(visitor, "/search/?q=agua", "search results in several languages")
        expect(visitor.locator(".result a[hreflang=es]").first).to_be_visible()
        audit.visit(visitor, "/case-studies/", "case study index with a map")
        audit.visit(visitor, "/events/archive/", "archive of events and dialogues")
        audit.visit(visitor, "/accounts/signup/", "sign-up form")

        # The error state: a malformed address and mismatched passwords.
        visitor.get_by_label("Email", exact=False).first.fill("not-an-address")
        visitor.locator("input[name=password1]").fill("short")
        visitor.locator("input[name=password2]").fill("different")
        signup = visitor.locator("main form")
        signup.evaluate("form => form.setAttribute('novalidate', '')")  # let the server judge
        signup.get_by_role("button", name="Sign Up").click()
        expect(visitor.locator("input[name=email]")).to_have_attribute("aria-invalid", "true")
        audit.check(visitor, "sign-up form with errors")
        audit.visit(visitor, "/es/accounts/signup/", "sign-up form (Spanish)")
        audit.visit(visitor, "/accounts/login/", "log-in form")
        visitor.get_by_label("Email").fill("learner@example.org")
        visitor.get_by_label("Password", exact=False).first.fill("not-the-password")
        visitor.locator("main form button[type=submit]").last.click()
        expect(visitor.locator(".errorlist, [role=alert]").first).to_be_visible()
        audit.check(visitor, "log-in form with an error")

        context.add_cookies([signed_in_cookie(demo_content["learner"], live_server.url)])
        learner = context.new_page()
        audit.visit(learner, f"/forums/t/{demo_content['topic'].pk}/", "forum topic, signed in")
        expect(learner.locator("main form textarea").last).to_be_visible()
        reply = learner.locator("form#reply")
        reply.evaluate("form => form.setAttribute('novalidate', '')")
        reply.get_by_role("button", name="Post reply").click()
        # The form comes back on its own page with the error tied to the field.
        expect(learner.locator("main textarea[aria-invalid=true]")).to_be_visible()
        expect(learner.locator("main .errorlist")).to_be_visible()
        audit.check(learner, "forum topic with an error message")

        audit.visit(learner, QUIZ_LESSON, "lesson with a quiz, enrolled learner")
        expect(learner.get_by_role("button", name="Submit answers")).to_be_visible()
        learner.get_by_label("A grant").check()
        learner.get_by_role("button", name="Submit answers").click()
        expect(learner.get_by_role("heading", name="Not passed yet")).to_be_visible()
        audit.check(learner, "quiz result, not passed")
        audit.visit(learner, "/learning/", "learner's dashboard")
    finally:
        context.close()

    report = "\n\n".join(audit.blocking)
    if audit.other:
        print(
            f"Moderate and minor findings ({viewport}, not failing the test):\n\n"
            + "\n\n".join(audit.other)
        )
    print(f"axe checked {audit.pages} pages ({viewport}) in {time.monotonic() - started:.1f}s")
    if audit.blocking:
        pytest.fail(
            f"Accessibility violations, serious or critical ({viewport} viewport):\n\n{report}",
            pytrace=False,
        )


def test_axe_reports_a_violation_on_a_broken_page(browser):
    """The checker itself works: a page with an unlabelled field and an image without text
    fails, so a green run above means something."""
    context = browser.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        page.set_content(
            '<html lang="en"><head><title>Broken</title></head><body><main>'
            '<input type="text"><img src="x.png"></main></body></html>'
        )
        found = {violation["id"] for violation in run_axe(page)}
    finally:
        context.close()
    assert {"label", "image-alt"} <= found, json.dumps(sorted(found))
