"""Lesson blocks on a slow connection: responsive lazy images, videos that never autoplay or
preload, transcripts on the page, and a lesson page far under its 300 KB budget."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from courses import services
from courses.models import LessonPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_lesson(make_course, learner):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (1600, 800), (30, 90, 60)).save(buffer, format="JPEG")
    image = Image(title="Hillside")
    image.file.save("hillside.jpg", ImageFile(buffer, name="hillside.jpg"), save=False)
    image.save()
    document = Document(title="Checklist")
    document.file.save("checklist.txt", ContentFile(b"1. Map\n2. Meet\n"), save=False)
    document.save()
    built = make_course(modules=1, lessons=1, quiz=False)
    lesson = built.lessons[0]
    lesson.body = json.dumps(
        [
            {
                "type": "image",
                "id": "i",
                "value": {"image": image.pk, "alt_text": "A green hillside", "caption": "Upstream"},
            },
            {
                "type": "video",
                "id": "v1",
                "value": {
                    "title": "Field visit",
                    "url": "https://example.org/visit.mp4",
                    "duration_minutes": 4,
                    "transcript": "<p>TRANSCRIPT-FILE</p>",
                },
            },
            {
                "type": "video",
                "id": "v2",
                "value": {
                    "title": "Talk",
                    "url": "https://www.youtube.com/watch?v=abc",
                    "duration_minutes": 9,
                    "transcript": "<p>TRANSCRIPT-LINK</p>",
                },
            },
            {
                "type": "document",
                "id": "d",
                "value": {"document": document.pk, "description": "Print it"},
            },
            {
                "type": "callout",
                "id": "c",
                "value": {"kind": "warning", "title": "Careful", "text": "<p>Mind the river.</p>"},
            },
            {"type": "reflection", "id": "r", "value": {"prompt": "What would you change?"}},
        ]
    )
    lesson.save_revision().publish()
    services.enrolment_create(user=learner, course=built.course)
    return LessonPage.objects.get(pk=lesson.pk)


def test_lesson_blocks_render_light_and_accessible(learner_client, rich_lesson):
    body = learner_client.get(rich_lesson.url).content.decode()
    # The image at the size and format the screen needs: WebP at 360, 720 and 1080 px, and
    # ``sizes`` saying it fills a phone's width, so a 360 px phone picks 360 or 720 (at 2x).
    img = re.search(r'<img [^>]*alt="A green hillside"[^>]*>', body).group(0)
    srcset = dict(
        reversed(candidate.split())
        for candidate in re.search(r'srcset="([^"]+)"', img).group(1).split(", ")
    )
    assert sorted(srcset) == ["1080w", "360w", "720w"]
    assert all(url.endswith(".webp") for url in srcset.values()), srcset
    assert re.search(r'src="[^"]+\.webp"', img)
    assert 'sizes="(max-width: 45rem) 100vw, 45rem"' in img
    image = rich_lesson.body[0].value["image"]
    renditions = {rendition.filter_spec: rendition for rendition in image.renditions.all()}
    for width in (360, 720, 1080):
        rendition = renditions[f"width-{width}|format-webp"]
        assert rendition.width == width and rendition.url == srcset[f"{width}w"]
        with rendition.file.open() as file, PillowImage.open(file) as picture:
            assert (picture.format, picture.width) == ("WEBP", width)
    assert 'loading="lazy"' in body
    assert 'alt="A green hillside"' in body
    assert '<video controls preload="none"' in body
    assert "autoplay" not in body
    assert "<iframe" not in body  # no third-party player until the learner asks
    assert "TRANSCRIPT-FILE" in body and "TRANSCRIPT-LINK" in body
    assert "Checklist" in body and "download" in body
    assert "Mind the river." in body
    assert "What would you change?" in body
    # The lesson needs no JavaScript of its own: the scripts are the site frame's, deferred,
    # and pages work without them: the offline worker's registration (issue 20) and, for a
    # signed-in reader, the header's live unread count (issue 23).
    scripts = re.findall(r"<script[^>]*>", body)
    assert [re.search(r'src="/static/([^"]+)"', tag).group(1) for tag in scripts] == [
        "js/offline.js",
        "forums/notifications.js",
    ], scripts
    assert all("defer" in tag for tag in scripts)


def test_lesson_page_with_its_css_stays_far_under_300_kb(learner_client, rich_lesson):
    html = learner_client.get(rich_lesson.url).content
    css = sum(
        len(Path(finders.find(name)).read_bytes())
        for name in ("css/site.css", "courses/courses.css")
    )
    assert len(html) + css < 300 * 1024


def test_search_index_gets_quiz_questions_but_never_answers_or_feedback(make_course):
    lesson = make_course(modules=1, lessons=1).lessons[0]
    content = " ".join(lesson.body.stream_block.get_searchable_content(lesson.body))
    assert "Pick b" in content
    assert "SECRET" not in content
    assert "paramo" not in content
