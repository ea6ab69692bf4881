"""The permission matrix's rows for landscape finance (``finance.urls`` and its API)."""

from __future__ import annotations

from tests.config.matrix_base import ALL_200, Rule, get, post, url

COORDINATORS_200 = "login 403 403 403 403 200 403"
COORDINATORS_302 = "login 403 403 403 403 302 403"
#: A draft is the coordinators' alone: nobody else learns it exists (not even staff).
DRAFT_200 = "404 404 404 404 404 200 404"
NOBODY_404 = "404 " * 6 + "404"


def _project_form(**overrides) -> dict:
    data = {
        "title": "Nursery for Kijabe",
        "summary": "A tree nursery.",
        "amount_sought": "50000",
        "currency": "KES",
        "kind": "grant",
        "stage": "idea",
        "published": "on",
    }
    data.update(overrides)
    return data


FINANCE_RULES: tuple[Rule, ...] = (
    Rule(
        "landscape finance: the listing, portfolios, projects and the open data",
        (
            get(url("finance:listing"), ALL_200, hidden=lambda world: world.draft_project.title),
            get(
                lambda world: "/finance/?kind=loan&amount=USD:100k-1m&sdg=x&region=nowhere",
                ALL_200,
            ),
            get(url("finance:csv"), ALL_200, hidden=lambda world: world.draft_project.title),
            # Drafts show to the coordinators only (tests/finance/test_finance_pages.py).
            get(url("finance:portfolio", "home_partnership.slug"), ALL_200),
            get(url("finance:portfolio", lambda world: "no-such"), NOBODY_404),
            # Open data: drafts left out whoever asks, the coordinators included.
            get(
                url("finance:portfolio_geojson", "home_partnership.slug"),
                ALL_200,
                hidden=lambda world: world.draft_project.title,
            ),
            get(url("finance:portfolio_geojson", lambda world: "no-such"), NOBODY_404),
            get(url("finance:project", "home_partnership.slug", "project.slug"), ALL_200),
            get(url("finance:project", "home_partnership.slug", "draft_project.slug"), DRAFT_200),
            # A project is read under its own partnership's address only.
            get(url("finance:project", "other_partnership.slug", "project.slug"), NOBODY_404),
            get("/api/v2/finance-projects/", ALL_200, hidden=lambda w: w.draft_project.title),
            get(lambda world: f"/api/v2/finance-projects/{world.project.pk}/", ALL_200),
            get(lambda world: f"/api/v2/finance-projects/{world.draft_project.pk}/", NOBODY_404),
            get("/api/v2/finance-projects/?offset=" + "9" * 30, "400 " * 6 + "400"),
        ),
        names=(
            "finance:listing",
            "finance:csv",
            "finance:portfolio",
            "finance:portfolio_geojson",
            "finance:project",
            "wagtailapi:finance-projects:listing",
            "wagtailapi:finance-projects:detail",
            "wagtailapi:finance-projects:find",
        ),
    ),
    Rule(
        "landscape finance: coordinators keep the portfolio (not staff, not moderators)",
        (
            get(url("finance:project_create", "home_partnership.slug"), COORDINATORS_200),
            get(
                url("finance:project_create", "other_partnership.slug"),
                "login 403 403 403 403 403 403",
            ),
            post(
                url("finance:project_create", "home_partnership.slug"),
                COORDINATORS_302,
                _project_form(),
            ),
            post(
                url("finance:project_create", "home_partnership.slug"),
                "login 403 403 403 403 400 403",
                _project_form(currency="XXX", latitude="95"),
            ),
            get(
                url("finance:project_edit", "home_partnership.slug", "draft_project.slug"),
                COORDINATORS_200,
            ),
            post(
                url("finance:project_edit", "home_partnership.slug", "project.slug"),
                COORDINATORS_302,
                _project_form(title="Terraces, revised"),
            ),
        ),
        names=("finance:project_create", "finance:project_edit"),
    ),
    Rule(
        "landscape finance: any member outside the partnership expresses interest",
        (
            get(
                url("finance:express_interest", "home_partnership.slug", "project.slug"),
                "login 200 200 200 200 200 200",
            ),
            # Each opens (or, pressed again, finds) their own conversation; the partnership's
            # own coordinator is refused (they talk in its forum).
            post(
                url("finance:express_interest", "home_partnership.slug", "project.slug"),
                "login 302 302 302 302 403 302",
                {"message": "We fund terraces."},
            ),
            get(
                url("finance:express_interest", "home_partnership.slug", "draft_project.slug"),
                "login 404 404 404 404 404 404",
            ),
        ),
        names=("finance:express_interest",),
    ),
)
