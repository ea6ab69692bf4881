"""Demo content of landscape finance: a portfolio of three projects (``demo_content``), written
through the services as its coordinator would. Idempotent: a project already there is kept."""

from __future__ import annotations

from decimal import Decimal

from django.core.management.base import OutputWrapper

from finance import demo_content, services
from finance.models import Project
from library.models import SustainableDevelopmentGoal
from network.models import LandscapePartnership, User


def seed(out: OutputWrapper) -> None:
    partnership = LandscapePartnership.objects.filter(
        slug=demo_content.PORTFOLIO_PARTNERSHIP
    ).first()
    coordinator = User.objects.filter(username=demo_content.PORTFOLIO_COORDINATOR).first()
    if partnership is None or coordinator is None:
        out.write("Demo portfolio skipped: the demo network is not there.")
        return
    created = 0
    for data in demo_content.PROJECTS:
        if Project.objects.filter(partnership=partnership, title=data["title"]).exists():
            continue
        services.project_create(
            partnership=partnership,
            coordinator=coordinator,
            data=services.ProjectData(
                title=data["title"],
                summary=data["summary"],
                description=data["description"],
                amount_sought=Decimal(data["amount_sought"]),
                currency=data["currency"],
                kind=data["kind"],
                stage=data["stage"],
                latitude=Decimal(data["latitude"]),
                longitude=Decimal(data["longitude"]),
                published=True,
                sdgs=list(SustainableDevelopmentGoal.objects.filter(number__in=data["sdgs"])),
                outcomes=[
                    services.Outcome(label=label, value=Decimal(value), unit=unit)
                    for label, value, unit in data["outcomes"]
                ],
            ),
        )
        created += 1
    out.write(f"Demo portfolio: {created} projects added to {partnership.name}.")
