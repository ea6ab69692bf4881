"""A newcomer's first visit, on a phone-sized screen: sign up, confirm the email, log in, fill
in the profile, switch to Spanish, log out."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from network.models import User

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Watershed-Restoration-2026"


@pytest.mark.usefixtures("committed_demo")
def test_newcomer_signs_up_confirms_logs_in_edits_profile_switches_language_and_logs_out(
    live_server, new_page
):
    # Sign up on one device.
    phone = new_page()
    phone.goto(f"{live_server.url}/")
    # On a phone the header's links sit behind the menu button (a <details>, no script).
    expect(phone.get_by_role("link", name="Sign up")).to_be_hidden()
    phone.locator(".menu > summary").click()
    phone.get_by_role("link", name="Sign up").click()
    phone.get_by_label("Email").fill("nadia@example.org")
    phone.get_by_label("Display name").fill("Nadia R.")
    phone.get_by_label("Password:", exact=True).fill(PASSWORD)
    phone.get_by_label("Password (again):", exact=True).fill(PASSWORD)
    phone.get_by_role("button", name="Sign Up").click()
    expect(phone.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    assert not User.objects.get(email="nadia@example.org").emailaddress_set.get().verified

    # Open the confirmation link from the email, as if on another device.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[0].body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    laptop = new_page()
    laptop.goto(f"{live_server.url}{path}")
    laptop.get_by_role("button", name="Confirm").click()
    assert User.objects.get(email="nadia@example.org").emailaddress_set.get().verified

    # Log in.
    laptop.goto(f"{live_server.url}/accounts/login/")
    laptop.get_by_label("Email").fill("nadia@example.org")
    laptop.get_by_label("Password:", exact=True).fill(PASSWORD)
    laptop.get_by_role("button", name="Sign In").click()
    expect(laptop.get_by_role("heading", name="Your profile")).to_be_visible()

    # Edit the profile.
    laptop.get_by_label("Display name").fill("Nadia Rakoto")
    laptop.get_by_label("Organisation").fill("Menabe Landscape Partnership")
    laptop.get_by_label("Country").select_option("MG")
    laptop.get_by_label("Languages you speak").select_option(["en", "fr"])
    laptop.get_by_label("Short bio").fill("Mangrove restoration with fishing villages.")
    laptop.get_by_label("Anyone").check()
    laptop.get_by_role("button", name="Save profile").click()
    expect(laptop.get_by_text("Your profile has been saved.")).to_be_visible()
    nadia = User.objects.get(email="nadia@example.org")
    assert nadia.display_name == "Nadia Rakoto"
    assert nadia.country.code == "MG"
    assert nadia.languages == ["en", "fr"]
    laptop.locator(".menu > summary").click()
    expect(laptop.get_by_role("link", name="Nadia Rakoto")).to_be_visible()

    # Switch language: the same page comes back in Spanish, under /es/.
    laptop.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()
    expect(laptop).to_have_url(re.compile(r"/es/accounts/profile/$"))
    expect(laptop.get_by_role("heading", name="Su perfil")).to_be_visible()
    expect(laptop.locator("html")).to_have_attribute("lang", "es")

    # Log out.
    laptop.locator(".menu > summary").click()
    laptop.get_by_role("button", name="Cerrar sesión").click()
    laptop.locator(".menu > summary").click()
    expect(laptop.get_by_role("link", name="Iniciar sesión")).to_be_visible()
    laptop.goto(f"{live_server.url}/accounts/profile/")
    expect(laptop).to_have_url(re.compile(r"/accounts/login/"))
