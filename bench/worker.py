"""The parts of the benchmarks that run inside Django, as a subprocess of bench/run or
bench/soak.py (``python bench/worker.py <command> ...``); each command prints one JSON line last.

- ``generate --scale small|large``: the benchmark data set, by bulk paths (see ``generate``);
- ``sessions``: session keys for the bench learner and the bench poster;
- ``groupsend``: the raw channel-layer ``group_send`` rate, 200 channels in one group;
- ``search``: search latency per kind of query and indexing throughput;
- ``mixed``: the people and addresses of bench/mixed.py's run (bench/mixed_setup.py).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime
import itertools
import json
import random
import sys
import time
import uuid
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent)]  # the project (bench/ itself is already first)

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.html import escape  # noqa: E402
from harness import progress  # noqa: E402

#: Sizes per scale. Large is issue 8's; small keeps the whole run under five minutes here.
SCALES = {
    "large": {"users": 10_000, "courses": 50, "modules_per_course": 5, "lessons_per_module": 4,
              "case_studies": 2_000, "topics": 4_000, "posts_per_topic": 50,
              "documents": 100_000},
    "small": {"users": 200, "courses": 5, "modules_per_course": 5, "lessons_per_module": 4,
              "case_studies": 100, "topics": 100, "posts_per_topic": 50, "documents": 5_000},
}  # fmt: skip
WORDS = (
    "restoration agroforestry watershed terraces erosion soil water fund finance governance "
    "cocoa coffee shade trees seedlings nursery mangroves peatland rewetting canal grazing "
    "cooperative women income value chain market certification carbon biodiversity forest "
    "grassland wetland river spring drought rainfall monitoring plots survey farmers clans "
    "tenure rights mapping planning budget partnership dialogue training youth school "
    "livestock fodder honey cork dates oasis irrigation khettara buffer riparian fire"
).split()
POSTER = "bench-poster"
LEARNER = "learner"  # the demo learner: enrolled in the benchmarked course


# --- Wagtail pages in bulk ---------------------------------------------------------------


def bulk_children(parent, pages: list, *, revisions: bool = True) -> list:
    """Append ``pages`` (unsaved specific pages with title and slug set) as the last children
    of ``parent``, live, in a few statements instead of one ``add_child`` each.

    The treebeard materialised path is computed here (``parent.path`` + one step per child,
    continuing after the last existing child), the ``wagtailcore_page`` rows go in with one
    ``bulk_create`` and the specific table's rows with one insert per batch (Django's
    bulk_create refuses multi-table inheritance), and the parent's ``numchild`` grows once.
    A revision per page is written with ``bulk_create`` and made both latest and live, so the
    admin sees ordinary published pages. No signals fire: the search index is rebuilt after.
    """
    from wagtail.models import Page

    if not pages:
        return []
    model = type(pages[0])
    parent = Page.objects.get(pk=parent.pk)
    last = parent.get_last_child()
    first_step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    bases = []
    for offset, page in enumerate(pages):
        base = Page(
            title=page.title,
            draft_title=page.title,
            slug=page.slug,
            path=parent.path + Page._int2str(first_step + offset).rjust(Page.steplen, "0"),
            depth=parent.depth + 1,
            numchild=0,
            url_path=f"{parent.url_path}{page.slug}/",
            locale_id=parent.locale_id,
            content_type_id=content_type.pk,
            translation_key=uuid.uuid4(),
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
            latest_revision_created_at=now,
        )
        bases.append(base)
    with transaction.atomic():
        Page.objects.bulk_create(bases, batch_size=200)
        for page, base in zip(pages, bases, strict=True):
            for f in page_fields:
                setattr(page, f.attname, getattr(base, f.attname))
            page.id = page.page_ptr_id = base.pk
        local = model._meta.local_concrete_fields
        batch = max(1, 500 // len(local))
        for start in range(0, len(pages), batch):
            model._base_manager._insert(pages[start : start + batch], fields=local, using="default")
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    return pages


def publish_revisions(pages: list) -> None:
    """One revision per page (bulk), set as latest and live."""
    from wagtail.models import Page, Revision

    if not pages:
        return
    content_type = ContentType.objects.get_for_model(type(pages[0]))
    page_type = ContentType.objects.get_for_model(Page)
    now = timezone.now()
    revisions = [
        Revision(
            content_type_id=content_type.pk,
            base_content_type_id=page_type.pk,
            object_id=str(page.pk),
            created_at=now,
            object_str=page.title,
            content=page.serializable_data(),
        )
        for page in pages
    ]
    with transaction.atomic():
        Revision.objects.bulk_create(revisions, batch_size=200)
        for page, revision in zip(pages, revisions, strict=True):
            page.latest_revision_id = page.live_revision_id = revision.pk
        Page.objects.bulk_update(
            [Page(pk=p.pk, latest_revision_id=p.latest_revision_id, live_revision_id=p.live_revision_id)
             for p in pages],
            ["latest_revision", "live_revision"],
            batch_size=200,
        )  # fmt: skip


def clone(model, specimen, **values):
    """A new unsaved ``model`` page carrying the specimen's own (non-Page) field values."""
    from wagtail.models import Page

    page = model()
    for f in model._meta.concrete_fields:
        if f.model is not Page and not f.primary_key and not f.auto_created:
            setattr(page, f.attname, getattr(specimen, f.attname))
    for name, value in values.items():
        setattr(page, name, value)
    return page


def link_many(model, field: str, pairs: list[tuple[int, int]]) -> None:
    """Rows of a (Parental)ManyToManyField's through table: (page id, target id) pairs."""
    through = model._meta.get_field(field).remote_field.through
    source = next(f for f in through._meta.fields if f.related_model is model)
    target = next(
        f
        for f in through._meta.fields
        if f.is_relation and f.related_model is not model and not f.primary_key
    )
    through.objects.bulk_create(
        [through(**{source.attname: a, target.attname: b}) for a, b in pairs], batch_size=500
    )


# --- The data set ------------------------------------------------------------------------


def generate(scale: str) -> dict:
    """Bulk-generate the data set on top of the demo content (``seed_demo`` ran before)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    from courses.models import CourseIndexPage, CoursePage, Enrolment, LessonPage, ModulePage
    from forums.models import Category, Post, Topic
    from library.models import CaseStudyIndexPage, CaseStudyPage, Theme
    from library.models.case_studies import Region
    from network.models import User

    sizes = SCALES[scale]
    rng = random.Random(8)
    timings: dict[str, float] = {}
    now = timezone.now()
    english = {"locale__language_code": "en"}

    def timed(name: str, began: float) -> None:
        timings[name] = round(time.perf_counter() - began, 1)

    # People: one password hash for everyone (hashing 10,000 times would take minutes).
    began = time.perf_counter()
    password = make_password("bench-password-2026")
    with progress("users", sizes["users"]) as step, transaction.atomic():
        for start in range(0, sizes["users"], 1000):
            chunk = range(start, min(start + 1000, sizes["users"]))
            User.objects.bulk_create(
                [User(username=f"bench-user-{n}", email=f"bench-user-{n}@example.org",
                      password=password, display_name=f"Bench member {n}", date_joined=now)
                 for n in chunk]
            )  # fmt: skip
            step(len(chunk))
    poster = User.objects.create_user(
        username=POSTER, email="bench-poster@example.org", password=None, is_staff=True
    )
    EmailAddress.objects.create(user=poster, email=poster.email, verified=True, primary=True)
    user_ids = list(
        User.objects.filter(username__startswith="bench-user-").values_list("pk", flat=True)
    )
    timed("users", began)

    # Courses: clones of the demo course's pages, modules and lessons.
    began = time.perf_counter()
    course_index = CourseIndexPage.objects.filter(**english).first()
    course_specimen = CoursePage.objects.filter(**english, enrolment_mode="open").first()
    module_specimen = ModulePage.objects.filter(**english).first()
    lesson_specimens = list(LessonPage.objects.filter(**english).order_by("path"))
    courses = bulk_children(course_index, [
        clone(CoursePage, course_specimen, title=f"Bench course {n}: {course_specimen.title}",
              slug=f"bench-course-{n}")
        for n in range(sizes["courses"])
    ])  # fmt: skip
    publish_revisions(courses)
    lessons_total = sizes["courses"] * sizes["modules_per_course"] * sizes["lessons_per_module"]
    first_lessons = []
    with progress("lessons", lessons_total) as step:
        for course in courses:
            modules = bulk_children(course, [
                clone(ModulePage, module_specimen, title=f"Module {m + 1}", slug=f"module-{m + 1}")
                for m in range(sizes["modules_per_course"])
            ])  # fmt: skip
            publish_revisions(modules)
            for module in modules:
                lessons = bulk_children(module, [
                    clone(LessonPage, specimen, title=f"{specimen.title} ({k + 1})",
                          slug=f"lesson-{k + 1}")
                    for k, specimen in zip(range(sizes["lessons_per_module"]),
                                           itertools.cycle(lesson_specimens))
                ])  # fmt: skip
                publish_revisions(lessons)
                first_lessons.append(lessons[0])
                step(len(lessons))
    learner = User.objects.get(username=LEARNER)
    enrolments = [Enrolment(user=learner, course_key=courses[0].translation_key,
                            status="active", enrolled_at=now)]  # fmt: skip
    for user_id in user_ids:
        for course in rng.sample(courses, min(2, len(courses))):
            enrolments.append(Enrolment(user_id=user_id, course_key=course.translation_key,
                                        status="active", enrolled_at=now))  # fmt: skip
    Enrolment.objects.bulk_create(enrolments, batch_size=1000)
    timed("courses", began)

    # Case studies: clones of the demo ones, spread over regions, years and themes.
    began = time.perf_counter()
    case_index = CaseStudyIndexPage.objects.filter(**english).first()
    specimens = list(CaseStudyPage.objects.filter(**english).order_by("path"))
    regions = [value for value, _label in Region.choices]
    theme_ids = list(Theme.objects.values_list("pk", flat=True))
    case_studies = []
    with progress("case studies", sizes["case_studies"]) as step:
        for start in range(0, sizes["case_studies"], 500):
            chunk = range(start, min(start + 500, sizes["case_studies"]))
            made = bulk_children(case_index, [
                clone(CaseStudyPage, specimens[n % len(specimens)],
                      title=f"{specimens[n % len(specimens)].title} ({n})",
                      slug=f"bench-case-study-{n}", region=regions[n % len(regions)],
                      year=2010 + n % 16)
                for n in chunk
            ])  # fmt: skip
            link_many(
                CaseStudyPage,
                "themes",
                [(page.pk, theme) for page in made for theme in rng.sample(theme_ids, 2)],
            )
            publish_revisions(made)
            case_studies += made
            step(len(made))
    timed("case_studies", began)

    # Forums: one public category, topics of exactly posts_per_topic posts each.
    began = time.perf_counter()
    category = Category.objects.create(name="Bench discussions", slug="bench", position=99)
    per_topic = sizes["posts_per_topic"]
    topics = Topic.objects.bulk_create(
        [Topic(category=category, title=f"{' '.join(rng.sample(WORDS, 5)).capitalize()} ({n})",
               author_id=rng.choice(user_ids), created_at=now, last_post_at=now,
               post_count=per_topic)
         for n in range(sizes["topics"])],
        batch_size=1000,
    )  # fmt: skip
    with progress("posts", sizes["topics"] * per_topic) as step:
        for start in range(0, len(topics), 40):
            posts = []
            for topic in topics[start : start + 40]:
                for k in range(per_topic):
                    text = " ".join(rng.choices(WORDS, k=rng.randint(15, 60))).capitalize() + "."
                    posts.append(
                        Post(topic=topic, author_id=rng.choice(user_ids), body_source=text,
                             body_html=f"<p>{escape(text)}</p>", search_text=text,
                             created_at=now + datetime.timedelta(seconds=k))
                    )  # fmt: skip
            with transaction.atomic():
                Post.objects.bulk_create(posts, batch_size=500)
            step(len(posts))
    timed("forums", began)

    # Search: the real content's documents, forum replies, then generated documents with
    # places (for the geo queries) up to the scale's count, in one rebuild.
    began = time.perf_counter()
    indexed = rebuild_index(sizes["documents"], category.pk)
    timed("search_rebuild", began)
    timings["search_rebuild_docs_per_s"] = round(indexed / max(timings["search_rebuild"], 1e-6))

    return {
        "scale": scale,
        "vendor": connection.vendor,
        "sizes": sizes,
        "timings_s": timings,
        "documents": indexed,
        "paths": {
            "course": courses[0].get_url(),
            "lesson": first_lessons[0].get_url(),
            "case_study": case_studies[len(case_studies) // 2].get_url(),
            "listing": "/case-studies/?region=africa&theme=restoration",
            "topic": topics[0].get_absolute_url(),
            "search": "/search/?q=restoration+water&region=africa",
        },
        "topic_ids": [t.pk for t in topics[1:11]],
    }


def rebuild_index(target: int, category_id: int) -> int:
    """One rebuild of the search index with ``target`` documents (see ``generate``)."""
    from django.urls import reverse

    from forums.models import Post
    from search import sources
    from search.backends import get_backend
    from search.types import PUBLIC, SearchDocument

    count = 0

    def real() -> object:
        nonlocal count
        for label in sources._BUILDERS:
            if label == "forums.post":
                continue
            for obj in sources._QUERYSETS[label]().iterator(chunk_size=500):
                document = sources.build(obj)
                if document is not None:
                    count += 1
                    yield document

    def replies(limit: int) -> object:
        # As sources.post_document builds them, without its one query per post: the bench
        # category is public and a topic's opening post is found through the topic.
        nonlocal count
        rows = (
            Post.objects.filter(topic__category_id=category_id)
            .order_by("pk")
            .values_list("pk", "topic_id", "topic__title", "search_text", "created_at")
        )
        seen_topics: set[int] = set()
        for pk, topic_id, title, text, created in rows.iterator(chunk_size=2000):
            if count >= limit:
                return
            if topic_id not in seen_topics:
                seen_topics.add(topic_id)  # the opening post
                continue
            count += 1
            yield SearchDocument(key=f"forums.post:{pk}", kind="post", title=title,
                                 url=reverse("forums:post", kwargs={"pk": pk}), language="",
                                 summary=text[:300], body=text, audience=PUBLIC, date=created)  # fmt: skip

    def generated() -> object:
        nonlocal count
        from search_latency import generate as synthetic

        for document in synthetic(max(0, target - count)):
            count += 1
            yield document

    def documents() -> object:
        yield from real()
        yield from replies(count + (target - count) // 2)
        yield from generated()

    with progress("search docs", target) as step:
        done = 0

        def advance(total: int) -> None:
            nonlocal done
            step(total - done)
            done = total

        return get_backend().rebuild(documents(), progress=advance)


# --- Sessions ----------------------------------------------------------------------------


def session_for(user) -> str:
    """A signed-in session for ``user``, as logging in would store it; its key."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def sessions() -> dict:
    from network.models import User

    keys = {
        user.username: session_for(user)
        for user in User.objects.filter(username__in=[LEARNER, POSTER])
    }
    return {"learner": keys.get(LEARNER), "poster": keys.get(POSTER)}


# --- Channel layer -----------------------------------------------------------------------


async def group_send_rate(receivers: int, messages: int) -> dict:
    """``messages`` group_sends to a group of ``receivers`` channels, each drained by its own
    task: the layer's own fan-out ceiling, with no daphne, consumer or rendering in the way."""
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    group = f"bench.{uuid.uuid4().hex[:8]}"
    channels = [await layer.new_channel("bench.") for _ in range(receivers)]
    for channel in channels:
        await layer.group_add(group, channel)
    received = 0
    latencies: list[float] = []

    async def drain(channel: str) -> None:
        nonlocal received
        for _ in range(messages):
            message = await layer.receive(channel)
            latencies.append(time.perf_counter() - message["sent"])
            received += 1

    tasks = [asyncio.create_task(drain(channel)) for channel in channels]
    await asyncio.sleep(0.2)
    began = time.perf_counter()
    for number in range(messages):
        await layer.group_send(
            group, {"type": "bench.ping", "n": number, "sent": time.perf_counter()}
        )
        await asyncio.sleep(0)
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=120)
    elapsed = time.perf_counter() - began
    for channel in channels:
        await layer.group_discard(group, channel)
    from harness import percentile

    return {
        "layer": type(layer).__name__,
        "receivers": receivers,
        "messages": messages,
        "group_sends_per_s": round(messages / elapsed, 1),
        "deliveries_per_s": round(received / elapsed),
        "p50_ms": round(percentile(latencies, 0.5) * 1000, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
    }


# --- Search ------------------------------------------------------------------------------


def search_figures(queries: int, extra: int, seconds_per_kind: float = 20.0) -> dict:
    """p50/p95 of plain, faceted and geo queries on the index as it is (``queries`` each, or
    fewer, at least 10, if a kind takes longer than ``seconds_per_kind``), and the throughput
    of indexing ``extra`` new documents (upserts in batches of 500, removed again)."""
    from harness import percentile
    from search_latency import REGIONS
    from search_latency import generate as synthetic

    from search.backends import get_backend
    from search.types import FACETS, BoundingBox, SearchRequest, partnership_audience

    backend = get_backend()
    rng = random.Random(11)
    anonymous = ("public",)
    member = ("public", "members", partnership_audience(3))
    box = BoundingBox(south=-10, west=20, north=10, east=50)
    cases = {
        "plain": lambda: SearchRequest(text=" ".join(rng.sample(WORDS, rng.choice([1, 2]))),
                                       audiences=anonymous, facets=()),
        "faceted": lambda: SearchRequest(text=rng.choice(WORDS), audiences=member, facets=FACETS,
                                         filters={"region": (rng.choice(REGIONS),)}),
        "geo": lambda: SearchRequest(text=rng.choice(["", *WORDS[:10]]), audiences=anonymous,
                                     facets=(), geo=box),
    }  # fmt: skip
    rows = {}
    for name, make in cases.items():
        backend.query(make())  # warm
        timings = []
        stop_at = time.perf_counter() + seconds_per_kind
        while len(timings) < queries and (len(timings) < 10 or time.perf_counter() < stop_at):
            request = make()
            started = time.perf_counter()
            backend.query(request)
            timings.append((time.perf_counter() - started) * 1000)
        rows[name] = {
            "queries": len(timings),
            "p50_ms": round(percentile(timings, 0.5), 2),
            "p95_ms": round(percentile(timings, 0.95), 2),
        }
    documents = [
        dataclasses.replace(document, key=f"bench.extra:{n}")
        for n, document in enumerate(synthetic(extra, seed=99))
    ]
    began = time.perf_counter()
    for start in range(0, len(documents), 500):
        backend.upsert(documents[start : start + 500])
    seconds = time.perf_counter() - began
    backend.delete([d.key for d in documents])
    return {
        "backend": f"{backend.name} ({connection.vendor})",
        "documents": len(backend.keys()),
        "queries": rows,
        "indexing_docs_per_s": round(len(documents) / seconds),
        "indexing_documents": len(documents),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["generate", "sessions", "groupsend", "search", "mixed"])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--receivers", type=int, default=200)
    parser.add_argument("--messages", type=int, default=50)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--extra", type=int, default=1000)
    args = parser.parse_args()
    if args.command == "generate":
        result = generate(args.scale)
    elif args.command == "sessions":
        result = sessions()
    elif args.command == "mixed":
        from mixed_setup import mixed_cast

        result = mixed_cast(session_for)
    elif args.command == "groupsend":
        result = asyncio.run(group_send_rate(args.receivers, args.messages))
    else:
        result = search_figures(args.queries, args.extra)
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
