"""Demo pages: the home page as the site root, with its sections, in every shipped language.

Then the library itself (``library.demo_content``): case studies in four languages, resources
of every type, and generated pictures and files, so listings, facets, the map and the
"your language or English" fallback all have something to show. Everything is looked up
before it is created, so a second run adds nothing.
"""

from __future__ import annotations

import hashlib
import io
import math
import random
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management.base import OutputWrapper
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Locale, Page, Site

from library import demo_content
from library.models import (
    CaseStudyIndexPage,
    CaseStudyOutcome,
    CaseStudyPage,
    Ecosystem,
    HomePage,
    ResourceIndexPage,
    ResourcePage,
    SustainableDevelopmentGoal,
    Theme,
)
from network.models import LandscapePartnership, Organisation

IMAGE_SIZE = (1200, 675)

HOME_TEXT = {
    "en": (
        "Landscape Commons",
        "<p>Learn, share and act together for healthy landscapes: courses, case studies and conversations from landscape partnerships around the world.</p>",
    ),
    "es": (
        "Landscape Commons",
        "<p>Aprender, compartir y actuar juntos por paisajes sanos: cursos, estudios de caso y conversaciones de alianzas de paisaje de todo el mundo.</p>",
    ),
    "fr": (
        "Landscape Commons",
        "<p>Apprendre, partager et agir ensemble pour des paysages sains : cours, études de cas et échanges entre partenariats de paysage du monde entier.</p>",
    ),
    "pt": (
        "Landscape Commons",
        "<p>Aprender, partilhar e agir juntos por paisagens saudáveis: cursos, estudos de caso e conversas de parcerias de paisagem de todo o mundo.</p>",
    ),
}


def ensure_locales() -> dict[str, Locale]:
    return {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code, _name in settings.LANGUAGES
    }


def ensure_home() -> HomePage:
    """Make a HomePage the default site's root, replacing Wagtail's placeholder welcome page."""
    site = Site.objects.filter(is_default_site=True).first()
    home = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    if home is None:
        root = Page.get_first_root_node()
        for placeholder in root.get_children().filter(slug="home").exact_type(Page):
            placeholder.delete()
        title, intro = HOME_TEXT["en"]
        home = root.add_child(instance=HomePage(title=title, slug="home", intro=intro))
        home.save_revision().publish()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    if site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Landscape Commons"
        site.save()
    return home


def ensure_section(home: HomePage, model, slug: str, title: str, intro: str) -> Page:
    existing = model.objects.child_of(home).filter(slug=slug).first()
    if existing:
        return existing
    page = home.add_child(instance=model(title=title, slug=slug, intro=intro, show_in_menus=True))
    page.save_revision().publish()
    return page


def ensure_translations(page: Page, locales: dict[str, Locale], titles: dict[str, str]) -> None:
    """Publish a copy of the page in each other language, with its translated title."""
    for code, locale in locales.items():
        if code == page.locale.language_code or page.has_translation(locale):
            continue
        copy = page.copy_for_translation(locale)
        copy.title = titles.get(code, page.title)
        if isinstance(copy, HomePage) and code in HOME_TEXT:
            copy.intro = HOME_TEXT[code][1]
        copy.save_revision().publish()


def seed(out: OutputWrapper) -> None:
    locales = ensure_locales()
    home = ensure_home()
    ensure_translations(home, locales, {code: text[0] for code, text in HOME_TEXT.items()})
    case_studies = ensure_section(
        home,
        CaseStudyIndexPage,
        "case-studies",
        "Case studies",
        "<p>What landscape partnerships have tried, measured and learned.</p>",
    )
    ensure_translations(
        case_studies,
        locales,
        {"es": "Estudios de caso", "fr": "Études de cas", "pt": "Estudos de caso"},
    )
    resources = ensure_section(
        home,
        ResourceIndexPage,
        "resources",
        "Resources",
        "<p>Guides, tools, reports, videos and datasets for landscape practitioners.</p>",
    )
    ensure_translations(
        resources, locales, {"es": "Recursos", "fr": "Ressources", "pt": "Recursos"}
    )
    out.write(f"Home page and library sections ready at {home.url or '/'}.")
    seed_library(out, locales)


# --- Generated pictures and files ---------------------------------------------------------


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return (int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16))


def _ridge(rng: random.Random, base: float, amplitude: float) -> list[tuple[float, float]]:
    """A skyline of summed sine waves: hills that look drawn, not random noise."""
    width, height = IMAGE_SIZE
    waves = [(rng.uniform(0.8, 2.5), rng.uniform(0, math.tau), rng.uniform(0.3, 1)) for _ in "abc"]
    points = []
    for x in range(0, width + 20, 20):
        y = base + sum(
            amplitude * weight * math.sin(frequency * math.tau * x / width + phase)
            for frequency, phase, weight in waves
        ) / len(waves)
        points.append((x, y))
    return [*points, (width, height), (0, height)]


def draw_landscape(key: str, colours: list[str], shape: str) -> bytes:
    """Draw a small, light JPEG landscape so the demo has pictures without shipping any."""
    rng = random.Random(key)  # noqa: S311 -- decoration, not security
    sky_top, sky_bottom, far, near, ground, sun = (_rgb(colour) for colour in colours)
    width, height = IMAGE_SIZE
    picture = PillowImage.new("RGB", IMAGE_SIZE)
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(sky_top, sky_bottom, strict=True)),
        )
    sun_x, sun_y = rng.randint(150, width - 150), rng.randint(90, 200)
    draw.ellipse([sun_x - 55, sun_y - 55, sun_x + 55, sun_y + 55], fill=sun)
    draw.polygon(_ridge(rng, height * 0.45, 90), fill=far)
    draw.polygon(_ridge(rng, height * 0.62, 60), fill=near)
    draw.polygon(_ridge(rng, height * 0.8, 25), fill=ground)
    if shape == "river":  # a meander that widens towards the viewer
        top = round(height * 0.6)
        for y in range(top, height, 3):
            t = (y - top) / (height - top)
            x = width / 2 + 160 * t * math.sin(t * 5)
            half = 6 + 120 * t
            draw.ellipse([x - half, y - 4, x + half, y + 4], fill=sky_bottom)
    elif shape == "coast":
        draw.rectangle([0, height * 0.82, width, height], fill=ground)
        for x in range(0, width, 46):
            draw.ellipse([x, height * 0.74, x + 70, height * 0.84], fill=near)
    elif shape in {"forest", "trees", "palms"}:
        count = {"forest": 60, "trees": 9, "palms": 14}[shape]
        spots = sorted(
            (rng.randint(round(height * 0.66), height - 40), rng.randint(0, width))
            for _ in range(count)
        )
        for y, x in spots:  # far to near, so nearer trees overlap farther ones
            if shape == "forest":
                draw.polygon([(x, y - 90), (x - 28, y), (x + 28, y)], fill=(30, 62, 42))
            elif shape == "trees":
                draw.rectangle([x - 6, y - 40, x + 6, y], fill=(70, 52, 36))
                draw.ellipse([x - 70, y - 110, x + 70, y - 30], fill=(92, 106, 58))
            else:
                draw.line([(x, y), (x + 12, y - 120)], fill=(92, 64, 40), width=8)
                for angle in range(0, 360, 45):
                    tip = (
                        x + 12 + 55 * math.cos(math.radians(angle)),
                        y - 120 + 25 * math.sin(math.radians(angle)),
                    )
                    draw.line([(x + 12, y - 120), tip], fill=(60, 110, 50), width=6)
    else:  # hills: terraces drawn as contour lines
        for offset in range(0, 160, 22):
            draw.line(_ridge(rng, height * 0.68 + offset, 30)[:-2], fill=ground, width=3)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=80, optimize=True)
    return buffer.getvalue()


def ensure_images() -> dict[str, AbstractImage]:
    """One Wagtail image per demo picture, found again by its title."""
    Image = get_image_model()
    images = {}
    for key, spec in demo_content.IMAGES.items():
        image = Image.objects.filter(title=spec["title"]).first()
        if image is None:
            data = draw_landscape(key, spec["colours"], spec["shape"])
            image = Image(
                title=spec["title"],
                file=ImageFile(io.BytesIO(data), name=f"demo-{key}.jpg"),
                file_size=len(data),
                file_hash=hashlib.sha1(data).hexdigest(),  # noqa: S324 -- Wagtail's duplicate check
            )
            image.save()
        images[key] = image
    return images


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def minimal_pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF with the given lines of text: enough for a demo download."""
    text = " T* ".join(f"({_pdf_escape(line)}) Tj" for line in lines)
    stream = f"BT /F1 12 Tf 16 TL 56 780 Td {text} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    output = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    output += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(output)


def ensure_document(spec: dict) -> AbstractDocument:
    """A small generated file as a Wagtail document, found again by its title."""
    Document = get_document_model()
    document = Document.objects.filter(title=spec["title"]).first()
    if document is None:
        if spec["kind"] == "pdf":
            data = minimal_pdf(spec["lines"])
        else:
            data = ("\n".join(spec["lines"]) + "\n").encode()
        document = Document(
            title=spec["title"],
            file=ContentFile(data, name=spec["filename"]),
            file_size=len(data),
            file_hash=hashlib.sha1(data).hexdigest(),  # noqa: S324 -- Wagtail's duplicate check
        )
        document.save()
    return document


# --- Case studies and resources ----------------------------------------------------------


def build_body(blocks: list[tuple], images: dict[str, AbstractImage]) -> list[dict]:
    """Turn the demo's block tuples into StreamField JSON (images by id, rich text as HTML)."""
    body = []
    for block in blocks:
        kind = block[0]
        if kind in {"heading", "paragraph"}:
            value = block[1]
        elif kind == "quote":
            value = {"text": block[1], "attribution": block[2]}
        elif kind == "figure":
            _kind, image_key, alt_text, caption = block
            value = {
                "image": {"image": images[image_key].pk, "alt_text": alt_text, "decorative": False},
                "caption": caption,
            }
        else:
            raise ValueError(f"Unknown demo block type: {kind}")
        body.append({"type": kind, "value": value})
    return body


def _terms(model, slugs: list[str]) -> list:
    return list(model.objects.filter(slug__in=slugs))


def ensure_case_study(
    data: dict, index: CaseStudyIndexPage, images: dict[str, AbstractImage]
) -> bool:
    """Create and publish one case study under its language's index; False if it exists."""
    if CaseStudyPage.objects.child_of(index).filter(slug=data["slug"]).exists():
        return False
    page = CaseStudyPage(
        title=data["title"],
        slug=data["slug"],
        locale=index.locale,
        summary=data["summary"],
        country=data["country"],
        region=data["region"],
        latitude=Decimal(data["latitude"]),
        longitude=Decimal(data["longitude"]),
        area_hectares=Decimal(data["area_hectares"]),
        year=data["year"],
        partnership=LandscapePartnership.objects.filter(slug=data["partnership"]).first()
        if data["partnership"]
        else None,
        hero_image=images[data["hero_image"]] if data["hero_image"] else None,
        body=build_body(data["body"], images),
    )
    page.themes = _terms(Theme, data["themes"])
    page.ecosystems = _terms(Ecosystem, data["ecosystems"])
    page.sdgs = list(SustainableDevelopmentGoal.objects.filter(number__in=data["sdgs"]))
    page.partners = list(Organisation.objects.filter(slug__in=data["partners"]))
    page.outcomes = [
        CaseStudyOutcome(label=label, value=Decimal(value), unit=unit)
        for label, value, unit in data["outcomes"]
    ]
    page.tags.add(*data["tags"])
    index.add_child(instance=page)
    page.save_revision().publish()
    return True


def ensure_spanish_translation(data: dict, source_index: CaseStudyIndexPage, es: Locale) -> bool:
    """Publish a Spanish copy of an English case study: translated title and summary."""
    source = CaseStudyPage.objects.child_of(source_index).filter(slug=data["slug"]).first()
    if source is None or source.has_translation(es):
        return False
    copy = source.copy_for_translation(es)
    copy.title = data["translation_es"]["title"]
    copy.summary = data["translation_es"]["summary"]
    copy.save_revision().publish()
    return True


def ensure_resource(data: dict, index: ResourceIndexPage) -> bool:
    """Create and publish one resource, with its generated file if it has one."""
    if ResourcePage.objects.child_of(index).filter(slug=data["slug"]).exists():
        return False
    page = ResourcePage(
        title=data["title"],
        slug=data["slug"],
        locale=index.locale,
        resource_type=data["resource_type"],
        licence=data["licence"],
        summary=data["summary"],
        publisher=data["publisher"],
        year=data["year"],
        region=data["region"],
        link=data["link"],
        document=ensure_document(data["document"]) if data["document"] else None,
        body=build_body([("paragraph", data["body"])], {}),
    )
    page.themes = _terms(Theme, data["themes"])
    page.ecosystems = _terms(Ecosystem, data["ecosystems"])
    page.tags.add(*data["tags"])
    index.add_child(instance=page)
    page.save_revision().publish()
    return True


def seed_library(out: OutputWrapper, locales: dict[str, Locale]) -> None:
    """Case studies (originals in four languages, three Spanish translations) and resources."""
    images = ensure_images()
    case_study_indexes = {
        code: CaseStudyIndexPage.objects.filter(locale=locale).first()
        for code, locale in locales.items()
    }
    created = sum(
        ensure_case_study(data, case_study_indexes[data["locale"]], images)
        for data in demo_content.CASE_STUDIES
    )
    translated = sum(
        ensure_spanish_translation(data, case_study_indexes[data["locale"]], locales["es"])
        for data in demo_content.CASE_STUDIES
        if "translation_es" in data
    )
    resource_index = ResourceIndexPage.objects.filter(
        locale=locales[settings.LANGUAGE_CODE]
    ).first()
    added = sum(ensure_resource(data, resource_index) for data in demo_content.RESOURCES)
    out.write(
        f"Demo library: {len(demo_content.CASE_STUDIES)} case studies ({created} new), "
        f"{translated} new Spanish translations, {len(demo_content.RESOURCES)} resources "
        f"({added} new), {len(images)} pictures."
    )
