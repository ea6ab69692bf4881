"""The demo portfolio: three projects of the Cauca River Watershed partnership, whose
coordinator is the demo trainer (so signing in as them shows the coordinators' view, and as
the demo learner, who is not a member, the funder's "Express interest")."""

from __future__ import annotations

PORTFOLIO_PARTNERSHIP = "cauca-river-watershed"
PORTFOLIO_COORDINATOR = "trainer"

PROJECTS: list[dict] = [
    {
        "title": "Silvopasture on the Río Claro hillsides",
        "summary": (
            "Trees and living fences on 1,200 ha of degraded pasture, with 180 cattle farms "
            "paid back through higher milk yields."
        ),
        "description": (
            "Farm plans, nurseries for native trees and a revolving fund that lends to farmers "
            "who convert their pastures, repaid over six years from milk sales."
        ),
        "amount_sought": "850000.00",
        "currency": "USD",
        "kind": "loan",
        "stage": "ready",
        "latitude": "2.45000",
        "longitude": "-76.60000",
        "sdgs": [1, 13, 15],
        "outcomes": [
            ("Pasture converted to silvopasture", "1200", "ha"),
            ("Farms", "180", "farms"),
        ],
    },
    {
        "title": "Water fund for the upper Cauca",
        "summary": (
            "Downstream water users pay upstream communities to protect springs and riverbanks."
        ),
        "description": (
            "A payment scheme between the city's water utility and 14 upstream communities, "
            "with monitoring of water quality at 20 points."
        ),
        "amount_sought": "1500000.00",
        "currency": "USD",
        "kind": "pes",
        "stage": "design",
        "latitude": "2.30000",
        "longitude": "-76.45000",
        "sdgs": [6, 15],
        "outcomes": [("Riverbanks protected", "85", "km"), ("Springs protected", "60", "springs")],
    },
    {
        "title": "Women's coffee cooperative processing plant",
        "summary": "A wet mill and drying beds for 320 women coffee growers of the watershed.",
        "description": (
            "Processing close to the farms halves the water used per kilo and lets the "
            "cooperative sell speciality coffee directly."
        ),
        "amount_sought": "420000000.00",
        "currency": "COP",
        "kind": "blended",
        "stage": "idea",
        "latitude": "2.52000",
        "longitude": "-76.70000",
        "sdgs": [5, 8, 12],
        "outcomes": [("Growers served", "320", "women"), ("Water saved", "40", "%")],
    },
]
