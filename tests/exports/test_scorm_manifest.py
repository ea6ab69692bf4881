"""The SCORM 1.2 package: its manifest validates against ADL's SCORM 1.2 schemas (copies in
tests/data/scorm12/, read offline), every lesson is a SCO with its files in the package, the
lessons' pages work away from the site, and the whole package is in the course's language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree
from wagtail.models import Locale

from courses.blocks import quiz_from_block
from courses.exports import ExportFormat, export_course
from courses.exports.scorm12 import ADLCP, CP
from courses.grading import grade
from library.demo import ensure_translations
from tests.courses.conftest import RIGHT, WRONG
from tests.exports.conftest import XML_PARSER, package_of, xml_of

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "scorm12"
NS = {"cp": CP, "adlcp": ADLCP}


class _XmlNamespaceSchema(etree.Resolver):
    """``ims_xml.xsd`` declares the ``xml:`` namespace as its default namespace as well as its
    target, which the XML Namespaces rules forbid and libxml2 refuses to load. Served with that
    one declaration removed: the file declares three attributes (``xml:lang``, ``xml:base``,
    ``xml:link``) typed by ``xsd:`` names only, so no definition changes."""

    def resolve(self, url, pubid, context):
        if url.endswith("/ims_xml.xsd"):
            text = (SCHEMAS / "ims_xml.xsd").read_text()
            declaration = 'xmlns="http://www.w3.org/XML/1998/namespace"'
            assert text.count(declaration) == 1
            return self.resolve_string(text.replace(declaration, "", 1), context)
        return None


def adl_schema() -> etree.XMLSchema:
    """ADL's two SCORM 1.2 packaging namespaces in one schema, each from its local file (the
    content packaging one imports ``ims_xml.xsd``). Their wildcards are
    ``processContents="strict"``: an element of any other namespace in the manifest fails."""
    driver = f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
      <xsd:import namespace="{CP}" schemaLocation="{(SCHEMAS / "imscp_rootv1p1p2.xsd").as_uri()}"/>
      <xsd:import namespace="{ADLCP}" schemaLocation="{(SCHEMAS / "adlcp_rootv1p2.xsd").as_uri()}"/>
    </xsd:schema>"""
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_XmlNamespaceSchema())
    return etree.XMLSchema(etree.fromstring(driver.encode(), parser))


def test_the_manifest_is_valid_against_adls_scorm_12_schemas(rich_course):
    package = package_of(rich_course.course, ExportFormat.SCORM12)
    schema = adl_schema()
    manifest = xml_of(package, "imsmanifest.xml")
    schema.assertValid(manifest)
    # The schemas do reject what SCORM 1.2 does not allow: a SCO type they do not know...
    broken = xml_of(package, "imsmanifest.xml")
    broken.find("cp:resources/cp:resource", NS).set(f"{{{ADLCP}}}scormtype", "lesson")
    assert not schema.validate(broken)
    # ... an adlcp element before the item's title...
    broken = xml_of(package, "imsmanifest.xml")
    mastery = etree.Element(f"{{{ADLCP}}}masteryscore")
    mastery.text = "1"
    broken.find(".//cp:item/cp:item", NS).insert(0, mastery)
    assert not schema.validate(broken)
    # ... an item without its identifier...
    broken = xml_of(package, "imsmanifest.xml")
    del broken.find(".//cp:item", NS).attrib["identifier"]
    assert not schema.validate(broken)
    # ... and an element of a namespace it was not given.
    broken = xml_of(package, "imsmanifest.xml")
    etree.SubElement(broken.find("cp:metadata", NS), "{urn:example}note").text = "?"
    assert not schema.validate(broken)


def test_every_lesson_is_a_sco_in_reading_order_with_every_file_it_needs(rich_course):
    package = package_of(rich_course.course, ExportFormat.SCORM12)
    manifest = xml_of(package, "imsmanifest.xml")
    assert manifest.findtext("cp:metadata/cp:schema", namespaces=NS) == "ADL SCORM"
    assert manifest.findtext("cp:metadata/cp:schemaversion", namespaces=NS) == "1.2"
    organization = manifest.find("cp:organizations/cp:organization", NS)
    assert manifest.find("cp:organizations", NS).get("default") == organization.get("identifier")
    assert organization.findtext("cp:title", namespaces=NS) == rich_course.course.title
    modules = organization.findall("cp:item", NS)
    assert [module.findtext("cp:title", namespaces=NS) for module in modules] == [
        "Module 1",
        "Module 2",
    ]
    lessons = [item for module in modules for item in module.findall("cp:item", NS)]
    assert [item.findtext("cp:title", namespaces=NS) for item in lessons] == [
        lesson.title for lesson in rich_course.lessons
    ]
    resources = {
        resource.get("identifier"): resource
        for resource in manifest.findall("cp:resources/cp:resource", NS)
    }
    names = set(package.namelist())
    listed = set()
    for item in lessons:
        resource = resources[item.get("identifierref")]
        assert resource.get(f"{{{ADLCP}}}scormtype") == "sco"
        assert resource.get("href") in names
        for dependency in resource.findall("cp:dependency", NS):
            assert resources[dependency.get("identifierref")].get(f"{{{ADLCP}}}scormtype") == (
                "asset"
            )
    for resource in resources.values():
        listed |= {file.get("href") for file in resource.findall("cp:file", NS)}
    assert listed <= names
    assert names - listed == {"imsmanifest.xml"}
    # The quiz lesson carries its pass mark for the learning system; the others none.
    mastery = [item.findtext("adlcp:masteryscore", namespaces=NS) for item in lessons]
    assert mastery == [None, None, None, "75"]


def test_a_lesson_page_works_away_from_the_site(rich_course):
    package = package_of(rich_course.course, ExportFormat.SCORM12)
    html = package.read("lessons/lesson-1.html").decode()
    names = set(package.namelist())
    local = re.findall(r'(?:href|src)="\.\./([^"]+)"', html)
    assert any(name.startswith("media/images/") for name in local)
    assert any(name.startswith("media/documents/") for name in local)
    assert {"media/css/site.css", "media/css/courses.css", "media/js/sco.js"} <= set(local)
    assert set(local) <= names
    assert package.read(next(n for n in local if "documents/" in n)) == b"1. Map\n2. Meet\n"
    # No address of the site's own (/documents/..., /courses/...) is left relative.
    assert not re.search(r'(?:href|src)="/', html)
    assert f'href="http://localhost{rich_course.lessons[1].url}"' in html
    assert 'alt="A green hillside"' in html and "TRANSCRIPT-TEXT" in html
    assert "CALLOUT-TITLE" in html and "REFLECTION-PROMPT" in html


def test_the_quiz_is_graded_in_the_package_with_the_answer_key_grading_uses(rich_course):
    package = package_of(rich_course.course, ExportFormat.SCORM12)
    html = package.read("lessons/lesson-4.html").decode()
    data = json.loads(re.search(r'id="sco-data"[^>]*>(.*?)</script>', html, re.S)[1])
    (quiz,) = data["quizzes"]
    definition = quiz_from_block(rich_course.quiz_lesson.quiz_blocks()[0].value)
    assert quiz["pass_mark"] == definition.pass_mark == 75
    key = {question["id"]: question for question in quiz["questions"]}
    for question in definition.questions:
        if question.kind == "short_answer":
            assert key[question.id]["accepted"] == ["paramo"]
        else:
            right = [choice.id for choice in question.choices if choice.correct]
            assert key[question.id]["correct"] == right
    # The answers the browser test gives score here as on the site.
    assert grade(definition, RIGHT).score == 100
    assert grade(definition, WRONG).score == 0


def test_the_same_course_exports_to_the_same_bytes(rich_course, tmp_path):
    first, second = tmp_path / "one.zip", tmp_path / "two.zip"
    for path in (first, second):
        with path.open("wb") as target:
            export_course(
                course=rich_course.course, export_format=ExportFormat.SCORM12, target=target
            )
    assert first.read_bytes() == second.read_bytes()


def _translate_course(built, code: str):
    """The course with its modules and lessons in ``code`` (their words stay English: what a
    translator has not done yet; the package's own words are translated)."""
    locale = Locale.objects.get(language_code=code)
    home = built.course.get_parent().get_parent().specific
    ensure_translations(home, {code: locale}, {})
    ensure_translations(built.course.get_parent().specific, {code: locale}, {})
    course = built.course.copy_for_translation(locale)
    course.title = "Cuencas"
    course.save_revision().publish()
    for module in built.modules:
        module.copy_for_translation(locale).save_revision().publish()
    for lesson in built.lessons:
        lesson.copy_for_translation(locale).save_revision().publish()
    return course


@pytest.mark.parametrize("export_format", list(ExportFormat))
def test_a_translation_exports_in_its_own_language(make_course, trainer, export_format):
    built = make_course(modules=2, lessons=2, trainers=[trainer])
    spanish = _translate_course(built, "es")
    package = package_of(spanish, export_format)
    html = package.read("lessons/lesson-4.html").decode()
    assert '<html lang="es">' in html
    assert "Lección 4 de 4" in html
    assert "Cuencas" in html
    if export_format is ExportFormat.SCORM12:
        assert "Verdadero" in html and "Enviar respuestas" in html
        data = json.loads(re.search(r'id="sco-data"[^>]*>(.*?)</script>', html, re.S)[1])
        assert data["messages"]["answer_missing"] != "Please answer question %(number)d."
    else:
        manifest = xml_of(package, "imsmanifest.xml")
        assert manifest.xpath("string(//*[local-name()='language'])") == "es"
        assessment = next(name for name in package.namelist() if name.endswith("assessment.xml"))
        labels = etree.fromstring(package.read(assessment), XML_PARSER).xpath(
            "//*[local-name()='response_label']//*[local-name()='mattext']/text()"
        )
        assert "Verdadero" in labels
