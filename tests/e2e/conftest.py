"""Headless Chromium (Debian's package) driven by Playwright against a live test server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent.name == "e2e":
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module, so Playwright's event loop never outlives the e2e tests."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM}: apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread; the test still talks to the
    # database between browser steps, which Django would otherwise refuse inside a running loop.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _migrated_rows(migrated_rows):
    """Browser tests are transactional: every one starts with the rows migrations create."""


@pytest.fixture
def new_page(browser):
    """Each call opens a page in a fresh browser context: a separate device, no shared cookies.

    Every journey doubles as a check of the Content-Security-Policy: anything the policy blocked
    (Chromium reports it on the console) fails the test."""
    contexts = []
    blocked: list[str] = []

    def record_csp_violation(message) -> None:
        if "Content Security Policy" in message.text:
            blocked.append(message.text)

    def factory():
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", record_csp_violation)
        return page

    yield factory
    for context in contexts:
        context.close()
    assert blocked == [], f"the Content-Security-Policy blocked: {blocked}"
