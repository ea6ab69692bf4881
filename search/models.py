"""The database search backend's tables (the embedded default; Elasticsearch needs none).

``SearchEntry`` holds each document's fields for filtering, sorting and display; the full text
lives beside it in a vendor-specific structure created by migration 0002: an FTS5 table on
SQLite (rowid = entry id) and a weighted ``tsvector`` column with a GIN index on PostgreSQL.
Entries carry the index *generation* they belong to, so a rebuild fills a new generation and
then swaps the active one in one transaction, as Elasticsearch swaps an alias.
"""

from __future__ import annotations

from django.db import models


class IndexState(models.Model):
    """Which generation answers queries, and which one a running rebuild is filling.

    ``version`` counts the changes of the whole index (a switch of generation, a clear, and
    every change made before ``IndexShard`` existed); with the shards' versions it makes the
    index version (``search.backends.database.state``) that keys cached answers. Writes of
    single documents never update this row: it would make every writer wait for the one
    before it to commit.
    """

    name = models.CharField(max_length=50, unique=True, default="default")
    active = models.PositiveIntegerField(default=1)
    building = models.PositiveIntegerField(null=True, blank=True)
    version = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}: v{self.active}"


class IndexShard(models.Model):
    """One of the counters of changes to single documents: a write counts itself on the shard
    of its document's key, in its own transaction, so an answer cached before the change is
    never read after it, whichever process made it, and two writers of different documents
    rarely wait for each other (PostgreSQL locks the row a writer updates until it commits).
    The index version adds them up: every change adds one, so the sum only ever grows."""

    number = models.PositiveSmallIntegerField(primary_key=True)
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"shard {self.number}: {self.version}"


class SearchEntry(models.Model):
    generation = models.PositiveIntegerField(default=1)
    key = models.CharField(max_length=120)
    kind = models.CharField(max_length=30)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    language = models.CharField(max_length=10, blank=True)
    audience = models.CharField(max_length=80, default="public")
    date = models.DateTimeField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    group = models.CharField(max_length=64, blank=True)
    translations = models.CharField(max_length=60, blank=True)  # "|en|es|"
    # The version readers of a language the page lacks see (``SearchDocument``).
    stands_for_missing = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["generation", "key"], name="one_entry_per_key")
        ]
        indexes = [
            models.Index(fields=["generation", "audience"]),
            models.Index(fields=["generation", "date"]),
            models.Index(fields=["generation", "latitude", "longitude"]),
        ]

    def __str__(self) -> str:
        return self.key


class SearchFacet(models.Model):
    """One facet value of one entry: GROUP BY over these gives the facet counts."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="facet_values")
    name = models.CharField(max_length=20)
    value = models.CharField(max_length=120)

    class Meta:
        indexes = [
            # A facet filter lists its entries from the index alone (PostgreSQL reads no rows).
            models.Index(fields=["name", "value", "entry"], name="search_facet_value_entry"),
            # Facet counts start from the matched entries and never read the table.
            models.Index(fields=["entry", "name", "value"], name="search_facet_entry_covering"),
        ]

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
