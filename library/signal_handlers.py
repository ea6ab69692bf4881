"""Side effects of the library's writes on other apps, through ``network``'s signals (the
library imports no app above it)."""

from __future__ import annotations

from wagtail.signals import page_published

from network.signals import case_study_published


def announce_first_publication(sender, *, instance, revision=None, **kwargs) -> None:
    """A case study linked to a partnership is published for the first time, in the first
    language of its translation group: the partnership's followers are told (once, not again
    for each later edit or translation), unless the page is under a view restriction. Wagtail stamps ``first_published_at`` and
    ``last_published_at`` with the same instant only at a page's first publication."""
    from library.models import CaseStudyPage

    if not instance.partnership_id or instance.first_published_at is None:
        return
    if instance.get_view_restrictions().exists():
        return  # followers are told only of what any of them may read
    if instance.first_published_at != instance.last_published_at:
        return
    earlier = CaseStudyPage.objects.filter(
        translation_key=instance.translation_key,
        first_published_at__lt=instance.first_published_at,
    ).exclude(pk=instance.pk)
    if earlier.exists():
        return
    case_study_published.send(
        sender=CaseStudyPage,
        partnership_id=instance.partnership_id,
        page_id=instance.pk,
        actor_id=getattr(revision, "user_id", None),
    )


def connect() -> None:
    from library.models import CaseStudyPage

    page_published.connect(
        announce_first_publication,
        sender=CaseStudyPage,
        dispatch_uid="library.announce_first_publication",
    )
