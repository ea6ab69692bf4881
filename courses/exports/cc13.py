"""A course as an IMS Common Cartridge 1.3 package.

The organisation is the course (one root item, as CC asks), each module an item holding its
lessons; each lesson is web content (``lessons/lesson-N.html``, the site's stylesheets and its
media under ``web_resources/``), and each of its quizzes follows it as a QTI 1.2 assessment in
CC's profile (``imsqti_xmlv1p2/imscc_xmlv1p3/assessment``). Our four question kinds map onto
CC's: single choice -> ``cc.multiple_choice.v0p1``, multiple choice ->
``cc.multiple_response.v0p1``, true/false -> ``cc.true_false.v0p1``, short answer ->
``cc.fib.v0p1``. A quiz with a question kind CC has no profile for becomes a web link
(``imswl_xmlv1p3``) to its lesson on the site, and the course's own page is linked at the end.

What CC cannot say: our short answers match ignoring accents and punctuation, while QTI's
``varequal case="No"`` ignores case only, so each accepted answer is written as typed and in
its normalised form; the pass mark has no place in CC's QTI profile and is left out; the
attempt limit is ``cc_maxattempts``.

No registry ships the CC 1.3 schema files, so the tests read the package back instead of
validating it against them (see docs/design-notes.md).
"""

from __future__ import annotations

from typing import BinaryIO
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from courses.exports.content import CourseExport, ExportLesson, ExportModule
from courses.exports.packaging import XSI, Package, lesson_page, sub
from courses.grading import Question, QuestionKind, Quiz, normalise

CP = "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1"
LOM_MANIFEST = "http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest"
QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
WEBLINK = "http://www.imsglobal.org/xsd/imsccv1p3/imswl_v1p3"
PROFILE = "http://www.imsglobal.org/profile/cc/ccv1p3"
SCHEMA_LOCATION = (
    f"{CP} {PROFILE}/ccv1p3_imscp_v1p2_v1p0.xsd "
    f"{LOM_MANIFEST} {PROFILE}/LOM/ccv1p3_lommanifest_v1p0.xsd"
)
QTI_SCHEMA_LOCATION = f"{QTI} {PROFILE}/ccv1p3_qtiasiv1p2p1_v1p0.xsd"
WEBLINK_SCHEMA_LOCATION = f"{WEBLINK} {PROFILE}/ccv1p3_imswl_v1p3.xsd"
MEDIA_DIR = "web_resources"
ASSESSMENT_TYPE = "imsqti_xmlv1p2/imscc_xmlv1p3/assessment"
WEBLINK_TYPE = "imswl_xmlv1p3"
#: Our question kinds and CC's QTI profiles for them.
PROFILES = {
    QuestionKind.SINGLE_CHOICE: "cc.multiple_choice.v0p1",
    QuestionKind.MULTIPLE_CHOICE: "cc.multiple_response.v0p1",
    QuestionKind.TRUE_FALSE: "cc.true_false.v0p1",
    QuestionKind.SHORT_ANSWER: "cc.fib.v0p1",
}
RESPONSE = "response1"

ElementTree.register_namespace("lomimscc", LOM_MANIFEST)
ElementTree.register_namespace("xsi", XSI)


def _c(tag: str) -> str:
    return f"{{{CP}}}{tag}"


def _q(tag: str) -> str:
    return f"{{{QTI}}}{tag}"


def maps_to_cc(quiz: Quiz) -> bool:
    return all(question.kind in PROFILES for question in quiz.questions)


def _metadata_field(parent: ElementTree.Element, label: str, entry: str) -> None:
    field = sub(parent, _q("qtimetadatafield"))
    sub(field, _q("fieldlabel"), label)
    sub(field, _q("fieldentry"), entry)


def _material(parent: ElementTree.Element, text: str) -> None:
    sub(sub(parent, _q("material")), _q("mattext"), text, {"texttype": "text/plain"})


def _item(section: ElementTree.Element, question: Question, number: int) -> None:
    item = sub(section, _q("item"), attributes={"ident": question.id, "title": str(number)})
    _metadata_field(
        sub(sub(item, _q("itemmetadata")), _q("qtimetadata")), "cc_profile", PROFILES[question.kind]
    )
    presentation = sub(item, _q("presentation"))
    _material(presentation, question.prompt)
    if question.kind is QuestionKind.SHORT_ANSWER:
        response = sub(
            presentation,
            _q("response_str"),
            attributes={"ident": RESPONSE, "rcardinality": "Single"},
        )
        sub(sub(response, _q("render_fib")), _q("response_label"), attributes={"ident": "answer"})
    else:
        cardinality = "Multiple" if question.kind is QuestionKind.MULTIPLE_CHOICE else "Single"
        response = sub(
            presentation,
            _q("response_lid"),
            attributes={"ident": RESPONSE, "rcardinality": cardinality},
        )
        render = sub(response, _q("render_choice"))
        for choice in question.choices:
            _material(
                sub(render, _q("response_label"), attributes={"ident": choice.id}), choice.text
            )

    processing = sub(item, _q("resprocessing"))
    sub(
        sub(processing, _q("outcomes")),
        _q("decvar"),
        attributes={"varname": "SCORE", "vartype": "Decimal", "minvalue": "0", "maxvalue": "100"},
    )
    condition = sub(processing, _q("respcondition"), attributes={"continue": "No"})
    variables = sub(condition, _q("conditionvar"))
    if question.kind is QuestionKind.SHORT_ANSWER:
        accepted: list[str] = []
        for answer in question.accepted_answers:
            for form in (answer.strip(), normalise(answer)):
                if form and form not in accepted:
                    accepted.append(form)
        target = sub(variables, _q("or")) if len(accepted) > 1 else variables
        for answer in accepted:
            sub(target, _q("varequal"), answer, {"respident": RESPONSE, "case": "No"})
    elif question.kind is QuestionKind.MULTIPLE_CHOICE:
        both = sub(variables, _q("and"))
        for choice in question.choices:
            if choice.correct:
                sub(both, _q("varequal"), choice.id, {"respident": RESPONSE})
            else:
                sub(sub(both, _q("not")), _q("varequal"), choice.id, {"respident": RESPONSE})
    else:
        right = next(choice for choice in question.choices if choice.correct)
        sub(variables, _q("varequal"), right.id, {"respident": RESPONSE})
    sub(condition, _q("setvar"), "100", {"action": "Set", "varname": "SCORE"})
    if question.feedback_correct:
        sub(
            condition,
            _q("displayfeedback"),
            attributes={"feedbacktype": "Response", "linkrefid": "correct_fb"},
        )
    if question.feedback_incorrect:
        otherwise = sub(processing, _q("respcondition"), attributes={"continue": "Yes"})
        sub(sub(otherwise, _q("conditionvar")), _q("other"))
        sub(
            otherwise,
            _q("displayfeedback"),
            attributes={"feedbacktype": "Response", "linkrefid": "general_incorrect_fb"},
        )
    for ident, text in (
        ("correct_fb", question.feedback_correct),
        ("general_incorrect_fb", question.feedback_incorrect),
    ):
        if text:
            feedback = sub(item, _q("itemfeedback"), attributes={"ident": ident})
            _material(sub(feedback, _q("flow_mat")), text)


def assessment(quiz_id: str, quiz: Quiz, identifier: str) -> ElementTree.Element:
    """One quiz as a QTI 1.2 assessment in CC's profile."""
    root = ElementTree.Element(
        _q("questestinterop"), {f"{{{XSI}}}schemaLocation": QTI_SCHEMA_LOCATION}
    )
    test = sub(root, _q("assessment"), attributes={"ident": identifier, "title": quiz.title})
    metadata = sub(test, _q("qtimetadata"))
    _metadata_field(metadata, "cc_profile", "cc.exam.v0p1")
    _metadata_field(metadata, "qmd_assessmenttype", "Examination")
    _metadata_field(metadata, "qmd_scoretype", "Percentage")
    _metadata_field(
        metadata, "cc_maxattempts", str(quiz.max_attempts) if quiz.max_attempts else "unlimited"
    )
    section = sub(test, _q("section"), attributes={"ident": f"section-{quiz_id}"})
    for number, question in enumerate(quiz.questions, start=1):
        _item(section, question, number)
    return root


def weblink(title: str, url: str) -> ElementTree.Element:
    root = ElementTree.Element(
        f"{{{WEBLINK}}}webLink", {f"{{{XSI}}}schemaLocation": WEBLINK_SCHEMA_LOCATION}
    )
    sub(root, f"{{{WEBLINK}}}title", title)
    sub(root, f"{{{WEBLINK}}}url", attributes={"href": url, "target": "_blank"})
    return root


def lesson_html(export: CourseExport, module: ExportModule, lesson: ExportLesson) -> str:
    return lesson_page(export, module, lesson, media_dir=MEDIA_DIR)


def write(export: CourseExport, target: BinaryIO) -> None:
    """Write the cartridge for ``export`` (read in the course's language) into ``target``."""
    # Written after the manifest, which comes first in the zip.
    pending_xml: list[tuple[str, ElementTree.Element, str]] = []
    pending_html: list[tuple[str, str]] = []
    root = ElementTree.Element(
        _c("manifest"),
        {"identifier": export.identifier, f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION},
    )
    metadata = sub(root, _c("metadata"))
    sub(metadata, _c("schema"), "IMS Common Cartridge")
    sub(metadata, _c("schemaversion"), "1.3.0")
    general = sub(sub(metadata, f"{{{LOM_MANIFEST}}}lom"), f"{{{LOM_MANIFEST}}}general")
    title = sub(general, f"{{{LOM_MANIFEST}}}title")
    sub(title, f"{{{LOM_MANIFEST}}}string", export.title, {"language": export.language})
    sub(general, f"{{{LOM_MANIFEST}}}language", export.language)
    description = sub(general, f"{{{LOM_MANIFEST}}}description")
    sub(description, f"{{{LOM_MANIFEST}}}string", export.summary, {"language": export.language})

    organization = sub(
        sub(root, _c("organizations")),
        _c("organization"),
        attributes={"identifier": "organization", "structure": "rooted-hierarchy"},
    )
    course_item = sub(organization, _c("item"), attributes={"identifier": export.identifier})
    sub(course_item, _c("title"), export.title)
    resources = sub(root, _c("resources"))
    shared = list(export.files)

    def add_item(parent, identifier: str, title: str, resource_id: str) -> None:
        item = sub(
            parent, _c("item"), attributes={"identifier": identifier, "identifierref": resource_id}
        )
        sub(item, _c("title"), title)

    def add_link(parent, identifier: str, title: str, url: str) -> None:
        path = f"links/{identifier}.xml"
        resource = sub(
            resources,
            _c("resource"),
            attributes={"identifier": f"resource-{identifier}", "type": WEBLINK_TYPE},
        )
        sub(resource, _c("file"), attributes={"href": path})
        pending_xml.append((path, weblink(title, url), WEBLINK))
        add_item(parent, identifier, title, f"resource-{identifier}")

    for module in export.modules:
        module_item = sub(course_item, _c("item"), attributes={"identifier": module.identifier})
        sub(module_item, _c("title"), module.title)
        for lesson in module.lessons:
            resource_id = f"resource-{lesson.key}"
            resource = sub(
                resources,
                _c("resource"),
                attributes={"identifier": resource_id, "type": "webcontent", "href": lesson.path},
            )
            sub(resource, _c("file"), attributes={"href": lesson.path})
            sub(resource, _c("dependency"), attributes={"identifierref": "shared-files"})
            pending_html.append((lesson.path, lesson_html(export, module, lesson)))
            add_item(module_item, lesson.identifier, lesson.title, resource_id)
            for part in lesson.quizzes:
                identifier = f"quiz-{lesson.key}-{part.quiz_id}"
                if not maps_to_cc(part.quiz):
                    add_link(module_item, identifier, part.quiz.title, lesson.url)
                    continue
                path = f"{identifier}/assessment.xml"
                quiz_resource = sub(
                    resources,
                    _c("resource"),
                    attributes={"identifier": f"resource-{identifier}", "type": ASSESSMENT_TYPE},
                )
                sub(quiz_resource, _c("file"), attributes={"href": path})
                pending_xml.append((path, assessment(part.quiz_id, part.quiz, identifier), QTI))
                add_item(module_item, identifier, part.quiz.title, f"resource-{identifier}")
    add_link(
        course_item,
        f"site-{export.key}",
        _("%(course)s on %(site)s") % {"course": export.title, "site": export.site_name},
        export.url,
    )
    shared_resource = sub(
        resources, _c("resource"), attributes={"identifier": "shared-files", "type": "webcontent"}
    )
    for name in shared:
        sub(shared_resource, _c("file"), attributes={"href": name})
    package = Package(target, published_at=export.published_at)
    package.add_xml("imsmanifest.xml", root, default_namespace=CP)
    for path, element, namespace in pending_xml:
        package.add_xml(path, element, default_namespace=namespace)
    for path, html in pending_html:
        package.add(path, html)
    for name, data in export.files.items():
        package.add(name, data)
    package.close()
