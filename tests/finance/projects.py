"""What a coordinator writes about a project, for tests."""

from __future__ import annotations

from decimal import Decimal

from finance.services import Outcome, ProjectData
from library.models import SustainableDevelopmentGoal


def project_data(**overrides) -> ProjectData:
    values = {
        "title": "Terraces for Kijabe",
        "summary": "Terraces on 300 ha of steep farmland.",
        "description": "Soil and water conservation with 400 households.",
        "amount_sought": Decimal("250000.00"),
        "currency": "USD",
        "kind": "loan",
        "stage": "ready",
        "latitude": Decimal("-0.95"),
        "longitude": Decimal("36.57"),
        "published": True,
        "sdgs": list(SustainableDevelopmentGoal.objects.filter(number__in=[2, 15])),
        "outcomes": [Outcome(label="Land restored", value=Decimal("300"), unit="ha")],
    }
    values.update(overrides)
    return ProjectData(**values)
