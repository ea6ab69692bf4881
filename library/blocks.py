"""The building blocks of case study and resource bodies.

Few and plain on purpose: each renders to light, accessible HTML that reads well on a phone
without JavaScript, and embeds never autoplay.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

BODY_FEATURES = ["h3", "h4", "bold", "italic", "link", "document-link", "ol", "ul", "blockquote"]


class FigureBlock(blocks.StructBlock):
    image = ImageBlock()
    caption = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "library/blocks/figure.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(max_length=800)
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = pgettext_lazy("body block", "Quote")
        template = "library/blocks/quote.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(help_text=_("A YouTube, Vimeo or other oEmbed link."))
    transcript = blocks.TextBlock(required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "library/blocks/video.html"


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Download")
        template = "library/blocks/download.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        max_length=120, form_classname="title", template="library/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(features=BODY_FEATURES)
    figure = FigureBlock()
    quote = QuoteBlock()
    video = VideoBlock()
    download = DownloadBlock()
