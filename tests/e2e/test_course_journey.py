"""A learner's course, end to end on a phone-sized screen: enrol, read, fail then pass a quiz,
finish the course, open the certificate and its public verification page; then the trainer
finds the learner in the course report and downloads the CSV."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect
from wagtail.models import Collection, Locale, Page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _wagtail_base_data(db):
    """Put back the rows Wagtail's migrations create (root page, root collection), which the
    flush after an earlier browser test removes. (Serialized rollback would restore them, but
    the serialized copy is lost once async tests have run in the session.)"""
    if not Page.objects.filter(depth=1).exists():
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        Page.add_root(instance=Page(title="Root", slug="root"))
    if not Collection.objects.exists():
        Collection.add_root(name="Root")


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.get_by_label("Password:", exact=True).fill(f"{username}-demo-2026")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()


@pytest.mark.usefixtures("committed_demo")
def test_learner_completes_a_course_and_the_trainer_sees_it_in_the_report(live_server, new_page):
    phone = new_page()
    log_in(phone, live_server.url, "learner")

    # Enrol from the catalogue.
    phone.goto(f"{live_server.url}/courses/")
    phone.get_by_role("link", name="Landscape finance basics").click()
    phone.get_by_role("button", name="Enrol in this course").click()
    expect(phone.get_by_text("You are enrolled.")).to_be_visible()
    phone.get_by_role("link", name="Start the first lesson").click()
    expect(phone.get_by_role("heading", name="Grants, loans and equity")).to_be_visible()

    # Fail the quiz, then pass it.
    phone.get_by_label("A grant").check()
    phone.get_by_role("button", name="Submit answers").click()
    expect(phone.get_by_role("heading", name="Not passed yet")).to_be_visible()
    expect(phone.get_by_text("Loans are repaid with interest")).to_be_visible()
    phone.get_by_role("link", name="Try again").click()
    phone.get_by_label("A loan").check()
    phone.get_by_role("button", name="Submit answers").click()
    expect(phone.get_by_role("heading", name="Quiz passed")).to_be_visible()

    # A reading lesson, marked complete, leads on to the last one.
    phone.get_by_role("link", name="Next lesson").click()
    expect(phone.get_by_role("heading", name="Blended finance")).to_be_visible()
    phone.get_by_role("button", name="Mark this lesson complete").click()
    expect(phone.get_by_role("heading", name="An investable proposal")).to_be_visible()
    phone.get_by_label("True", exact=True).check()
    phone.get_by_label("Your answer").fill("First loss")
    phone.get_by_role("button", name="Submit answers").click()
    expect(phone.get_by_role("heading", name="Quiz passed")).to_be_visible()

    # The certificate, and its public verification page seen by a stranger.
    phone.get_by_role("link", name="View your certificate").click()
    expect(phone.get_by_role("heading", name="Certificate of completion")).to_be_visible()
    expect(phone.locator("#main").get_by_text("Amina Learner")).to_be_visible()
    certificate_url = phone.url
    assert re.search(r"/certificates/[\w-]{20,}/$", certificate_url)
    stranger = new_page()
    stranger.goto(certificate_url)
    expect(stranger.get_by_text("Landscape finance basics")).to_be_visible()
    expect(stranger.get_by_text("Status: valid")).to_be_visible()
    phone.goto(f"{live_server.url}/learning/")
    expect(phone.get_by_role("link", name="Landscape finance basics").first).to_be_visible()

    # The trainer finds the learner in the report and downloads the CSV.
    laptop = new_page()
    log_in(laptop, live_server.url, "trainer")
    laptop.goto(f"{live_server.url}/courses/landscape-finance-basics/")
    laptop.get_by_role("link", name="Course report").click()
    row = laptop.get_by_role("row").filter(has_text="Amina Learner")
    expect(row).to_contain_text("100%")
    with laptop.expect_download() as download_info:
        laptop.get_by_role("link", name="Download CSV").click()
    csv_text = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert "Amina Learner" in csv_text
    assert ",3,3,100," in csv_text
