"""The printable certificate: one page, A4 or Letter, in the learner's language.

fpdf2 lays it out with Debian's DejaVu fonts (``fonts-dejavu-core``; the Makefile and the
image install it) and shapes the text with HarfBuzz, so accents and ligatures come out right
in every language and the text copies back out of the PDF as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils import formats, translation
from django.utils.translation import gettext as _
from fpdf import FPDF

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_FONTS = {
    # Two faces only: embedding (subsetting) a font is most of the rendering time.
    ("sans", ""): "DejaVuSans.ttf",
    ("serif", "B"): "DejaVuSerif-Bold.ttf",
}
PAPER_SIZES = {"a4": "A4", "letter": "Letter"}
#: Where Letter is the usual paper (the rest of the world prints on A4).
LETTER_REGIONS = frozenset(
    {"US", "CA", "MX", "CL", "CO", "CR", "DO", "GT", "PA", "PH", "PR", "SV", "VE"}
)


@dataclass(frozen=True)
class CertificateFacts:
    site_name: str
    learner_name: str
    course_title: str
    issued_at: datetime
    public_id: str
    verify_url: str
    revoked_at: datetime | None = None


def paper_for(*, requested: str, accept_language: str) -> str:
    """``a4`` or ``letter``: the one asked for, else the usual one in the reader's region (the
    first region named in ``Accept-Language``), else A4."""
    if requested.lower() in PAPER_SIZES:
        return requested.lower()
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().replace("_", "-")
        if "-" in tag:
            return "letter" if tag.split("-")[1].upper() in LETTER_REGIONS else "a4"
    return "a4"


def _pdf(paper: str) -> FPDF:
    pdf = FPDF(orientation="portrait", unit="mm", format=PAPER_SIZES[paper])
    for (family, style), name in _FONTS.items():
        path = FONT_DIR / name
        if not path.is_file():
            raise ImproperlyConfigured(
                f"The PDF certificate needs Debian's DejaVu fonts ({path} is missing): "
                "apt-get install fonts-dejavu-core."
            )
        pdf.add_font(family, style, str(path))
    pdf.set_text_shaping(True)
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(20, 20, 20)
    return pdf


def render(facts: CertificateFacts, *, language: str, paper: str) -> bytes:
    """The certificate as PDF bytes."""
    with translation.override(language):
        pdf = _pdf(paper)
        pdf.set_title(_("Certificate of completion") + f": {facts.course_title}")
        pdf.set_author(facts.site_name)
        pdf.set_lang(language)
        pdf.add_page()
        width = pdf.epw
        # A double frame, inside the printer's margins.
        pdf.set_draw_color(46, 93, 67)
        pdf.set_line_width(1.2)
        pdf.rect(12, 12, pdf.w - 24, pdf.h - 24)
        pdf.set_line_width(0.3)
        pdf.rect(15, 15, pdf.w - 30, pdf.h - 30)

        def line(text: str, *, size: float, style: str = "", family: str = "sans", gap: float = 4):
            pdf.set_font(family, style, size)
            pdf.multi_cell(width, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(gap)

        pdf.set_text_color(46, 93, 67)
        pdf.set_y(45)
        line(facts.site_name.upper(), size=12, style="B", family="serif", gap=14)
        pdf.set_text_color(20, 20, 20)
        line(_("Certificate of completion"), size=28, style="B", family="serif", gap=18)
        line(_("This certifies that"), size=13, gap=6)
        line(facts.learner_name, size=24, style="B", family="serif", gap=10)
        line(_("has completed the course"), size=13, gap=6)
        line(facts.course_title, size=19, style="B", family="serif", gap=10)
        issued = formats.date_format(facts.issued_at, "DATE_FORMAT")
        line(_("on %(date)s") % {"date": issued}, size=13, gap=20)
        if facts.revoked_at is not None:
            pdf.set_text_color(170, 20, 20)
            revoked = formats.date_format(facts.revoked_at, "DATE_FORMAT")
            line(
                _("Status: revoked on %(date)s") % {"date": revoked},
                size=14,
                style="B",
                family="serif",
            )
            pdf.set_text_color(20, 20, 20)
        pdf.set_y(pdf.h - 55)
        line(_("Certificate number") + f": {facts.public_id}", size=10, gap=2)
        line(_("Verify at") + f": {facts.verify_url}", size=10, gap=2)
        return bytes(pdf.output())
