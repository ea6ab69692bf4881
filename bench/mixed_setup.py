"""The cast and the addresses of bench/mixed.py's run, read from the benchmark data set inside
Django (``python bench/worker.py mixed``, which has Django set up).

The data set's facts name one page of each kind; a run that looks like a live network needs
many: dozens of case studies, topics and course pages, listings with varied filters, varied
searches, and people to sign in as (learners enrolled in courses with quizzes, members with a
verified address who may post, a publisher). Kept out of bench/worker.py (the generator)
because it is read-only but for resetting what earlier mixed runs left behind: the learners'
quiz attempts (so attempts are never used up), the members' verified addresses, and the
publisher: the demo editor may only draft (Wagtail's Editors group); publishing is the job of
Wagtail's Moderators group, so ``bench-publisher`` is made one of them.
"""

from __future__ import annotations

import random
from collections.abc import Callable

READ_CASE_STUDIES = 40
READ_TOPICS = 40
WRITTEN_TOPICS = 3
LEARNERS = 4
MEMBERS = 6
SEARCH_WORDS = (
    "restoration agroforestry watershed terraces erosion soil water fund governance cocoa "
    "coffee seedlings nursery mangroves peatland grazing cooperative women market carbon"
).split()


def _lessons_with_quizzes(course) -> list[dict]:
    from courses.models import LessonPage

    found = []
    for lesson in LessonPage.objects.live().descendant_of(course).order_by("path").specific():
        blocks = lesson.quiz_blocks()
        if blocks:
            found.append({"path": lesson.get_url(), "page_id": lesson.pk})
    return found


def _learners(rng: random.Random, session_for: Callable) -> list[dict]:
    from courses.models import CoursePage, Enrolment, LessonCompletion, QuizAttempt
    from network.models import User

    learners = []
    users = User.objects.filter(username__startswith="bench-user-").order_by("pk")[:LEARNERS]
    for user in users:
        QuizAttempt.objects.filter(user=user).delete()
        LessonCompletion.objects.filter(user=user).delete()
        keys = Enrolment.objects.filter(user=user, status="active").values_list(
            "course_key", flat=True
        )
        lessons: list[dict] = []
        for course in CoursePage.objects.live().filter(translation_key__in=list(keys)):
            lessons += _lessons_with_quizzes(course)
        if lessons:
            rng.shuffle(lessons)
            learners.append({"session": session_for(user), "lessons": lessons})
    return learners


def _members(session_for: Callable) -> list[str]:
    from allauth.account.models import EmailAddress

    from network.models import User

    users = User.objects.filter(username__startswith="bench-user-").order_by("-pk")[:MEMBERS]
    sessions = []
    for user in users:
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        sessions.append(session_for(user))
    return sessions


def _publisher():
    from django.contrib.auth.models import Group

    from network.models import User

    user, _created = User.objects.get_or_create(
        username="bench-publisher", defaults={"email": "bench-publisher@example.org"}
    )
    Group.objects.get(name="Moderators").user_set.add(user)
    return user


def mixed_cast(session_for: Callable[[object], str]) -> dict:
    """Who does what in the mixed run, and which addresses the anonymous readers visit, by
    kind of page; the pages the writes change are named apart (``changed``)."""
    from courses.models import CoursePage
    from forums.models import Category, Post, Topic
    from library.models import CaseStudyIndexPage, CaseStudyPage, Theme
    from library.models.case_studies import Region

    rng = random.Random(17)
    english = {"locale__language_code": "en"}
    case_studies = list(CaseStudyPage.objects.live().filter(**english).order_by("path"))
    read = rng.sample(case_studies, min(READ_CASE_STUDIES + 1, len(case_studies)))
    edited, read = read[0], read[1:]
    listing = CaseStudyIndexPage.objects.live().filter(**english).first().get_url()
    themes = list(Theme.objects.order_by("slug").values_list("slug", flat=True))
    regions = [value for value, _label in Region.choices]
    filters = [f"region={region}&theme={theme}" for region in regions for theme in themes]
    filters = rng.sample(filters, min(20, len(filters)))
    filters += [f"region={region}" for region in regions] + ["page=2"]
    searches = [
        f"/search/?q={'+'.join(rng.sample(SEARCH_WORDS, 2))}"
        + (f"&region={rng.choice(regions)}" if n % 2 else "")
        for n in range(30)
    ]
    category = Category.objects.get(slug="bench")
    topics = list(Topic.objects.filter(category=category).order_by("pk")[11:])
    written = topics[:WRITTEN_TOPICS]
    read_topics = rng.sample(
        topics[WRITTEN_TOPICS:], min(READ_TOPICS, len(topics) - WRITTEN_TOPICS)
    )
    courses = CoursePage.objects.live().filter(**english).order_by("path")[:8]
    posts = Post.objects.filter(topic__in=written, hidden=False).order_by("pk")
    return {
        "anonymous": {
            "home": ["/"],
            "listing": [listing] + [f"{listing}?{query}" for query in filters],
            "case_study": [page.get_url() for page in read],
            "edited_case_study": [edited.get_url()],
            "topic": [topic.get_absolute_url() for topic in read_topics],
            "written_topic": [topic.get_absolute_url() for topic in written],
            "course": [course.get_url() for course in courses],
            "search": searches,
        },
        # Kinds of page whose content the run's writes change: the publish (the edited case
        # study, listings, home, search results), replies and reactions (their topics).
        "changed": ["home", "listing", "edited_case_study", "written_topic", "search"],
        "learners": _learners(rng, session_for),
        "members": _members(session_for),
        "written_topic_ids": [topic.pk for topic in written],
        "reaction_post_ids": list(posts.values_list("pk", flat=True)[:20]),
        "publisher": {"session": session_for(_publisher()), "page_id": edited.pk},
    }
