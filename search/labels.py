"""Human labels for facet values (slugs and codes in the index, words on the page)."""

from __future__ import annotations

import functools

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from network.geography import Region
from search.types import FacetValue

KIND_LABELS = {
    "case_study": _("Case study"),
    "resource": _("Resource"),
    "course": _("Course"),
    "lesson": _("Lesson"),
    "topic": _("Forum topic"),
    "post": _("Forum post"),
    "dialogue": _("Live dialogue"),
    "event": _("Event"),
    "partnership": _("Partnership"),
    "organisation": _("Organisation"),
    "project": _("Project seeking finance"),
}
FACET_LABELS = {
    "kind": _("Type"),
    "region": _("Region"),
    "country": _("Country"),
    "theme": _("Theme"),
    "ecosystem": _("Ecosystem"),
    "language": _("Language"),
    "tag": _("Tag"),
    "year": _("Year"),
    "finance": _("Kind of finance"),
    "stage": _("Stage"),
    "sdg": _("Sustainable development goals"),
    "amount": _("Amount sought"),
}


def label_facets(facets: dict[str, list[FacetValue]]) -> list[dict]:
    """The facets as the template shows them: name, label, and labelled values.

    Theme and ecosystem names come from the cached vocabularies (read once until a term
    changes), not from a query per search."""
    from finance import bands
    from finance.models import FinanceKind, ProjectStage
    from library.models import Ecosystem, SustainableDevelopmentGoal, Theme
    from library.selectors import vocabulary

    theme_objects = {term.slug: term.label for term in vocabulary(Theme).values()}
    ecosystem_objects = {term.slug: term.label for term in vocabulary(Ecosystem).values()}
    languages = dict(settings.LANGUAGES)
    regions = dict(Region.choices)

    @functools.cache
    def goal_labels() -> dict[str, str]:
        """Read only when a goal facet has values to label."""
        return {term.slug: term.label for term in vocabulary(SustainableDevelopmentGoal).values()}

    def label(name: str, value: str) -> str:
        if name == "kind":
            return str(KIND_LABELS.get(value, value))
        if name == "region":
            return str(regions.get(value, value))
        if name == "country":
            return str(countries.name(value) or value)
        if name == "theme":
            return theme_objects.get(value, value)
        if name == "ecosystem":
            return ecosystem_objects.get(value, value)
        if name == "language":
            return str(_(languages[value])) if value in languages else value
        if name == "finance":
            return str(dict(FinanceKind.choices).get(value, value))
        if name == "stage":
            return str(dict(ProjectStage.choices).get(value, value))
        if name == "sdg":
            return goal_labels().get(value, value)
        if name == "amount":
            return bands.label(value)
        return value

    return [
        {
            "name": name,
            "label": FACET_LABELS.get(name, name),
            "values": [
                {
                    "value": v.value,
                    "count": v.count,
                    "selected": v.selected,
                    "label": label(name, v.value),
                }
                for v in values
            ],
        }
        for name, values in facets.items()
        if values
    ]
