"""Two people on one topic in two browser contexts, served by a real daphne: A's reply appears
on B's page without a reload; B reacts and A sees the count change; a partnership's private
topic stays invisible to an outsider (page, WebSocket and notifications)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from live_servers import MEMBER_WITH_SESSION
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
SETUP = (
    MEMBER_WITH_SESSION
    + """
from network.models import LandscapePartnership
from network.services import partnership_membership_add

alice, alice_session = member("alice", "Alice Achieng")
bruno, bruno_session = member("bruno", "Bruno Barros")
olga, olga_session = member("olga", "Olga Outsider")
partnership = LandscapePartnership.objects.create(
    name="Kijabe", slug="kijabe-e2e", country="KE", region="africa"
)
partnership_membership_add(partnership=partnership, user=alice)
public = Category.objects.create(name="Open forum", slug="open-forum")
private = Category.objects.create(name="Kijabe room", slug="kijabe-room", partnership=partnership)
topic = topic_create(author=alice, category=public, title="Seed banks", body="Who runs one?")
secret = topic_create(author=alice, category=private, title="Secret budget", body="Numbers")
print(topic.pk, secret.pk, alice_session, bruno_session, olga_session)
"""
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL", "DJANGO_ENV", "DEBUG"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings", VAR_DIR=str(tmp_path_factory.mktemp("var"))
    )
    python = sys.executable
    subprocess.run(  # noqa: S603
        [python, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    made = subprocess.run(  # noqa: S603
        [python, "manage.py", "shell", "-c", SETUP],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    topic, secret, alice, bruno, olga = made.stdout.split()[-5:]
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(python).with_name("daphne")),
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "config.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"daphne did not start: {server.stderr.read().decode()}")
            time.sleep(0.3)
    yield {
        "base": base,
        "topic": int(topic),
        "secret": int(secret),
        "sessions": {"alice": alice, "bruno": bruno, "olga": olga},
    }
    server.terminate()
    server.wait(timeout=10)


def page_for(new_page, site, who: str):
    page = new_page()
    page.context.add_cookies(
        [{"name": "sessionid", "value": site["sessions"][who], "url": site["base"]}]
    )
    return page


def test_reply_appears_live_reaction_counts_update_and_private_topic_stays_hidden(site, new_page):
    topic_url = f"{site['base']}/forums/t/{site['topic']}/"
    alice = page_for(new_page, site, "alice")
    bruno = page_for(new_page, site, "bruno")
    alice.goto(topic_url)
    bruno.goto(topic_url)
    expect(bruno.locator("#topic[data-live=connected]")).to_have_count(1)
    bruno.evaluate("window.__notReloaded = true")

    # Alice replies with the plain form; Bruno's page shows it without reloading.
    alice.get_by_label("Your reply").fill("We run one in Kijabe: 140 varieties so far.")
    alice.get_by_role("button", name="Post reply").click()
    new_post = bruno.locator(".post", has_text="140 varieties")
    expect(new_post).to_be_visible()
    assert bruno.evaluate("window.__notReloaded") is True
    expect(bruno.get_by_text("reading now")).to_be_visible()

    # Bruno reacts (a form post: his page reloads); Alice sees the count change live.
    expect(alice.locator("#topic[data-live=connected]")).to_have_count(1)
    alice.evaluate("window.__notReloaded = true")
    post_id = new_post.get_attribute("data-post")
    bruno.locator(f"#post-{post_id}").get_by_role("button", name="Thanks").click()
    expect(alice.locator(f'#post-{post_id} [data-reaction-count="thanks"]')).to_have_text("1")
    assert alice.evaluate("window.__notReloaded") is True

    # Alice mentions Olga in the private topic; Olga sees no trace of it anywhere.
    secret_url = f"{site['base']}/forums/t/{site['secret']}/"
    alice.goto(secret_url)
    alice.get_by_label("Your reply").fill("@olga should not see this")
    alice.get_by_role("button", name="Post reply").click()
    expect(alice.get_by_text("should not see this")).to_be_visible()

    olga = page_for(new_page, site, "olga")
    response = olga.goto(secret_url)
    assert response.status == 404
    olga.goto(f"{site['base']}/forums/")
    expect(olga.get_by_text("Kijabe room")).to_have_count(0)
    olga.goto(f"{site['base']}/forums/notifications/")
    expect(olga.get_by_text("Secret budget")).to_have_count(0)
    close_code = olga.evaluate(
        """(topic) => new Promise((resolve) => {
            const socket = new WebSocket(`ws://${location.host}/ws/forums/topics/${topic}/`);
            socket.onclose = (event) => resolve(event.code);
        })""",
        site["secret"],
    )
    assert close_code == 4403
