"""The Elasticsearch backend, written with ``elasticsearch.dsl``.

One index per content family (knowledge, learning, discussion, network), each behind an alias
(``<prefix>-knowledge`` -> ``<prefix>-knowledge-v20261124101500``) so a rebuild fills new
indices and swaps every alias in one atomic call. Text fields have English, Spanish, French and
Portuguese sub-fields; facets are aggregations (each facet's counts ignore its own selection,
via ``post_filter``); geo is a ``geo_point``; autocomplete is a completion suggester whose
``audience`` context keeps private titles to their audience; spelling suggestions read a
field only public documents fill, so private words are never suggested.

The query and mapping builders are plain functions returning dicts, tested as data; the class
only sends them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from elasticsearch import Elasticsearch, helpers
from elasticsearch import exceptions as es_exceptions
from elasticsearch.dsl import (
    A,
    Boolean,
    Completion,
    Date,
    Document,
    GeoPoint,
    Integer,
    Keyword,
    Q,
    Search,
    Text,
)

from search.backends.base import SearchUnavailable
from search.backends.database.plan import START, STOP, mark, query_words
from search.types import (
    PUBLIC,
    FacetValue,
    Hit,
    SearchDocument,
    SearchRequest,
    SearchResults,
)

LANGUAGE_ANALYZERS = {"en": "english", "es": "spanish", "fr": "french", "pt": "portuguese"}
FAMILIES = {
    "knowledge": ("case_study", "resource"),
    "learning": ("course", "lesson"),
    "discussion": ("topic", "post", "dialogue", "event"),
    "network": ("partnership", "organisation", "project"),
}
FACET_FIELDS = {
    "kind": "kind",
    "region": "region",
    "country": "country",
    "theme": "themes",
    "ecosystem": "ecosystems",
    "language": "language",
    "tag": "tags",
    "year": "year_text",
    "finance": "finance_kind",
    "stage": "stage",
    "sdg": "sdgs",
    "amount": "amount",
}
FACET_SIZE = 30
_ERRORS = (
    es_exceptions.ConnectionError,
    es_exceptions.ConnectionTimeout,
    es_exceptions.TransportError,
)


def family_of(kind: str) -> str:
    for family, kinds in FAMILIES.items():
        if kind in kinds:
            return family
    return "knowledge"


def multilingual_text(boost_raw: bool = False) -> Text:
    fields = {code: Text(analyzer=analyzer) for code, analyzer in LANGUAGE_ANALYZERS.items()}
    if boost_raw:
        fields["raw"] = Keyword(ignore_above=256)
    return Text(analyzer="standard", fields=fields)


class NetworkDocument(Document):
    """The mapping every family index shares."""

    key = Keyword()
    kind = Keyword()
    title = multilingual_text(boost_raw=True)
    summary = multilingual_text()
    body = multilingual_text()
    spelling = Text(analyzer="standard")  # public documents only: the spelling vocabulary
    url = Keyword(index=False)
    language = Keyword()
    translations = Keyword()
    stands_for_missing = Boolean()
    audience = Keyword()
    date = Date()
    region = Keyword()
    country = Keyword()
    themes = Keyword()
    ecosystems = Keyword()
    tags = Keyword()
    year = Integer()
    year_text = Keyword()
    finance_kind = Keyword()
    stage = Keyword()
    sdgs = Keyword()
    amount = Keyword()
    location = GeoPoint()
    group = Keyword()
    suggest = Completion(
        analyzer="simple",
        contexts=[{"name": "audience", "type": "category", "path": "audience"}],
    )


def index_settings() -> dict[str, Any]:
    return {"number_of_shards": 1, "number_of_replicas": settings.SEARCH.get("REPLICAS", 0)}


def index_body() -> dict[str, Any]:
    """Settings and mappings for a new family index."""
    return {
        "settings": index_settings(),
        "mappings": NetworkDocument._doc_type.mapping.to_dict(),
    }


def completion_inputs(title: str) -> list[str]:
    """The title and each of its word-suffixes, so "fiel" and "guide to" both complete it."""
    words = title.split()
    return [" ".join(words[start:]) for start in range(min(len(words), 8))] or [title]


def to_source(document: SearchDocument) -> dict[str, Any]:
    """The JSON stored for a document."""
    source: dict[str, Any] = {
        "key": document.key,
        "kind": document.kind,
        "title": document.title,
        "summary": document.summary,
        "body": document.body,
        "url": document.url,
        "language": document.language,
        "translations": list(document.translations),
        "stands_for_missing": document.stands_for_missing,
        "audience": document.audience,
        "date": document.date.isoformat() if document.date else None,
        "region": document.region or None,
        "country": document.country or None,
        "themes": list(document.themes),
        "ecosystems": list(document.ecosystems),
        "tags": [tag.lower() for tag in document.tags],
        "year": document.year,
        "year_text": str(document.year) if document.year else None,
        "group": document.group,
        "finance_kind": document.finance_kind or None,
        "stage": document.stage or None,
        "sdgs": list(document.sdgs),
        "amount": document.amount or None,
        "suggest": {
            "input": completion_inputs(document.title),
            "contexts": {"audience": [document.audience]},
        },
    }
    if document.audience == PUBLIC:
        source["spelling"] = f"{document.title} {document.summary}"
    if document.latitude is not None and document.longitude is not None:
        source["location"] = {"lat": document.latitude, "lon": document.longitude}
    return source


def text_fields() -> list[str]:
    fields = ["title^3", "summary^2", "body"]
    for code in LANGUAGE_ANALYZERS:
        fields += [f"title.{code}^3", f"summary.{code}^2", f"body.{code}"]
    return fields


def _facet_filter(name: str, values: Iterable[str]) -> Q:
    return Q("terms", **{FACET_FIELDS[name]: list(values)})


def build_search(
    request: SearchRequest, indices: list[str] | str = "*", *, any_word: bool = False
) -> Search:
    """The whole query for a search request, as elasticsearch-dsl objects (``.to_dict()``).

    Every word must match; ``any_word`` is the fallback when nothing has them all."""
    words = query_words(request.text)
    search = Search(index=indices)
    must = []
    if words:
        must.append(
            Q(
                "multi_match",
                query=" ".join(words),
                fields=text_fields(),
                type="cross_fields",
                operator="or" if any_word else "and",
            )
        )
    filters = [Q("terms", audience=list(request.audiences))]
    if "language" not in request.filters:
        reader = request.reader_language
        filters.append(
            Q(
                "bool",
                # An index written before ``stands_for_missing`` existed lacks the field,
                # which then counts as true (every version shown, as it was).
                should=[
                    Q("term", language=reader),
                    Q(
                        "bool",
                        must_not=[
                            Q("term", translations=reader),
                            Q("term", stands_for_missing=False),
                        ],
                    ),
                ],
                minimum_should_match=1,
            )
        )
    if request.geo is not None:
        box = request.geo
        filters.append(
            Q(
                "geo_bounding_box",
                location={
                    "top_left": {"lat": box.north, "lon": box.west},
                    "bottom_right": {"lat": box.south, "lon": box.east},
                },
            )
        )
    elif request.located_only:
        filters.append(Q("exists", field="location"))
    search = search.query(Q("bool", must=must or [Q("match_all")], filter=filters))

    # Facet selections go in post_filter, so each facet's counts can ignore its own choice.
    selections = {name: values for name, values in request.filters.items() if values}
    if selections:
        search = search.post_filter(
            Q("bool", filter=[_facet_filter(name, values) for name, values in selections.items()])
        )
    for name in request.facets:
        others = [_facet_filter(n, v) for n, v in selections.items() if n != name]
        bucket = A("filter", Q("bool", filter=others) if others else Q("match_all"))
        bucket.bucket("values", "terms", field=FACET_FIELDS[name], size=FACET_SIZE)
        search.aggs.bucket(name, bucket)

    if words:
        search = search.highlight_options(
            pre_tags=[START], post_tags=[STOP], fragment_size=160, number_of_fragments=2
        ).highlight("body", "summary", "title")
        search = search.suggest(
            "spelling", " ".join(words), term={"field": "spelling", "suggest_mode": "missing"}
        )
    if request.sort == "date" or not words:
        search = search.sort({"date": {"order": "desc", "missing": "_last"}}, "key")
    else:
        search = search.sort("_score", {"date": {"order": "desc", "missing": "_last"}})
    start = (request.page - 1) * request.per_page
    search = search.extra(from_=start, size=request.per_page, track_total_hits=True)
    return search.source(excludes=["body", "spelling", "suggest"])


def build_suggest(prefix: str, audiences: tuple[str, ...], limit: int) -> dict[str, Any]:
    """A completion-suggester body filtered by audience context."""
    return {
        "_source": ["title", "url", "kind"],
        "suggest": {
            "titles": {
                "prefix": prefix,
                "completion": {
                    "field": "suggest",
                    "size": limit,
                    "skip_duplicates": True,
                    "contexts": {"audience": list(audiences)},
                },
            }
        },
    }


def alias_actions(alias: str, old_indices: Iterable[str], new_index: str) -> list[dict[str, Any]]:
    """One atomic alias swap: remove the alias from the old versions, add it to the new one."""
    actions = [{"remove": {"index": old, "alias": alias}} for old in old_indices]
    actions.append({"add": {"index": new_index, "alias": alias}})
    return actions


def version_name(alias: str, now: datetime.datetime | None = None) -> str:
    stamp = (now or datetime.datetime.now(datetime.UTC)).strftime("%Y%m%d%H%M%S%f")
    return f"{alias}-v{stamp}"


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, client: Elasticsearch, prefix: str):
        self.client = client
        self.prefix = prefix

    @classmethod
    def from_settings(cls) -> ElasticsearchBackend:
        config = settings.SEARCH
        client = Elasticsearch(config["URL"], request_timeout=config["TIMEOUT"])
        return cls(client, config["INDEX_PREFIX"])

    def alias(self, family: str) -> str:
        return f"{self.prefix}-{family}"

    def aliases(self) -> list[str]:
        return [self.alias(family) for family in FAMILIES]

    def _call(self, action: Callable[[], Any]) -> Any:
        try:
            return action()
        except _ERRORS as error:
            raise SearchUnavailable(str(error)) from error

    def _ensure_indices(self) -> None:
        for alias in self.aliases():
            if not self.client.indices.exists_alias(name=alias):
                index = version_name(alias)
                self.client.indices.create(index=index, **index_body())
                self.client.indices.update_aliases(actions=alias_actions(alias, [], index))

    def upsert(self, documents: Iterable[SearchDocument]) -> int:
        def run() -> int:
            self._ensure_indices()
            actions = [
                {
                    "_op_type": "index",
                    "_index": self.alias(family_of(document.kind)),
                    "_id": document.key,
                    "_source": to_source(document),
                }
                for document in documents
            ]
            written, _errors = helpers.bulk(self.client, actions, refresh="wait_for")
            return written

        return self._call(run)

    def delete(self, keys: Iterable[str]) -> int:
        keys = list(keys)

        def run() -> int:
            if not keys:
                return 0
            response = self.client.delete_by_query(
                index=",".join(self.aliases()),
                query={"terms": {"key": keys}},
                refresh=True,
                ignore_unavailable=True,
                allow_no_indices=True,
            )
            return response.get("deleted", 0)

        return self._call(run)

    def rebuild(self, documents: Iterable[SearchDocument], *, progress=None) -> int:
        def run() -> int:
            new_indices = {}
            for family in FAMILIES:
                alias = self.alias(family)
                new_indices[family] = version_name(alias)
                self.client.indices.create(index=new_indices[family], **index_body())
            count = 0

            def actions():
                nonlocal count
                for document in documents:
                    count += 1
                    if progress:
                        progress(count)
                    yield {
                        "_op_type": "index",
                        "_index": new_indices[family_of(document.kind)],
                        "_id": document.key,
                        "_source": to_source(document),
                    }

            helpers.bulk(self.client, actions(), chunk_size=500)
            self.client.indices.refresh(index=",".join(new_indices.values()))
            swap, old = [], []
            for family, new_index in new_indices.items():
                alias = self.alias(family)
                current = (
                    list(self.client.indices.get_alias(name=alias).keys())
                    if self.client.indices.exists_alias(name=alias)
                    else []
                )
                old += current
                swap += alias_actions(alias, current, new_index)
            self.client.indices.update_aliases(actions=swap)
            for index in old:
                self.client.indices.delete(index=index, ignore_unavailable=True)
            return count

        return self._call(run)

    def keys(self) -> set[str]:
        def run() -> set[str]:
            return {
                hit["_source"]["key"]
                for hit in helpers.scan(
                    self.client,
                    index=",".join(self.aliases()),
                    query={"query": {"match_all": {}}, "_source": ["key"]},
                    ignore_unavailable=True,
                )
            }

        return self._call(run)

    def clear(self) -> None:
        def run() -> None:
            self.client.indices.delete(
                index=f"{self.prefix}-*", ignore_unavailable=True, allow_no_indices=True
            )

        self._call(run)

    def index_version(self) -> None:
        """Not cached here: the cluster has its own request cache, and no cheap counter of the
        writes made by every process (refreshes land on their own schedule)."""
        return None

    def query(self, request: SearchRequest) -> SearchResults:
        words = query_words(request.text)

        def run(any_word: bool) -> dict[str, Any]:
            self._ensure_indices()
            search = build_search(request, ",".join(self.aliases()), any_word=any_word)
            return self.client.search(
                index=",".join(self.aliases()), ignore_unavailable=True, **search.to_dict()
            ).body

        any_word = False
        response = self._call(lambda: run(False))
        if response["hits"]["total"]["value"] == 0 and len(words) > 1:
            any_word = True
            response = self._call(lambda: run(True))
        hits = []
        for raw in response["hits"]["hits"]:
            source = raw["_source"]
            fragments = raw.get("highlight", {})
            snippet = " … ".join(
                fragments.get("body", [])
                or fragments.get("summary", [])
                or fragments.get("title", [])
            )
            location = source.get("location") or {}
            date = source.get("date")
            hits.append(
                Hit(
                    key=source["key"],
                    kind=source["kind"],
                    title=source["title"],
                    url=source["url"],
                    language=source.get("language", ""),
                    summary=source.get("summary", ""),
                    highlight=mark(snippet or source.get("summary", "")[:300]),
                    date=datetime.datetime.fromisoformat(date) if date else None,
                    latitude=location.get("lat"),
                    longitude=location.get("lon"),
                    score=raw.get("_score") or 0.0,
                )
            )
        facets = {}
        for name in request.facets:
            selected = set(request.filters.get(name, ()))
            buckets = (
                response.get("aggregations", {}).get(name, {}).get("values", {}).get("buckets", [])
            )
            values = [
                FacetValue(str(b["key"]), b["doc_count"], str(b["key"]) in selected)
                for b in buckets
            ]
            shown = {value.value for value in values}
            values += [FacetValue(value, 0, True) for value in sorted(selected - shown)]
            facets[name] = values
        total = response["hits"]["total"]["value"]
        suggestion = ""
        if total == 0 and words:
            corrected, changed = [], False
            for entry in response.get("suggest", {}).get("spelling", []):
                options = entry.get("options") or []
                corrected.append(options[0]["text"] if options else entry["text"])
                changed = changed or bool(options)
            suggestion = " ".join(corrected) if changed else ""
        return SearchResults(
            hits=hits,
            total=total,
            page=request.page,
            per_page=request.per_page,
            facets=facets,
            suggestion=suggestion,
            extra={"any_word": any_word},
        )

    def suggest(self, prefix: str, *, audiences: tuple[str, ...], limit: int = 8) -> list[dict]:
        prefix = " ".join(query_words(prefix))
        if len(prefix) < 2:
            return []

        def run() -> dict[str, Any]:
            self._ensure_indices()
            return self.client.search(
                index=",".join(self.aliases()), **build_suggest(prefix, audiences, limit)
            ).body

        response = self._call(run)
        options = response.get("suggest", {}).get("titles", [{}])[0].get("options", [])
        seen, items = set(), []
        for option in options:
            source = option["_source"]
            if source["title"].lower() in seen:
                continue
            seen.add(source["title"].lower())
            items.append({"title": source["title"], "url": source["url"], "kind": source["kind"]})
        return items[:limit]

    def related(self, key: str, *, audiences: tuple[str, ...], limit: int = 4) -> list[dict]:
        """More like this: documents that share words with the given one, visible to the user."""
        body = build_more_like_this(key, self.aliases(), audiences, limit)

        def run() -> dict[str, Any]:
            return self.client.search(index=",".join(self.aliases()), **body).body

        response = self._call(run)
        return [
            {
                "title": hit["_source"]["title"],
                "url": hit["_source"]["url"],
                "kind": hit["_source"]["kind"],
            }
            for hit in response["hits"]["hits"]
        ]


def build_more_like_this(
    key: str, aliases: list[str], audiences: tuple[str, ...], limit: int
) -> dict:
    """A more_like_this query on the text fields, limited to the reader's audiences."""
    like = [{"_index": alias, "_id": key} for alias in aliases]
    return {
        "size": limit,
        "_source": ["title", "url", "kind"],
        "query": {
            "bool": {
                "must": [
                    {
                        "more_like_this": {
                            "fields": ["title", "summary", "body"],
                            "like": like,
                            "min_term_freq": 1,
                            "min_doc_freq": 1,
                            "max_query_terms": 25,
                        }
                    }
                ],
                "filter": [{"terms": {"audience": list(audiences)}}],
                "must_not": [{"term": {"key": key}}],
            }
        },
    }
