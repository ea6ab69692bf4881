"""Redis dies under a running site (daphne with Redis as channel layer, cache and session cache):
pages still render for visitors and members, a reply still saves (form post, 302, in the
database), the failed broadcast is logged, /healthz says what is down; Redis comes back on the
same port and everything recovers. Redis here is a throwaway ``redis-server`` of the test,
never the machine's shared one, so this runs in both CI legs."""

from __future__ import annotations

import json
import time

import pytest
from live_servers import SETUP_MEMBER_AND_TOPIC, Browserless, migrated_site

from devservers import Daphne, RedisServer, shell


@pytest.fixture(scope="module")
def site_on_redis(tmp_path_factory):
    redis = RedisServer()
    redis.start()
    daphne = None
    try:
        env = migrated_site(tmp_path_factory.mktemp("redis-down"), REDIS_URL=redis.url)
        topic_id, session_key = shell(env, SETUP_MEMBER_AND_TOPIC).split()[-2:]
        daphne = Daphne(env)
        daphne.start()
        yield {
            "redis": redis,
            "daphne": daphne,
            "env": env,
            "topic": int(topic_id),
            "session": session_key,
        }
    finally:
        if daphne is not None:
            daphne.stop()
        redis.kill()


def health(base: str) -> tuple[int, dict]:
    status, body, _headers = Browserless(base).request("/healthz")
    return status, json.loads(body)


def test_site_keeps_working_while_redis_is_down(site_on_redis):
    redis, daphne = site_on_redis["redis"], site_on_redis["daphne"]
    topic = site_on_redis["topic"]
    topic_url = f"/forums/t/{topic}/"
    assert health(daphne.base)[0] == 200

    redis.kill()

    visitor = Browserless(daphne.base)
    for path in ("/", "/forums/", topic_url, "/search/?q=staying", "/accounts/login/"):
        status, html, _headers = visitor.request(path)
        assert status == 200, (path, status, html[:500])

    member = Browserless(daphne.base, session_key=site_on_redis["session"])
    status, html, _headers = member.request(topic_url)
    assert status == 200
    assert 'id="reply"' in html  # signed in (sessions fall back to the database)

    status, _html, headers = member.post_form(
        topic_url, f"{topic_url}reply/", {"body": "Saved while Redis was down"}
    )
    assert status == 302, status
    assert headers["Location"].startswith(topic_url)
    saved = shell(
        site_on_redis["env"],
        "from forums.models import Post; "
        "print(Post.objects.filter(body_source='Saved while Redis was down').count())",
    )
    assert saved.split()[-1] == "1"
    assert "Could not broadcast" in daphne.log.read_text()  # logged, not shown to the user

    status, report = health(daphne.base)
    assert status == 503
    assert report["checks"]["database"]["ok"] is True
    assert report["checks"]["channel_layer"]["ok"] is False
    assert report["checks"]["cache"]["ok"] is False

    redis.start()  # same port
    deadline = time.monotonic() + 20
    while health(daphne.base)[0] != 200:
        assert time.monotonic() < deadline, health(daphne.base)
        time.sleep(0.5)
    status, html, _headers = member.request(topic_url)
    assert status == 200
    assert "Saved while Redis was down" in html


def test_a_hung_redis_delays_a_reply_but_never_loses_it(site_on_redis):
    """SIGSTOP: Redis accepts connections and never answers. Timeouts on the cache and the
    channel layer turn the hang into a logged failure; the reply is saved and shown."""
    redis, daphne = site_on_redis["redis"], site_on_redis["daphne"]
    topic_url = f"/forums/t/{site_on_redis['topic']}/"
    member = Browserless(daphne.base, session_key=site_on_redis["session"])
    assert member.request(topic_url)[0] == 200

    redis.freeze()
    try:
        status, _html, _headers = member.post_form(
            topic_url, f"{topic_url}reply/", {"body": "Saved while Redis hung"}
        )
        assert status == 302, status
        status, html, _headers = member.request(topic_url)
        assert status == 200
        assert "Saved while Redis hung" in html
        assert health(daphne.base)[0] == 503
    finally:
        redis.thaw()
    deadline = time.monotonic() + 30
    while health(daphne.base)[0] != 200:
        assert time.monotonic() < deadline, health(daphne.base)
        time.sleep(0.5)
