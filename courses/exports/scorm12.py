"""A course as a SCORM 1.2 package: one SCO per lesson, graded in the browser.

The manifest (``imsmanifest.xml``) follows ADL's SCORM 1.2 content packaging schemas
(``imscp_rootv1p1p2``, ``adlcp_rootv1p2``; the tests validate it against ADL's XSDs): the
organisation holds the course's modules, each module its lessons, each lesson item points at
its SCO resource. A lesson with one quiz carries the quiz's pass mark as
``adlcp:masteryscore``. No IMS metadata (``imsmd``) record: it is optional, and libxml2 cannot
load its 1.2.1 schema (a content model that is not deterministic), so it could not be
checked; the course's language is each SCO's ``<html lang>``.

Each SCO is a static HTML page (``courses/exports/lesson.html``) with the site's stylesheets,
its images and documents in the package, and ``assets/sco.js``: it finds the learning system's
``API``, grades the lesson's quizzes with ``courses.grading``'s rules and reports
``cmi.core.lesson_status`` and ``cmi.core.score``. Grading in the browser means the answer key
travels in the package (there is no server to ask): a package is for the trainers' learning
systems, and only trainers may download it.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from courses.exports.content import CourseExport, ExportLesson, ExportModule
from courses.exports.packaging import XSI, Package, lesson_page, sub
from courses.grading import QuestionKind, Quiz, normalise

CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
SCHEMA_LOCATION = f"{CP} imscp_rootv1p1p2.xsd {ADLCP} adlcp_rootv1p2.xsd"
MEDIA_DIR = "media"
ASSETS = Path(__file__).resolve().parent / "assets"
SCRIPT = f"{MEDIA_DIR}/js/sco.js"
EXPORT_CSS = f"{MEDIA_DIR}/css/export.css"
SHARED_RESOURCE = "shared-files"

ElementTree.register_namespace("adlcp", ADLCP)
ElementTree.register_namespace("xsi", XSI)


def _c(tag: str) -> str:
    return f"{{{CP}}}{tag}"


def quiz_data(quiz_id: str, quiz: Quiz) -> dict[str, object]:
    """What ``sco.js`` grades a quiz with: the choices that are right, the accepted short
    answers already normalised (``courses.grading.normalise``), and the feedback."""
    return {
        "id": quiz_id,
        "title": quiz.title,
        "pass_mark": quiz.pass_mark,
        "max_attempts": quiz.max_attempts,
        "questions": [
            {
                "id": question.id,
                "kind": str(question.kind),
                "correct": [choice.id for choice in question.choices if choice.correct],
                "accepted": sorted({normalise(answer) for answer in question.accepted_answers})
                if question.kind is QuestionKind.SHORT_ANSWER
                else [],
                "feedback_correct": question.feedback_correct,
                "feedback_incorrect": question.feedback_incorrect,
            }
            for question in quiz.questions
        ],
    }


def script_messages() -> dict[str, str]:
    """The words ``sco.js`` shows, in the course's language (placeholders as in gettext)."""
    return {
        "answer_missing": _("Please answer question %(number)d."),
        "right": _("Right."),
        "wrong": _("Not quite."),
        "passed": _("Quiz passed"),
        "not_passed": _("Not passed yet"),
        "score": _("Your score: %(score)s%%"),
        "best": _("Best score: %(score)s%%"),
        "attempts_left": _("%(left)s of %(total)s attempts left"),
        "no_attempts_left": _("You have used all your attempts at this quiz."),
        "no_lms": _(
            "This lesson is not connected to a learning system: your answers are checked "
            "here, but nothing is recorded."
        ),
    }


def lesson_html(export: CourseExport, module: ExportModule, lesson: ExportLesson) -> str:
    return lesson_page(
        export,
        module,
        lesson,
        media_dir=MEDIA_DIR,
        extra_stylesheets=(EXPORT_CSS,),
        scorm=True,
        script=SCRIPT,
        sco_data={
            "quizzes": [quiz_data(part.quiz_id, part.quiz) for part in lesson.quizzes],
            "messages": script_messages(),
        },
    )


def manifest(export: CourseExport, shared_files: list[str]) -> ElementTree.Element:
    root = ElementTree.Element(
        _c("manifest"),
        {
            "identifier": export.identifier,
            "version": "1.0",
            f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION,
        },
    )
    metadata = sub(root, _c("metadata"))
    sub(metadata, _c("schema"), "ADL SCORM")
    sub(metadata, _c("schemaversion"), "1.2")

    organizations = sub(root, _c("organizations"), attributes={"default": "organization"})
    organization = sub(organizations, _c("organization"), attributes={"identifier": "organization"})
    sub(organization, _c("title"), export.title)
    resources = sub(root, _c("resources"))
    for module in export.modules:
        module_item = sub(organization, _c("item"), attributes={"identifier": module.identifier})
        sub(module_item, _c("title"), module.title)
        for lesson in module.lessons:
            resource_id = f"resource-{lesson.key}"
            item = sub(
                module_item,
                _c("item"),
                attributes={"identifier": lesson.identifier, "identifierref": resource_id},
            )
            sub(item, _c("title"), lesson.title)
            if len(lesson.quizzes) == 1:
                sub(item, f"{{{ADLCP}}}masteryscore", str(lesson.quizzes[0].quiz.pass_mark))
            resource = sub(
                resources,
                _c("resource"),
                attributes={
                    "identifier": resource_id,
                    "type": "webcontent",
                    f"{{{ADLCP}}}scormtype": "sco",
                    "href": lesson.path,
                },
            )
            sub(resource, _c("file"), attributes={"href": lesson.path})
            sub(resource, _c("dependency"), attributes={"identifierref": SHARED_RESOURCE})
    shared = sub(
        resources,
        _c("resource"),
        attributes={
            "identifier": SHARED_RESOURCE,
            "type": "webcontent",
            f"{{{ADLCP}}}scormtype": "asset",
        },
    )
    for name in shared_files:
        sub(shared, _c("file"), attributes={"href": name})
    return root


def write(export: CourseExport, target: BinaryIO) -> None:
    """Write the package for ``export`` (read in the course's language) into ``target``."""
    package = Package(target, published_at=export.published_at)
    files = {
        **export.files,
        EXPORT_CSS: (ASSETS / "export.css").read_bytes(),
        SCRIPT: (ASSETS / "sco.js").read_bytes(),
    }
    package.add_xml("imsmanifest.xml", manifest(export, list(files)), default_namespace=CP)
    for module in export.modules:
        for lesson in module.lessons:
            package.add(lesson.path, lesson_html(export, module, lesson))
    for name, data in files.items():
        package.add(name, data)
    package.close()
