"""Demo pages: the home page as the site root, with its sections, in every shipped language."""

from __future__ import annotations

from django.conf import settings
from wagtail.models import Locale, Page, Site

from library.models import CaseStudyIndexPage, HomePage, ResourceIndexPage

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


def seed(out) -> None:
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
