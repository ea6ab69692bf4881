"""What a partnership and a case study both say about their vocabulary terms, for the API and
the JSON exports: slugs and goal numbers, read from the prefetched relations.

A mixin of ``network`` (the lowest app) so that ``library`` can use it without ``network``
importing ``library``; the models name their relations ``themes``, ``ecosystems`` and ``sdgs``.
"""

from __future__ import annotations


class VocabularyTerms:
    """Read-only term values of a model with ``themes``, ``ecosystems`` and ``sdgs``."""

    @property
    def theme_slugs(self) -> list[str]:
        return [theme.slug for theme in self.themes.all()]

    @property
    def ecosystem_slugs(self) -> list[str]:
        return [ecosystem.slug for ecosystem in self.ecosystems.all()]

    @property
    def sdg_numbers(self) -> list[int]:
        return [goal.number for goal in self.sdgs.all()]
