"""The sections of a partnership's home page that other apps hold.

A partnership's home gathers its private forum and live dialogues (forums), its events
(events), the courses its members take (courses) and its case studies (library). ``network``
imports none of those apps (they depend on it, not the reverse), so each adds its section here
in its ``AppConfig.ready``, as it adds the mail kinds a member may decline
(``network.mail.add_optional_kind``). The page asks every section for its rows with the viewer,
so each app keeps its own visibility rule.

A section is either public (shown to anyone, filtered by what the viewer may see) or for
members only: then it is not read, nor rendered, for anyone who is not a member at this
request. A public section names the page-cache tags its rows depend on, so the page a visitor
is served from the shared cache is dropped when any of them changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


@dataclass(frozen=True)
class PartnershipTerms:
    """The partnership's themes, ecosystems and goals, read once for the page and its
    sections (recommendations are made from them)."""

    themes: list[Any]
    ecosystems: list[Any]
    sdgs: list[Any]

    @property
    def theme_ids(self) -> list[int]:
        return [term.pk for term in self.themes]

    @property
    def ecosystem_ids(self) -> list[int]:
        return [term.pk for term in self.ecosystems]


@dataclass(frozen=True)
class HomeRequest:
    """What a section reads its rows for: who looks, at which partnership, in which language."""

    viewer: AbstractBaseUser | AnonymousUser
    partnership: Any
    language: str
    terms: PartnershipTerms
    is_member: bool


@dataclass(frozen=True)
class HomeSection:
    """One section: ``read`` returns its rows (falsy: the section is left out), ``template``
    shows them (``section`` in its context)."""

    name: str
    template: str
    read: Callable[[HomeRequest], Any]
    members_only: bool = False
    #: the page-cache tags the rows of a public section depend on
    tags: tuple[str, ...] = ()
    #: where it stands on the page, smallest first
    order: int = 100


_SECTIONS: dict[str, HomeSection] = {}


def add_section(section: HomeSection) -> None:
    """Register (or replace, by name) a section of every partnership's home."""
    _SECTIONS[section.name] = section


def sections() -> list[HomeSection]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.name))


def public_tags() -> tuple[str, ...]:
    """Every tag the public sections depend on (a visitor's page declares them all)."""
    return tuple(
        sorted({tag for section in sections() if not section.members_only for tag in section.tags})
    )


@dataclass(frozen=True)
class ReadSection:
    name: str
    template: str
    rows: Any


def read_sections(home: HomeRequest) -> list[ReadSection]:
    """The sections this viewer gets, with their rows; members-only ones only for a member."""
    found = []
    for section in sections():
        if section.members_only and not home.is_member:
            continue
        rows = section.read(home)
        if rows:
            found.append(ReadSection(name=section.name, template=section.template, rows=rows))
    return found
