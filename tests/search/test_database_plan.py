"""The database backend's pure parts as data: the page plan and the facet statement."""

from __future__ import annotations

import datetime

from django.db.models.expressions import RawSQL

from search.backends.database import facets, plan
from search.types import PUBLIC, FacetValue, SearchRequest


def request(**fields) -> SearchRequest:
    fields.setdefault("audiences", (PUBLIC,))
    return SearchRequest(**fields)


def test_a_page_is_ranked_by_score_while_every_match_is_known():
    page = plan.plan_page(request(text="soil", page=2, per_page=10), ["soil"], False, 40)
    assert page.strategy == plan.BY_SCORE
    assert (page.start, page.end, page.matched_known, page.tiers) == (10, 20, True, ())


def test_beyond_the_cap_a_page_is_ranked_tier_by_tier():
    one = plan.plan_page(request(text="soil"), ["soil"], False, plan.TOTAL_CAP + 1)
    two = plan.plan_page(request(text="soil water"), ["soil", "water"], True, plan.TOTAL_CAP + 1)
    assert (one.strategy, one.tiers, one.matched_known) == (plan.BY_TIERS, ("all", "none"), False)
    assert (two.tiers, two.any_word) == (plan.TIERS, True)


def test_a_date_sort_or_no_words_orders_by_date():
    dated = plan.plan_page(request(text="soil", sort="date"), ["soil"], False, 5)
    empty = plan.plan_page(request(text=""), [], False, 5)
    assert (dated.strategy, dated.matched_known) == (plan.BY_DATE, True)
    assert (empty.strategy, empty.matched_known) == (plan.BY_DATE, False)


def test_ties_in_score_go_newest_first_then_by_id():
    newer = datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC)
    older = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    scores = {1: 2.0, 2: 2.0, 3: 5.0, 4: 2.0}
    dates = {1: older, 2: newer, 3: older, 4: None}
    assert [pk for pk, _ in plan.by_score(scores, [1, 2, 3, 4, 9], dates)] == [3, 2, 1, 4]


def test_selected_facets_are_counted_over_their_own_scope_in_one_statement():
    asked = request(facets=("region", "theme"), filters={"region": ("asia",)})
    groups = facets.count_groups(asked, [1, 2, 3], {"region": [1, 2, 3, 4]})
    assert groups == [(["theme"], [1, 2, 3]), (["region"], [1, 2, 3, 4])]
    sql, params = facets.group_statement(
        groups, lambda ids: RawSQL("SELECT value FROM json_each(%s)", [str(ids)]), "+name"
    )
    assert sql.count("GROUP BY name, value") == 2 and "+name IN" in sql
    assert params == ["[1, 2, 3]", "theme", "[1, 2, 3, 4]", "region"]


def test_a_selected_value_is_listed_even_without_matches():
    asked = request(facets=("region",), filters={"region": ("asia", "europe")})
    counted = facets.assemble(asked, [("region", "asia", 3), ("region", "africa", 1)])
    assert counted["region"] == [
        FacetValue("asia", 3, True),
        FacetValue("africa", 1, False),
        FacetValue("europe", 0, True),
    ]
