"""The one sanitiser: XSS payloads and naughty strings come out inert."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from forums.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown, sanitize_html

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "![img](javascript:alert(1))",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object>',
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p onclick="alert(1)">x</p>',
    '<form action="https://evil.example"><input name=x></form>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<<script>script>alert(1)<</script>/script>",
    "<!--<script>alert(1)</script>-->",
    '"><script>alert(1)</script>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "<details open ontoggle=alert(1)>",
    '<a href="https://ok.example" onmouseover="alert(1)" target="_blank">ok</a>',
]
NAUGHTY_STRINGS = ["", " ", "\u202e reversed", "null", "Ω≈ç√∫", "👍🏽" * 50, "\x00\x01", "%s%s%n"]


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_render_inert(payload):
    for html in (sanitize_html(payload), str(render_markdown(payload))):
        for tag, attrs in elements(html):
            assert tag in ALLOWED_TAGS, html
            assert set(attrs) <= set(ALLOWED_ATTRIBUTES.get(tag, [])), html
            if "href" in attrs:
                assert attrs["href"].split(":", 1)[0].lower() in {"http", "https", "mailto"}, html
            if tag == "a":
                assert attrs["rel"] == "nofollow ugc noopener"


@pytest.mark.parametrize("text", NAUGHTY_STRINGS)
def test_naughty_strings_do_not_crash(text):
    assert isinstance(str(render_markdown(text)), str)


def test_links_get_nofollow_ugc_noopener_and_bare_urls_are_linked():
    html = str(render_markdown("See [the report](https://example.org/r) and https://example.com"))
    assert html.count('rel="nofollow ugc noopener"') == 2
    assert 'href="https://example.org/r"' in html
    assert 'href="https://example.com"' in html


def test_allowed_schemes_are_kept():
    html = sanitize_html('<a href="mailto:a@example.org">m</a> <a href="http://x.example">h</a>')
    assert 'href="mailto:a@example.org"' in html
    assert 'href="http://x.example"' in html


def test_markdown_formatting_survives_and_headings_are_demoted():
    html = str(render_markdown("# Title\n\n**bold** *it*\n\n> quoted\n\n- one\n- two\n\n`<b>`"))
    assert "<h3>Title</h3>" in html
    assert "<strong>bold</strong>" in html
    assert "<em>it</em>" in html
    assert "<blockquote>" in html
    assert "<li>one</li>" in html
    assert "<code>&lt;b&gt;</code>" in html
