"""The demo portfolio: three published projects of the partnership the demo trainer
coordinates, findable in search, seeded once however often seed_demo runs."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

import search
from finance import demo_content
from finance.models import Project
from network.models import User
from network.selectors import is_coordinator

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_a_portfolio_of_three_projects(seeded_demo):
    projects = Project.objects.filter(partnership__slug=demo_content.PORTFOLIO_PARTNERSHIP)
    assert projects.filter(published=True).count() == 3
    assert {project.kind for project in projects} == {"loan", "pes", "blended"}
    assert all(project.outcomes.exists() and project.sdgs.exists() for project in projects)
    trainer = User.objects.get(username=demo_content.PORTFOLIO_COORDINATOR)
    assert is_coordinator(trainer, projects.first().partnership)
    assert "Demo portfolio: 3 projects" in seeded_demo
    found = search.query("silvopasture", user=AnonymousUser())
    assert [hit.kind for hit in found.hits] == ["project"]


def test_seeding_again_adds_no_project(seeded_demo):
    before = Project.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Project.objects.count() == before
