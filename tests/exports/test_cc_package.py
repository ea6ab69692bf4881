"""The Common Cartridge 1.3 package, read back: no registry ships the CC 1.3 schema files, so
instead of validating against them this reads the cartridge as an importer would (the
organisation, its resources, each quiz's QTI items) and checks that every lesson and every
question arrived, with the right answers."""

from __future__ import annotations

import pytest

from courses.exports import ExportFormat, cc13
from courses.grading import QuestionKind
from tests.exports.conftest import package_of, xml_of

pytestmark = pytest.mark.django_db

NS = {
    "cp": cc13.CP,
    "lom": cc13.LOM_MANIFEST,
    "qti": cc13.QTI,
    "wl": cc13.WEBLINK,
}


def _title(item) -> str:
    return item.findtext("cp:title", namespaces=NS)


def test_the_manifest_is_well_formed_common_cartridge_13(rich_course):
    package = package_of(rich_course.course, ExportFormat.CC13)
    assert package.namelist()[0] == "imsmanifest.xml"
    manifest = xml_of(package, "imsmanifest.xml")  # lxml raises on anything not well-formed
    assert manifest.tag == f"{{{cc13.CP}}}manifest"
    assert manifest.findtext("cp:metadata/cp:schema", namespaces=NS) == "IMS Common Cartridge"
    assert manifest.findtext("cp:metadata/cp:schemaversion", namespaces=NS) == "1.3.0"
    general = manifest.find("cp:metadata/lom:lom/lom:general", NS)
    assert general.findtext("lom:title/lom:string", namespaces=NS) == rich_course.course.title
    assert general.findtext("lom:language", namespaces=NS) == "en"
    location = manifest.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation")
    assert "ccv1p3_imscp_v1p2_v1p0.xsd" in location


def test_every_lesson_and_quiz_arrives_in_the_organisation_in_reading_order(rich_course):
    package = package_of(rich_course.course, ExportFormat.CC13)
    manifest = xml_of(package, "imsmanifest.xml")
    organization = manifest.find("cp:organizations/cp:organization", NS)
    assert organization.get("structure") == "rooted-hierarchy"
    (root,) = organization.findall("cp:item", NS)  # CC: one root item
    assert _title(root) == rich_course.course.title
    resources = {
        resource.get("identifier"): resource
        for resource in manifest.findall("cp:resources/cp:resource", NS)
    }
    names = set(package.namelist())
    for resource in resources.values():
        for file in resource.findall("cp:file", NS):
            assert file.get("href") in names
    modules = [item for item in root.findall("cp:item", NS) if item.findall("cp:item", NS)]
    assert [_title(module) for module in modules] == ["Module 1", "Module 2"]
    arrived = []
    for module in modules:
        for item in module.findall("cp:item", NS):
            resource = resources[item.get("identifierref")]
            arrived.append((_title(item), resource.get("type")))
            if resource.get("type") == "webcontent":
                html = package.read(resource.get("href")).decode()
                assert f"<h1>{_title(item)}</h1>" in html
    assert arrived == [
        ("Lesson 1", "webcontent"),
        ("Lesson 2", "webcontent"),
        ("Lesson 3", "webcontent"),
        ("Lesson 4", "webcontent"),
        ("Check your understanding", cc13.ASSESSMENT_TYPE),
    ]
    # The lesson's media sit in web_resources/ and its page points at them.
    lesson = package.read("lessons/lesson-1.html").decode()
    assert 'src="../web_resources/images/' in lesson
    assert 'href="../web_resources/documents/' in lesson
    # The course links back to itself on the site.
    link = root.findall("cp:item", NS)[-1]
    weblink = resources[link.get("identifierref")]
    assert weblink.get("type") == cc13.WEBLINK_TYPE
    target = xml_of(package, weblink.find("cp:file", NS).get("href"))
    assert target.find("wl:url", NS).get("href") == rich_course.course.full_url


def _items(rich_course):
    package = package_of(rich_course.course, ExportFormat.CC13)
    (name,) = [name for name in package.namelist() if name.endswith("/assessment.xml")]
    assessment = xml_of(package, name)
    return assessment, {item.get("ident"): item for item in assessment.iter(f"{{{cc13.QTI}}}item")}


def _profile(item) -> str:
    return item.findtext(
        ".//qti:qtimetadatafield[qti:fieldlabel='cc_profile']/qti:fieldentry", namespaces=NS
    )


def _right_condition(item):
    return item.find("qti:resprocessing/qti:respcondition[qti:setvar='100']/qti:conditionvar", NS)


def test_each_question_arrives_as_qti_in_ccs_profile_with_its_right_answers(rich_course):
    assessment, items = _items(rich_course)
    test = assessment.find("qti:assessment", NS)
    fields = {
        field.findtext("qti:fieldlabel", namespaces=NS): field.findtext(
            "qti:fieldentry", namespaces=NS
        )
        for field in test.findall("qti:qtimetadata/qti:qtimetadatafield", NS)
    }
    assert fields["cc_profile"] == "cc.exam.v0p1"
    assert fields["cc_maxattempts"] == "3"
    assert list(items) == ["q-single", "q-multi", "q-tf", "q-short"]

    single = items["q-single"]
    assert _profile(single) == "cc.multiple_choice.v0p1"
    assert single.find(".//qti:response_lid", NS).get("rcardinality") == "Single"
    labels = single.findall(".//qti:response_label", NS)
    assert [label.get("ident") for label in labels] == ["a", "b", "c"]
    assert [label.findtext(".//qti:mattext", namespaces=NS) for label in labels] == [
        "Answer a",
        "Answer b",
        "Answer c",
    ]
    assert [v.text for v in _right_condition(single).iter(f"{{{cc13.QTI}}}varequal")] == ["b"]

    multi = items["q-multi"]
    assert _profile(multi) == "cc.multiple_response.v0p1"
    assert multi.find(".//qti:response_lid", NS).get("rcardinality") == "Multiple"
    both = _right_condition(multi).find("qti:and", NS)
    assert [v.text for v in both.findall("qti:varequal", NS)] == ["a", "c"]
    assert [v.text for v in both.findall("qti:not/qti:varequal", NS)] == ["b"]

    true_false = items["q-tf"]
    assert _profile(true_false) == "cc.true_false.v0p1"
    assert [v.text for v in _right_condition(true_false).iter(f"{{{cc13.QTI}}}varequal")] == [
        "false"
    ]

    short = items["q-short"]
    assert _profile(short) == "cc.fib.v0p1"
    assert short.find(".//qti:response_str/qti:render_fib", NS) is not None
    accepted = _right_condition(short).iter(f"{{{cc13.QTI}}}varequal")
    assert {(v.text, v.get("case")) for v in accepted} == {("paramo", "No")}

    for ident, item in items.items():
        suffix = ident.removeprefix("q-")
        feedback = {
            node.get("ident"): node.findtext(".//qti:mattext", namespaces=NS)
            for node in item.findall("qti:itemfeedback", NS)
        }
        assert feedback == {
            "correct_fb": f"SECRET-RIGHT-{suffix}",
            "general_incorrect_fb": f"SECRET-WRONG-{suffix}",
        }


def test_a_quiz_with_a_question_cc_cannot_express_links_to_its_lesson(rich_course, monkeypatch):
    monkeypatch.delitem(cc13.PROFILES, QuestionKind.SHORT_ANSWER)
    package = package_of(rich_course.course, ExportFormat.CC13)
    manifest = xml_of(package, "imsmanifest.xml")
    assert not [name for name in package.namelist() if name.endswith("assessment.xml")]
    types = [resource.get("type") for resource in manifest.findall("cp:resources/cp:resource", NS)]
    assert cc13.ASSESSMENT_TYPE not in types
    links = [
        xml_of(package, resource.find("cp:file", NS).get("href"))
        for resource in manifest.findall("cp:resources/cp:resource", NS)
        if resource.get("type") == cc13.WEBLINK_TYPE
    ]
    titles_and_urls = {
        (link.findtext("wl:title", namespaces=NS), link.find("wl:url", NS).get("href"))
        for link in links
    }
    assert ("Check your understanding", rich_course.quiz_lesson.full_url) in titles_and_urls
