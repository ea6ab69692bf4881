"""The shipped nginx config (deploy/nginx/) in front of a live daphne: the production shape's
proxy, driven as visitors would.

The real nginx serves the static files itself, keeps an anonymous page as the site's own
``Cache-Control`` allows (a HIT on the second request), never answers a signed-in request from
its cache nor stores what it got for one, drops a page when Wagtail publishes it (PURGE, sent by
the site's frontend cache invalidation), never serves a hidden post or an unpublished page that
it stored before (the writes purge it) and proxies the WebSocket upgrade of /ws/ to daphne.

The site runs with ``PROXY_CACHE_SECONDS=600``: a page the proxy drops within a test was dropped
by a purge, never by its lifetime running out.

Marked ``browser`` like the Chromium tests: it needs a system program (Debian's nginx and its
cache purge module), which ``make test`` installs as it installs Chromium. Without it the test
fails and says how to get it; it never skips.
"""

from __future__ import annotations

import asyncio
import base64
import importlib.util
import os
import urllib.request
from pathlib import Path

import pytest
from live_servers import (
    MEMBER_WITH_SESSION,
    PUBLISH_CASE_STUDY,
    SETUP_MEMBER_AND_TOPIC,
    migrated_site,
)

from devservers import Daphne, free_port, shell

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
STATIC_FILE = "css/site.css"


def load_render():
    spec = importlib.util.spec_from_file_location("nginx_render", ROOT / "deploy/nginx/render.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


render = load_render()


class Visitor:
    """Plain GETs through the proxy with a chosen Host (the Site's, ``localhost``) and cookie."""

    def __init__(self, port: int, cookie: str = ""):
        self.port, self.cookie = port, cookie

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}")
        request.add_header("Host", f"localhost:{self.port}")
        if self.cookie:
            request.add_header("Cookie", self.cookie)
        for name, value in headers.items():
            request.add_header(name.replace("_", "-"), value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def proxied_site(tmp_path_factory):
    try:
        render.nginx_binary()
    except render.NginxMissing as missing:
        pytest.fail(str(missing))
    folder = tmp_path_factory.mktemp("nginx")
    port = free_port()
    # The app's own page cache is off: on the embedded default it lives in daphne's memory,
    # which manage.py cannot empty; this test is about the proxy's cache alone.
    env = migrated_site(
        folder / "site",
        FRONTEND_CACHE_PURGE_URL=f"http://127.0.0.1:{port}",
        SITE_URL=f"http://localhost:{port}",  # the Site's host, as in production
        SERVE_MEDIA="false",
        PAGE_CACHE_ENABLED="false",
        PROXY_CACHE_SECONDS="600",
    )
    # The site's own home page (a fresh database has Wagtail's placeholder, which declares
    # nothing cacheable and so is never public).
    shell(env, "from library import demo\ndemo.ensure_locales()\ndemo.ensure_home()\n")
    topic_id, session_key = shell(env, SETUP_MEMBER_AND_TOPIC).split()[-2:]
    media = Path(env["VAR_DIR"]) / "media"
    media.mkdir(parents=True, exist_ok=True)
    (media / "hello.txt").write_text("uploaded\n")
    daphne = Daphne(env)
    daphne.start()
    try:
        config = render.render(
            folder / "proxy",
            listen=f"127.0.0.1:{port}",
            apps=[f"127.0.0.1:{daphne.port}"],
            ws=f"127.0.0.1:{daphne.port}",
            static_root=ROOT / "site" / "static",
            media_root=media,
            workers=1,
        )
        with render.Nginx(config, port):
            yield {
                "port": port,
                "daphne": daphne.port,
                "env": env,
                "topic": int(topic_id),
                "session": session_key,
            }
    finally:
        daphne.stop()


def test_static_and_media_are_served_by_nginx_itself(proxied_site):
    visitor = Visitor(proxied_site["port"])
    status, headers, body = visitor.get(f"/static/{STATIC_FILE}", Accept_Encoding="gzip")
    assert status == 200
    assert body
    assert "immutable" in headers["Cache-Control"]
    assert headers.get("Content-Encoding") == "gzip"  # compressed on the way out
    assert "X-Cache-Status" not in headers  # not through the app, so not through the cache
    status, headers, body = visitor.get("/media/hello.txt")
    assert (status, body) == (200, b"uploaded\n")
    assert "sandbox" in headers["Content-Security-Policy"]


def test_an_anonymous_page_is_cached_and_a_signed_in_one_never_is(proxied_site):
    anonymous = Visitor(proxied_site["port"])
    first = anonymous.get("/")
    second = anonymous.get("/")
    assert first[0] == second[0] == 200
    assert "public" in first[1]["Cache-Control"]
    assert first[1]["X-Cache-Status"] in {"MISS", "EXPIRED"}
    assert second[1]["X-Cache-Status"] == "HIT"

    member = Visitor(proxied_site["port"], f"sessionid={proxied_site['session']}")
    for _ in range(2):
        status, headers, _body = member.get("/")
        assert status == 200
        assert headers["X-Cache-Status"] == "BYPASS"
    status, headers, _body = member.get(f"/forums/t/{proxied_site['topic']}/")
    assert headers["X-Cache-Status"] == "BYPASS"
    # The member's response was not stored: the next anonymous reader still gets the cached one.
    assert anonymous.get("/")[1]["X-Cache-Status"] == "HIT"


def test_a_page_set_cookie_is_never_stored(proxied_site):
    visitor = Visitor(proxied_site["port"])
    for _ in range(2):
        status, headers, _body = visitor.get("/accounts/login/")  # a form: sets the CSRF cookie
        assert status == 200
        assert "Set-Cookie" in headers
        assert headers["X-Cache-Status"] != "HIT"


def test_publishing_a_page_purges_it_from_the_proxy(proxied_site):
    visitor = Visitor(proxied_site["port"])
    visitor.get("/")
    assert visitor.get("/")[1]["X-Cache-Status"] == "HIT"
    shell(
        proxied_site["env"],
        "from wagtail.models import Site\n"
        "page = Site.objects.get(is_default_site=True).root_page.specific\n"
        "page.title = 'Purged by publishing'\n"
        "page.save_revision().publish()\n",
    )
    status, headers, body = visitor.get("/")
    assert status == 200
    assert headers["X-Cache-Status"] == "MISS"
    # What the app serves now for the same host, not the proxy's stored copy. (Whether the
    # app's own caches in daphne already know the new title is their tests' business: on the
    # embedded default they live in daphne's memory, which manage.py cannot reach.)
    direct = Visitor(proxied_site["daphne"]).get("/", Host=f"localhost:{proxied_site['port']}")
    assert body == direct[2]


def test_purge_urls_sends_purge_for_other_urls(proxied_site):
    visitor = Visitor(proxied_site["port"])
    path = "/forums/"
    visitor.get(path)
    cached = visitor.get(path)[1]["X-Cache-Status"]
    shell(
        proxied_site["env"],
        f"from config.proxy_cache import purge_urls\nprint(purge_urls(['{path}']))\n",
    )
    after = visitor.get(path)[1]["X-Cache-Status"]
    assert (cached, after) == ("HIT", "MISS")


def test_the_purge_location_is_only_reached_by_the_purge_method(proxied_site):
    visitor = Visitor(proxied_site["port"])
    visitor.get("/forums/")
    assert visitor.get("/forums/")[1]["X-Cache-Status"] == "HIT"
    status, _headers, _body = visitor.get("/_purge/forums/")  # internal: not a public URL
    assert status == 404
    assert visitor.get("/forums/")[1]["X-Cache-Status"] == "HIT"


def test_the_proxy_lifetime_is_the_sites_and_never_reaches_the_browser(proxied_site):
    visitor = Visitor(proxied_site["port"])
    status, headers, _body = visitor.get("/")
    assert status == 200
    assert "X-Accel-Expires" not in headers  # nginx keeps it to itself
    assert "max-age=60" in headers["Cache-Control"]  # the browser's own lifetime
    direct = Visitor(proxied_site["daphne"]).get("/", Host=f"localhost:{proxied_site['port']}")
    assert direct[1]["X-Accel-Expires"] == "600"
    assert "ETag" in direct[1]  # what an expired copy is revalidated with


def test_an_address_with_a_query_string_is_never_stored(proxied_site):
    visitor = Visitor(proxied_site["port"])
    for _ in range(2):
        status, headers, _body = visitor.get("/forums/?sort=latest")
        assert status == 200
        assert headers["X-Cache-Status"] == "BYPASS"


MODERATOR_AND_REPLY = (
    MEMBER_WITH_SESSION
    + """
from forums.models import Topic
from forums.services import post_create
from network.roles import Role
from network.services import user_add_role
moderator, _session = member("moderator", "Moderator")
user_add_role(user=moderator, role=Role.MODERATOR)
topic = Topic.objects.get(pk=TOPIC)
reply = post_create(author=topic.author, topic=topic, body="A reply to be hidden soon")
print(reply.pk)
"""
)

HIDE = """
from forums.models import Post
from forums.services import post_hide
from network.models import User
post_hide(moderator=User.objects.get(username="moderator"), post=Post.objects.get(pk=POST))
"""


def test_a_hidden_post_is_never_served_from_the_proxy(proxied_site):
    env, topic = proxied_site["env"], proxied_site["topic"]
    post = shell(env, MODERATOR_AND_REPLY.replace("TOPIC", str(topic))).split()[-1]
    visitor = Visitor(proxied_site["port"])
    reply = b"A reply to be hidden soon"
    # The same copy for every anonymous visitor, whatever language their browser asks for:
    # the PURGE (sent without Accept-Language) must drop the copy they are all served.
    paths = (f"/forums/t/{topic}/", f"/es/forums/t/{topic}/")
    for path in paths:
        visitor.get(path, Accept_Language="fr")
        status, headers, body = visitor.get(path, Accept_Language="pt-BR")
        assert (status, headers["X-Cache-Status"]) == (200, "HIT")
        assert reply in body

    shell(env, HIDE.replace("POST", post))

    for path in paths:
        status, headers, body = visitor.get(path, Accept_Language="fr")
        assert status == 200
        assert headers["X-Cache-Status"] == "MISS"
        assert reply not in body


UNPUBLISH = """
from library.models import CaseStudyPage
CaseStudyPage.objects.get(slug="terraces").unpublish()
"""


def test_an_unpublished_case_study_is_never_served_from_the_proxy(proxied_site):
    env = proxied_site["env"]
    listing, page = shell(env, PUBLISH_CASE_STUDY).split()[-2:]
    visitor = Visitor(proxied_site["port"])
    title = b"Terraces of Kijabe"
    for path in (page, listing, "/", f"/fr{page}"):
        visitor.get(path)
        status, headers, body = visitor.get(path)
        assert (status, headers["X-Cache-Status"]) == (200, "HIT"), path
        assert title in body, path

    shell(env, UNPUBLISH)

    for path in (page, f"/fr{page}"):
        status, _headers, _body = visitor.get(path)
        assert status == 404, path
    for path in (listing, "/"):
        status, headers, body = visitor.get(path)
        assert (status, headers["X-Cache-Status"]) == (200, "MISS"), path
        assert title not in body, path


def test_the_websocket_upgrade_is_proxied_to_daphne(proxied_site):
    port, topic = proxied_site["port"], proxied_site["topic"]

    async def handshake() -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write(
            (
                f"GET /ws/forums/topics/{topic}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                f"Origin: http://127.0.0.1:{port}\r\n\r\n"
            ).encode()
        )
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
        first_frame = await asyncio.wait_for(reader.read(200), 30)
        writer.close()
        return head + first_frame

    answer = asyncio.run(handshake())
    assert answer.startswith(b"HTTP/1.1 101"), answer[:200]
    assert b"hello" in answer  # the topic consumer's first frame came through
