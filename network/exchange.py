"""Export a landscape partnership's content to JSON, and import it back.

For data safety beyond database backups: a partnership can take its own content away, move it
to another installation, or restore it after a mistaken deletion. The file holds the partnership
and its organisation links, its memberships (people by email and username, never by database
id), and the sections other apps register for it (the forums add the private categories,
topics, posts, reactions and live dialogues) — ``network`` never imports those apps: they call
``register_section`` from their ``AppConfig.ready()``.

Import runs in one transaction: a file that is malformed, of an unknown format version, or in
conflict with what is already here (the partnership or one of its forum categories exists)
raises ``ExchangeError`` with a clear message and changes nothing. People in the file who have
no account here are refused by name unless ``create_missing_users`` is set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from network.models import (
    LandscapePartnership,
    Organisation,
    PartnershipMembership,
    User,
)

FORMAT = "landscape-commons/network-export"
FORMAT_VERSION = 1


class ExchangeError(Exception):
    """The file cannot be imported (or the partnership exported); the message says why."""


@dataclass
class ImportContext:
    """What a section needs while importing: the new partnership and people by email."""

    partnership: LandscapePartnership
    users: dict[str, User]
    counts: dict[str, int] = field(default_factory=dict)

    def user(self, email: Any, *, where: str) -> User:
        if not isinstance(email, str) or email.lower() not in self.users:
            raise ExchangeError(f"{where}: unknown person {email!r} (not in the file's people).")
        return self.users[email.lower()]

    def count(self, what: str, number: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + number


@dataclass(frozen=True)
class Section:
    """Another app's part of a partnership's content."""

    name: str
    export: Callable[[LandscapePartnership], dict]
    #: the emails of the people the exported section mentions (so memberships need not)
    people: Callable[[dict], Iterable[str]]
    check_conflicts: Callable[[dict], list[str]]
    load: Callable[[dict, ImportContext], None]


_SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> None:
    _SECTIONS[section.name] = section


# --- Small typed readers: a malformed file fails with where and what --------------------


def require(data: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(data, dict):
        raise ExchangeError(f"{where}: expected an object.")
    if key not in data:
        raise ExchangeError(f"{where}: missing {key!r}.")
    value = data[key]
    if not isinstance(value, kind):
        raise ExchangeError(f"{where}.{key}: expected {_kind_name(kind)}, got {value!r:.60}.")
    return value


def optional(data: dict, key: str, kind: type | tuple[type, ...], where: str, default=None):
    if data.get(key) is None:
        return default
    return require(data, key, kind, where)


def when(value: Any, where: str):
    """An ISO 8601 datetime from the file (timezone-aware), or None."""
    if value is None:
        return None
    try:
        parsed = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:  # well formed but impossible: 2026-13-45
        parsed = None
    if parsed is None:
        raise ExchangeError(f"{where}: not a date and time: {value!r:.60}.")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, timezone.utc)


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _kind_name(kind) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(k.__name__ for k in kinds)


def saved(instance, where: str):
    """``full_clean`` then save, turning validation errors into a message with a place."""
    try:
        instance.full_clean()
    except ValidationError as error:
        raise ExchangeError(f"{where}: {'; '.join(error.messages)}") from error
    instance.save()
    return instance


def _decimal(value: Any, where: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as error:
        raise ExchangeError(f"{where}: not a number: {value!r:.60}.") from error


# --- Export ------------------------------------------------------------------------------


def _person(user: User) -> dict:
    return {"email": user.email.lower(), "username": user.username, "name": user.display_name}


def network_export(*, partnership: LandscapePartnership) -> dict:
    """Everything of ``partnership`` that the site holds, as JSON-ready data.

    Deterministic (ordered, no database ids), so export → import → export gives the same file.
    """
    memberships = partnership.memberships.select_related("user").order_by("user__email")
    sections = {name: section.export(partnership) for name, section in sorted(_SECTIONS.items())}
    emails = {m.user.email.lower() for m in memberships}
    for name, section in _SECTIONS.items():
        emails.update(email.lower() for email in section.people(sections[name]))
    people = User.objects.filter(email__in=emails).order_by("email")
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "partnership": {
            "name": partnership.name,
            "slug": partnership.slug,
            "country": str(partnership.country),
            "region": partnership.region,
            "latitude": _text(partnership.latitude),
            "longitude": _text(partnership.longitude),
            "area_hectares": _text(partnership.area_hectares),
            "description": partnership.description,
            "website": partnership.website,
            "contact_email": partnership.contact_email,
            "created_at": iso(partnership.created_at),
        },
        "organisations": [
            {
                "slug": organisation.slug,
                "name": organisation.name,
                "type": organisation.type,
                "country": str(organisation.country),
                "website": organisation.website,
                "description": organisation.description,
            }
            for organisation in partnership.organisations.order_by("slug")
        ],
        "people": [_person(user) for user in people],
        "memberships": [
            {"email": m.user.email.lower(), "role": m.role, "joined_at": iso(m.joined_at)}
            for m in memberships
        ],
        "sections": sections,
    }


def _text(value) -> str | None:
    return None if value is None else str(value)


# --- Import ------------------------------------------------------------------------------


@dataclass
class ImportReport:
    partnership: LandscapePartnership
    created_users: list[str]
    counts: dict[str, int]


def _nul_at(data: Any, where: str) -> str | None:
    """Where the first NUL character of the file is (no database text column holds one:
    PostgreSQL refuses it outright), or None."""
    if isinstance(data, str):
        return where if "\x00" in data else None
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    for key, value in items:
        if isinstance(key, str) and "\x00" in key:
            return where
        found = _nul_at(value, f"{where}.{key}" if isinstance(key, str) else f"{where}[{key}]")
        if found is not None:
            return found
    return None


def _check_envelope(data: Any) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExchangeError(f"This is not a Landscape Commons network export (format {FORMAT!r}).")
    nul = _nul_at(data, "file")
    if nul is not None:
        raise ExchangeError(f"{nul}: contains a NUL character.")
    version = data.get("version")
    if version != FORMAT_VERSION:
        raise ExchangeError(
            f"Export format version {version!r} is not supported here (this site reads "
            f"version {FORMAT_VERSION}); export it again from an up-to-date site."
        )
    unknown = set(require(data, "sections", dict, "file")) - set(_SECTIONS)
    if unknown:
        raise ExchangeError(
            f"The file has content this site cannot hold: {', '.join(sorted(unknown))}."
        )


def _people(data: dict, *, create_missing_users: bool) -> tuple[dict[str, User], list[str]]:
    entries = require(data, "people", list, "file")
    wanted: dict[str, dict] = {}
    for index, entry in enumerate(entries):
        where = f"people[{index}]"
        email = require(entry, "email", str, where).strip().lower()
        if not email:
            raise ExchangeError(f"{where}: empty email.")
        wanted[email] = entry
    found = {user.email.lower(): user for user in User.objects.filter(email__in=list(wanted))}
    missing = sorted(set(wanted) - set(found))
    if missing and not create_missing_users:
        raise ExchangeError(
            "These people have no account on this site: "
            + ", ".join(missing)
            + ". Create their accounts first, or import with --create-missing-users."
        )
    created = []
    for email in missing:
        entry = wanted[email]
        username = optional(entry, "username", str, "people", default="") or email.split("@")[0]
        if User.objects.filter(username=username).exists():
            username = f"{username}-{User.objects.count() + 1}"
        user = User(username=username, email=email, display_name=entry.get("name") or "")
        user.set_unusable_password()  # they choose one with "forgot password"
        found[email] = saved(user, f"people[{email}]")
        created.append(email)
    return found, created


def _conflicts(data: dict) -> list[str]:
    slug = require(data["partnership"], "slug", str, "partnership")
    problems = []
    if LandscapePartnership.objects.filter(slug=slug).exists():
        problems.append(f"a partnership with the slug {slug!r} already exists")
    for name, section in _SECTIONS.items():
        if name in data["sections"]:
            problems.extend(section.check_conflicts(data["sections"][name]))
    return problems


@transaction.atomic
def network_import(*, data: Any, create_missing_users: bool = False) -> ImportReport:
    """Create the partnership and its content from an export; all or nothing."""
    _check_envelope(data)
    source = require(data, "partnership", dict, "file")
    problems = _conflicts(data)
    if problems:
        raise ExchangeError(
            "Nothing was imported because "
            + "; ".join(problems)
            + ". Delete or rename what is in the way, then import again."
        )
    users, created_users = _people(data, create_missing_users=create_missing_users)

    where = "partnership"
    partnership = LandscapePartnership(
        name=require(source, "name", str, where),
        slug=require(source, "slug", str, where),
        country=require(source, "country", str, where),
        region=require(source, "region", str, where),
        latitude=_decimal(source.get("latitude"), f"{where}.latitude"),
        longitude=_decimal(source.get("longitude"), f"{where}.longitude"),
        area_hectares=_decimal(source.get("area_hectares"), f"{where}.area_hectares"),
        description=optional(source, "description", str, where, default=""),
        website=optional(source, "website", str, where, default=""),
        contact_email=optional(source, "contact_email", str, where, default=""),
    )
    saved(partnership, where)
    created_at = when(source.get("created_at"), f"{where}.created_at")
    if created_at is not None:  # auto_now_add ignores a value given on create
        LandscapePartnership.objects.filter(pk=partnership.pk).update(created_at=created_at)
        partnership.created_at = created_at
    context = ImportContext(partnership=partnership, users=users)

    for index, entry in enumerate(require(data, "organisations", list, "file")):
        where = f"organisations[{index}]"
        slug = require(entry, "slug", str, where)
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            organisation = saved(
                Organisation(
                    slug=slug,
                    name=require(entry, "name", str, where),
                    type=require(entry, "type", str, where),
                    country=optional(entry, "country", str, where, default=""),
                    website=optional(entry, "website", str, where, default=""),
                    description=optional(entry, "description", str, where, default=""),
                ),
                where,
            )
            context.count("organisations created")
        partnership.organisations.add(organisation)
    partnership.save()  # a ParentalManyToManyField is written on save

    for index, entry in enumerate(require(data, "memberships", list, "file")):
        where = f"memberships[{index}]"
        membership = PartnershipMembership(
            partnership=partnership,
            user=context.user(require(entry, "email", str, where), where=where),
            role=require(entry, "role", str, where),
        )
        saved(membership, where)
        joined = when(entry.get("joined_at"), f"{where}.joined_at")
        if joined is not None:  # auto_now_add ignores a value given on create
            PartnershipMembership.objects.filter(pk=membership.pk).update(joined_at=joined)
        context.count("memberships")

    for name, section in sorted(_SECTIONS.items()):
        if name in data["sections"]:
            section.load(data["sections"][name], context)
    return ImportReport(partnership=partnership, created_users=created_users, counts=context.counts)
