"""Demo curricula: the catalogue, three courses with modules, lessons and quizzes, each
translated into Spanish, French and Portuguese (``courses.demo_translations``), a
cohort with an invite code, and the demo learner part-way through. Idempotent: pages are found by slug, records by their natural keys.
"""

from __future__ import annotations

import datetime
import io
import json
import uuid

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PillowImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Locale, Workflow, WorkflowPage
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from courses import demo_translations
from courses.demo_content import COURSES, DEMO_COHORT
from courses.models import (
    Cohort,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonCompletion,
    LessonPage,
    ModulePage,
    PrerequisiteWaiver,
)
from courses.review import course_review_assign, course_review_workflow
from courses.trainer_access import course_trainer_access_sync
from library.demo import ensure_locales, ensure_section, ensure_translations
from library.models import HomePage
from network.models import User

# Stable block ids: the same demo content gets the same ids on every machine and every run.
_ID_NAMESPACE = uuid.UUID("5b0b7c1e-6f0a-4d59-9d8c-2f1f5c3f9a10")


def _block_id(*parts: str) -> str:
    return str(uuid.uuid5(_ID_NAMESPACE, "/".join(parts)))


def _question_raw(lesson_slug: str, number: int, question: tuple) -> dict:
    kind, prompt, answer, right, wrong = question
    question_id = _block_id(lesson_slug, "q", str(number))
    value: dict[str, object] = {
        "prompt": prompt,
        "feedback_correct": right,
        "feedback_incorrect": wrong,
    }
    if kind in ("single_choice", "multiple_choice"):
        value["choices"] = [
            {
                "type": "item",
                "value": {"text": choice_text, "correct": correct},
                "id": _block_id(question_id, str(index)),
            }
            for index, (choice_text, correct) in enumerate(answer)
        ]
    elif kind == "true_false":
        value["answer"] = answer
    else:
        value["accepted_answers"] = [
            {"type": "item", "value": accepted, "id": _block_id(question_id, accepted)}
            for accepted in answer
        ]
    return {"type": kind, "value": value, "id": question_id}


def lesson_body(lesson: dict, image: Image | None, document: Document | None) -> str:
    """The lesson's StreamField content as raw JSON, with deterministic block ids."""
    slug = lesson["slug"]
    raw = []
    for index, (block_type, value) in enumerate(lesson["body"]):
        if block_type == "quiz":
            value = {
                **value,
                "questions": [
                    _question_raw(slug, number, question)
                    for number, question in enumerate(value["questions"])
                ],
            }
        raw.append({"type": block_type, "value": value, "id": _block_id(slug, str(index))})
    if image is not None and lesson.get("image"):
        raw.insert(
            1,
            {
                "type": "image",
                "value": {
                    "image": image.pk,
                    "alt_text": "Terraced hillside above a river valley, with forest on the ridge",
                    "caption": "Upstream and downstream share one landscape.",
                },
                "id": _block_id(slug, "image"),
            },
        )
    if document is not None and lesson.get("document"):
        raw.insert(
            1,
            {
                "type": "document",
                "value": {
                    "document": document.pk,
                    "description": "A one-page template to fill in with your group.",
                },
                "id": _block_id(slug, "document"),
            },
        )
    return json.dumps(raw)


def _demo_image() -> Image:
    title = "Demo: terraced landscape"
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    picture = PillowImage.new("RGB", (1200, 600), (46, 110, 70))
    for y in range(0, 600, 40):
        picture.paste((70 + y // 8, 140, 90), (0, y, 1200, y + 20))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=70)
    image = Image(title=title)
    image.file.save("demo-landscape.jpg", ImageFile(buffer, name="demo-landscape.jpg"), save=False)
    image.save()
    return image


def _demo_document() -> Document:
    title = "Stakeholder map template"
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    document = Document(title=title)
    document.file.save(
        "stakeholder-map-template.txt",
        ContentFile(b"Stakeholder | Interest (1-5) | Influence (1-5) | How to involve them\n"),
        save=False,
    )
    document.save()
    return document


def _publish(page, user: User | None) -> None:
    # The demo stands in for an approved review: published without a user, so no permission
    # check stops it (a trainer may not publish by themself).
    page.save_revision(user=user).publish()


def _ensure_course(catalogue: CourseIndexPage, spec: dict, trainer, image, document) -> CoursePage:
    course = CoursePage.objects.child_of(catalogue).filter(slug=spec["slug"]).first()
    if course is not None:
        return course
    course = CoursePage(
        title=spec["title"],
        slug=spec["slug"],
        summary=spec["summary"],
        learning_outcomes=spec["outcomes"],
        level=spec["level"],
        estimated_hours=spec["hours"],
        enrolment_mode=spec["mode"],
        cover_image=image,
        owner=trainer,
    )
    catalogue.add_child(instance=course)
    course.tags.add(*spec["tags"])
    if trainer is not None:
        course.trainers.add(trainer)
    for prerequisite_slug in spec.get("prerequisites", []):
        prerequisite = CoursePage.objects.child_of(catalogue).filter(slug=prerequisite_slug).first()
        if prerequisite:
            course.prerequisites.add(prerequisite)
    _publish(course, trainer)
    for module_spec in spec["modules"]:
        module = course.add_child(
            instance=ModulePage(title=module_spec["title"], slug=module_spec["slug"], owner=trainer)
        )
        _publish(module, trainer)
        for lesson_spec in module_spec["lessons"]:
            lesson = module.add_child(
                instance=LessonPage(
                    title=lesson_spec["title"],
                    slug=lesson_spec["slug"],
                    estimated_minutes=lesson_spec["minutes"],
                    body=lesson_body(lesson_spec, image, document),
                    owner=trainer,
                )
            )
            _publish(lesson, trainer)
    return course


def _ensure_translations(course: CoursePage, phrasebook: dict, trainer) -> None:
    """Translate the course, its modules and lessons into every language of the phrasebook
    through wagtail-localize (its ``TranslationSource``, ``StringTranslation`` and
    ``Translation.save_target``), rather than by copying pages and setting fields: the
    translations are then the records its editor shows and edits, its progress reads them,
    and an English edit shows them out of date.

    Idempotent: a language whose translation exists already is left as it is. A copy made
    before wagtail-localize (the half-translated Spanish course of earlier demos) is updated
    in place: wagtail-localize finds it by its translation key."""
    locales = {code: Locale.objects.get(language_code=code) for code in demo_translations.LANGUAGES}
    for page in [course, *course.get_descendants().order_by("path").specific()]:
        source, _created = TranslationSource.get_or_create_from_instance(page)
        segments = list(
            StringSegment.objects.filter(source=source).select_related("string", "context")
        )
        for code, locale in locales.items():
            translation, created = Translation.objects.get_or_create(
                source=source, target_locale=locale
            )
            if not created and page.has_translation(locale):
                continue
            for segment in segments:
                english = segment.string.data
                words = (
                    english  # slugs stay English: the demo's addresses do not change
                    if segment.context.path == "slug"
                    else demo_translations.translated(english, code, phrasebook)
                )
                StringTranslation.objects.update_or_create(
                    translation_of=segment.string,
                    locale=locale,
                    context=segment.context,
                    defaults={
                        "data": words,
                        "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                        "last_translated_by": trainer,
                        "has_error": False,
                    },
                )
            # A draft, then published here: ``publish=True`` publishes on commit, which never
            # comes when the demo is seeded inside a test's transaction.
            translation.save_target(user=trainer, publish=False)
            page.get_translation(locale).get_latest_revision().publish()


def _ensure_workflow(catalogue: CourseIndexPage) -> None:
    """Courses go live only after an editor approves (``courses.review``): the course review
    workflow, or Wagtail's default if that one is missing."""
    if catalogue.get_workflow() is None or course_review_workflow() is not None:
        course_review_assign(catalogue=catalogue)
    if catalogue.get_workflow() is not None:
        return
    workflow = Workflow.objects.filter(active=True).order_by("pk").first()
    if workflow is not None:
        WorkflowPage.objects.get_or_create(page=catalogue, defaults={"workflow": workflow})


def seed(out) -> None:
    home = HomePage.objects.filter(depth=2).order_by("pk").first()
    if home is None:
        return
    locales = ensure_locales()
    catalogue = ensure_section(
        home,
        CourseIndexPage,
        "courses",
        "Courses",
        "<p>Self-paced and cohort courses from the network's training institutes.</p>",
    )
    ensure_translations(catalogue, locales, {"es": "Cursos", "fr": "Cours", "pt": "Cursos"})
    catalogues = list(CourseIndexPage.objects.all())
    for each in catalogues:
        _ensure_workflow(each)

    trainer = User.objects.filter(username="trainer").first()
    image, document = _demo_image(), _demo_document()
    courses = {}
    for spec in COURSES:
        course = _ensure_course(catalogue.specific, spec, trainer, image, document)
        phrasebook = demo_translations.COURSE_TRANSLATIONS.get(spec["slug"])
        if phrasebook is not None:
            _ensure_translations(course, phrasebook, trainer)
        # Publishing syncs it; a course seeded before (and left as it was) is synced here.
        course_trainer_access_sync(course_key=course.translation_key)
        courses[spec["slug"]] = course

    cohort_course = courses[DEMO_COHORT["course"]]
    today = timezone.localdate()
    cohort, _created = Cohort.objects.get_or_create(
        invite_code=DEMO_COHORT["invite_code"],
        defaults={
            "course_key": cohort_course.translation_key,
            "name": DEMO_COHORT["name"],
            "starts_on": today,
            "ends_on": today + datetime.timedelta(days=120),
            "created_by": trainer,
        },
    )

    learner = User.objects.filter(username="learner").first()
    if learner is not None:
        first = courses["starting-a-landscape-partnership"]
        Enrolment.objects.get_or_create(
            user=learner, course_key=first.translation_key, defaults={"enrolled_at": timezone.now()}
        )
        Enrolment.objects.get_or_create(
            user=learner,
            course_key=cohort_course.translation_key,
            defaults={"enrolled_at": timezone.now(), "cohort": cohort},
        )
        # The demo learner may try every course: their trainer waived the prerequisites of the
        # courses that have some (the waiver the course report grants).
        for course in courses.values():
            if course.prerequisites.exists():
                PrerequisiteWaiver.objects.get_or_create(
                    course_key=course.translation_key,
                    user=learner,
                    defaults={"granted_by": trainer, "granted_at": timezone.now()},
                )
        first_lesson = LessonPage.objects.live().descendant_of(first).order_by("path").first()
        if first_lesson is not None:
            LessonCompletion.objects.get_or_create(
                user=learner,
                lesson_key=first_lesson.translation_key,
                defaults={"course_key": first.translation_key, "completed_at": timezone.now()},
            )
    out.write(f"Courses ready: {len(courses)} courses; cohort invite code {cohort.invite_code}.")
