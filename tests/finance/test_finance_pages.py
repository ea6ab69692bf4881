"""The listing (facets, map), the portfolio, the project page and their cache."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from finance import services
from finance.forms import parse_outcomes
from finance.selectors import ListingFilters, listing_facets, project_listing
from tests.finance.projects import project_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio(make_project):
    return {
        "loan": make_project(title="Loan", kind="loan", amount_sought=Decimal("250000")),
        "grant": make_project(title="Grant", kind="grant", amount_sought=Decimal("50000")),
        "pes": make_project(
            title="Water", kind="pes", currency="EUR", amount_sought=Decimal("2000000")
        ),
        "draft": make_project(title="Hidden", published=False),
    }


def _counts(facets, name):
    return {value["value"]: value["count"] for value in facets[name]}


def test_facets_count_published_projects_and_ignore_their_own_choice(portfolio):
    facets = listing_facets(ListingFilters(kind=("loan",)))
    assert _counts(facets, "kind") == {"grant": 1, "loan": 1, "pes": 1}
    assert _counts(facets, "amount") == {"USD:100k-1m": 1}
    assert _counts(facets, "region") == {"africa": 1}
    assert _counts(facets, "sdg") == {"zero-hunger": 1, "life-on-land": 1}


def test_amount_ranges_are_read_within_a_currency(portfolio):
    kept = project_listing(ListingFilters(amount=("USD:lt100k", "EUR:1m-10m")))
    assert {project.title for project in kept} == {"Grant", "Water"}
    assert {
        project.title for project in project_listing(ListingFilters(amount=("EUR:lt100k",)))
    } == set()


def test_filters_combine_and_drafts_never_show(portfolio):
    kept = project_listing(ListingFilters(kind=("loan", "grant"), region=("africa",)))
    assert {project.title for project in kept} == {"Loan", "Grant"}
    assert "Hidden" not in {project.title for project in project_listing(ListingFilters())}


def test_the_listing_page_shows_facets_and_the_map_without_javascript(client, portfolio):
    response = client.get(reverse("finance:listing"), {"kind": "loan"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="kind" value="loan"' in html and "checked" in html
    assert "Loan" in html and "Hidden" not in html
    assert 'id="finance-map"' in html and "vendor/leaflet/leaflet.js" in html
    assert "USD 100,000 to 1 million" in html


def test_filters_that_do_not_validate_are_ignored(client, portfolio):
    response = client.get(reverse("finance:listing"), {"kind": "nonsense", "amount": "XX:big"})
    assert response.status_code == 200


def test_the_listing_costs_the_same_for_few_and_many_projects(
    client, make_project, django_assert_max_num_queries
):
    for number in range(12):
        make_project(title=f"Project {number}")
    with django_assert_max_num_queries(25):
        assert client.get(reverse("finance:listing")).status_code == 200


def test_a_coordinator_sees_drafts_in_the_portfolio_and_others_do_not(
    client, portfolio, coordinator, partnership
):
    address = reverse("finance:portfolio", args=[partnership.slug])
    assert "Hidden" not in client.get(address).content.decode()
    client.force_login(coordinator)
    html = client.get(address).content.decode()
    assert "Hidden" in html and "Add a project" in html


def test_an_edit_is_never_served_stale_from_the_page_cache(
    settings, portfolio, coordinator, partnership
):
    """Anonymous pages are cached; an edit through the service drops them."""
    anonymous = Client()
    project = portfolio["loan"]
    addresses = [
        reverse("finance:listing"),
        reverse("finance:portfolio", args=[partnership.slug]),
        project.get_absolute_url(),
    ]
    for address in addresses:
        anonymous.get(address)
        assert anonymous.get(address)["X-Page-Cache"] == "hit"
    services.project_update(
        project=project, coordinator=coordinator, data=project_data(title="Renamed loan")
    )
    for address in addresses:
        response = anonymous.get(address)
        assert response["X-Page-Cache"] != "hit"
        assert "Renamed loan" in response.content.decode()
    # Unpublishing takes it off every cached page at once.
    services.project_update(
        project=project,
        coordinator=coordinator,
        data=project_data(title="Renamed loan", published=False),
    )
    assert "Renamed loan" not in anonymous.get(addresses[0]).content.decode()
    assert anonymous.get(addresses[2]).status_code == 404


def test_the_coordinators_form_creates_a_project_with_outcomes_and_a_document(
    client, coordinator, partnership
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(coordinator)
    response = client.post(
        reverse("finance:project_create", args=[partnership.slug]),
        {
            "title": "Nursery",
            "summary": "A tree nursery.",
            "amount_sought": "12000.50",
            "currency": " kes",
            "kind": "grant",
            "stage": "idea",
            "sdgs": ["life-on-land"],
            "outcomes": "Seedlings | 40,000 | trees\nJobs | 12 | people",
            "latitude": "-0.9",
            "longitude": "36.5",
            "published": "on",
            "document": SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n"),
        },
    )
    assert response.status_code == 302
    project = partnership.finance_projects.get()
    assert (project.currency, project.amount_sought) == ("KES", Decimal("12000.50"))
    assert [o.value for o in project.outcomes.all()] == [Decimal("40000"), Decimal("12")]
    assert project.documents.get().title == "plan.pdf"


def test_a_refused_form_keeps_what_was_typed_and_says_why(client, coordinator, partnership):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(coordinator)
    response = client.post(
        reverse("finance:project_create", args=[partnership.slug]),
        {
            "title": "Kept title",
            "summary": "Kept summary",
            "amount_sought": "-5",
            "currency": "XXX",
            "kind": "grant",
            "stage": "idea",
            "latitude": "12",
            "outcomes": "no figure here",
            "document": SimpleUploadedFile("run.exe", b"MZ"),
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Kept title" in html and "Kept summary" in html
    assert "Give both latitude and longitude" in html
    assert "what changes | figure | unit" in html
    assert not partnership.finance_projects.exists()


def test_outcome_lines_are_parsed_strictly():
    assert [o.unit for o in parse_outcomes("A | 1 | ha\n\nB | 2.5 | t")] == ["ha", "t"]
    for bad in ("A | x | ha", "A | -1 | ha", "A | 1", "| 1 | ha", "A | NaN | ha", "A | 1e40 | ha"):
        with pytest.raises(Exception, match="Line 1"):
            parse_outcomes(bad)
