"""Demo people: one account per role, with passwords printed for the demo only.

Also the network around them (organisations, landscape partnerships and more members, from
``network.demo_content``), so member lists, maps and private spaces have something to show.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.core.management.base import OutputWrapper

from network import boundaries, demo_content
from network.models import (
    JoinRequest,
    LandscapePartnership,
    Organisation,
    OrganisationMembership,
    PartnershipMembership,
    ProfileVisibility,
    User,
)
from network.roles import Role
from network.services import partnership_membership_add, user_add_role

DEMO_USERS = [
    # username, display name, role, country, organisation
    ("learner", "Amina Learner", Role.LEARNER, "KE", "Kijabe Farmers' Group"),
    ("trainer", "Tomás Trainer", Role.TRAINER, "PE", "Andean Landscapes Institute"),
    ("moderator", "Mei Moderator", Role.MODERATOR, "ID", "Borneo Watershed Forum"),
    ("editor", "Eduardo Editor", Role.EDITOR, "BR", "Landscape Commons"),
]
DEMO_PASSWORD_SUFFIX = "-demo-2026"  # noqa: S105 -- demo only: printed below, refused in production


def _ensure_user(username: str, **fields) -> tuple[User, str]:
    email = f"{username}@example.org"
    password = f"{username}{DEMO_PASSWORD_SUFFIX}"
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": email, **fields}
    )
    if created:
        user.set_password(password)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, password


def ensure_organisations() -> dict[str, Organisation]:
    """Create the demo organisations once; later runs leave editors' changes alone."""
    organisations = {}
    for data in demo_content.ORGANISATIONS:
        organisations[data["slug"]], _created = Organisation.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "type": data["type"],
                "country": data["country"],
                "description": data["description"],
                "website": f"https://example.org/organisations/{data['slug']}/",
            },
        )
    return organisations


def ensure_partnerships(
    organisations: dict[str, Organisation],
) -> dict[str, LandscapePartnership]:
    """Create the demo partnerships and sign their organisations up to them."""
    partnerships = {}
    for data in demo_content.PARTNERSHIPS:
        partnership, _created = LandscapePartnership.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "country": data["country"],
                "region": data["region"],
                "latitude": Decimal(data["latitude"]),
                "longitude": Decimal(data["longitude"]),
                "area_hectares": Decimal(data["area_hectares"]),
                "description": data["description"],
                "website": f"https://example.org/partnerships/{data['slug']}/",
                "contact_email": f"{data['slug']}@example.org",
                "open_to_join": data.get("open_to_join", False),
            },
        )
        wanted = {organisations[slug] for slug in data["organisations"]}
        missing = wanted - set(partnership.organisations.all())
        if missing:
            partnership.organisations.add(*missing)
            partnership.save()
        if partnership.boundary is None:
            describe_landscape(partnership, data)
        partnerships[data["slug"]] = partnership
    return partnerships


def demo_boundary(latitude: float, longitude: float, hectares: float) -> dict:
    """A landscape-like outline around a point: 24 corners on a wobbly circle whose area is
    about ``hectares`` (the wobble is fixed, so every seed draws the same shape)."""
    radius_km = math.sqrt(hectares / 100 / math.pi)
    ring = []
    for corner in range(24):
        angle = 2 * math.pi * corner / 24
        wobble = 1 + 0.18 * math.sin(3 * angle + latitude) + 0.08 * math.cos(5 * angle)
        north_km = radius_km * wobble * math.sin(angle)
        east_km = radius_km * wobble * math.cos(angle)
        ring.append(
            [
                round(longitude + east_km / (111.32 * math.cos(math.radians(latitude))), 5),
                round(latitude + north_km / 110.57, 5),
            ]
        )
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def describe_landscape(partnership: LandscapePartnership, data: dict) -> None:
    """The boundary (validated and measured like an upload), status, year and terms of a
    demo partnership; run once, so an editor's later changes stay."""
    latitude, longitude = float(data["latitude"]), float(data["longitude"])
    boundary = boundaries.parse(
        json.dumps(demo_boundary(latitude, longitude, float(data["area_hectares"]))),
        near=(latitude, longitude),
    )
    landscape = demo_content.LANDSCAPES.get(data["slug"], {})
    partnership.boundary = boundary.geometry
    partnership.boundary_simplified = boundary.simplified()
    partnership.boundary_area_km2 = Decimal(f"{boundary.area_km2:.2f}")
    partnership.status = landscape.get("status", "")
    partnership.year_founded = landscape.get("year_founded")
    for field_name, lookup in (("themes", "slug"), ("ecosystems", "slug"), ("sdgs", "number")):
        terms = LandscapePartnership._meta.get_field(field_name).related_model.objects
        getattr(partnership, field_name).set(
            terms.filter(**{f"{lookup}__in": landscape.get(field_name, [])})
        )
    partnership.save()


def ensure_member(data: dict, organisation: Organisation) -> User:
    """A demo member who cannot log in: an unusable password, but a verified address."""
    email = f"{data['username']}@example.org"
    user, created = User.objects.get_or_create(
        username=data["username"],
        defaults={
            "email": email,
            "display_name": data["display_name"],
            "organisation_name": organisation.name,
            "country": data["country"],
            "languages": data["languages"],
            "bio": data["bio"],
            "profile_visibility": data["visibility"],
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user_add_role(user=user, role=Role.LEARNER)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def join_partnership(user: User, partnership: LandscapePartnership, role: str) -> None:
    """Add a membership only if it is missing, so a rerun announces no change."""
    if not PartnershipMembership.objects.filter(partnership=partnership, user=user).exists():
        partnership_membership_add(partnership=partnership, user=user, role=role)


def ask_to_join(user: User, partnership: LandscapePartnership, message: str) -> None:
    """A waiting request, once: none if the person is already in or has ever asked."""
    if PartnershipMembership.objects.filter(partnership=partnership, user=user).exists():
        return
    JoinRequest.objects.get_or_create(
        partnership=partnership, user=user, defaults={"message": message}
    )


def join_organisation(user: User, organisation: Organisation, role: str, title: str) -> None:
    """Add an organisation membership once; an editor's later change of role is kept."""
    OrganisationMembership.objects.get_or_create(
        organisation=organisation, user=user, defaults={"role": role, "title": title}
    )


def seed_network(out: OutputWrapper) -> None:
    """Organisations, partnerships and their members; runs after the demo logins exist."""
    organisations = ensure_organisations()
    partnerships = ensure_partnerships(organisations)
    for username, slug, role in demo_content.DEMO_LOGIN_MEMBERSHIPS:
        join_partnership(User.objects.get(username=username), partnerships[slug], role)
    for username, slug, role, title in demo_content.DEMO_LOGIN_ORGANISATIONS:
        join_organisation(User.objects.get(username=username), organisations[slug], role, title)
    for data in demo_content.DEMO_MEMBERS:
        organisation = organisations[data["organisation"]]
        user = ensure_member(data, organisation)
        join_organisation(user, organisation, data["organisation_role"], data["title"])
        for slug, role in data["partnerships"]:
            join_partnership(user, partnerships[slug], role)
    for username, slug, message in demo_content.DEMO_JOIN_REQUESTS:
        ask_to_join(User.objects.get(username=username), partnerships[slug], message)
    out.write(
        f"Demo network: {len(organisations)} organisations, {len(partnerships)} partnerships, "
        f"{len(demo_content.DEMO_MEMBERS)} extra members (they cannot log in)."
    )


def seed(out: OutputWrapper) -> None:
    rows = []
    for username, name, role, country, organisation in DEMO_USERS:
        user, password = _ensure_user(
            username,
            display_name=name,
            country=country,
            organisation_name=organisation,
            languages=["en"],
            profile_visibility=ProfileVisibility.PUBLIC,
        )
        user_add_role(user=user, role=Role.LEARNER)
        user_add_role(user=user, role=role)
        if role is Role.EDITOR and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        rows.append((role.value, user.email, password))
    admin, password = _ensure_user("admin", display_name="Site Admin")
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])
    rows.append(("Superuser", admin.email, password))
    out.write("Demo accounts (log in with the email address; demo only):")
    for role, email, password in rows:
        out.write(f"  {role:<17} {email:<24} {password}")
    seed_network(out)
