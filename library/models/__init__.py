"""The knowledge library's tables: Wagtail pages and the vocabularies that describe them."""

from library.models.case_studies import CaseStudyOutcome, CaseStudyPage, CaseStudyPageTag
from library.models.pages import CaseStudyIndexPage, HomePage, ResourceIndexPage
from library.models.resources import ResourcePage, ResourcePageTag
from library.models.vocabularies import Ecosystem, SustainableDevelopmentGoal, Theme

__all__ = [
    "CaseStudyIndexPage",
    "CaseStudyOutcome",
    "CaseStudyPage",
    "CaseStudyPageTag",
    "Ecosystem",
    "HomePage",
    "ResourceIndexPage",
    "ResourcePage",
    "ResourcePageTag",
    "SustainableDevelopmentGoal",
    "Theme",
]
