"""Each content language stemmed by its own rules on SQLite (``analysis``), as data, and the
migration that gives entries indexed before it their stems."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection

from search.backends.database.analysis import stem_word, stemmed_text
from search.backends.database.sqlite import highlight_expression, match_expression
from search.types import PUBLIC, SearchRequest
from tests.search.conftest import document


def test_spanish_french_and_portuguese_words_are_stemmed_by_their_own_rules():
    assert stem_word("agricultores", "es") == stem_word("agricultor", "es")
    assert stem_word("restauração", "pt") == stem_word("restaurar", "pt")
    assert stem_word("forestières", "fr") == stem_word("forestier", "fr")
    assert stemmed_text("Restaurar as margens", "pt") == "restaur as margens"


def test_english_and_other_languages_are_left_to_the_tokenizer():
    assert stem_word("restoration", "en") is None
    assert stemmed_text("Restoration of terraces", "en") == ""
    assert stemmed_text("Restauro", "it") == ""


def test_an_english_reader_asks_the_text_columns_only():
    assert match_expression(["terraces", "rain"], "en") == (
        '{title summary body} : "terraces" AND {title summary body} : "rain"'
    )


def test_a_portuguese_reader_also_asks_each_words_stem_in_the_stems_columns():
    assert match_expression(["restauração", "rios"], "pt", any_word=True) == (
        '({title summary body} : "restauração" OR {title_stems text_stems} : "restaur") OR '
        '({title summary body} : "rios" OR {title_stems text_stems} : "rios")'
    )
    assert match_expression(["restauração"], "pt", title_only=True) == (
        '({title} : "restauração" OR {title_stems} : "restaur")'
    )


def test_query_syntax_in_a_word_stays_text():
    assert match_expression(['a"b'], "en") == '{title summary body} : "ab"'


def test_snippets_are_cut_from_the_text_never_the_stems():
    assert highlight_expression(["agricultores"], "es") == (
        '{title summary body} : ("agricultores" OR "agricultor")'
    )


class _SchemaEditor:
    """What the migration's function uses of a schema editor."""

    def __init__(self, connection) -> None:
        self.connection = connection

    def execute(self, sql: str) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(sql)


def test_the_migration_stems_the_entries_indexed_before_it(backend):
    if backend.name != "database" or connection.vendor != "sqlite":
        pytest.skip("SQLite full text")
    migration = importlib.import_module("search.migrations.0012_sqlite_language_stems")
    backend.upsert(
        [
            document("library.casestudypage:1", "Restaurar a mata ciliar", language="pt"),
            document("library.casestudypage:2", "Forest roads", summary="Terraces."),
        ]
    )
    with connection.cursor() as cursor:  # the index as migration 0011 left it
        cursor.execute("DROP TABLE search_fts")
        cursor.execute(migration.CREATE_WITHOUT_STEMS.replace("search_fts_new", "search_fts"))
        cursor.execute(
            "INSERT INTO search_fts (rowid, title, summary, body) "
            "SELECT id, title, summary, body FROM search_searchentry"
        )
    migration.add_stems(apps, _SchemaEditor(connection))

    def found(text: str, language: str) -> list[str]:
        request = SearchRequest(text=text, audiences=(PUBLIC,), reader_language=language)
        return [hit.key for hit in backend.query(request).hits]

    assert found("restauração", "pt") == ["library.casestudypage:1"]
    assert found("forest terraces", "en") == ["library.casestudypage:2"]
    hit = backend.query(SearchRequest(text="mata", audiences=(PUBLIC,), reader_language="pt"))
    assert "<mark>mata</mark>" in hit.hits[0].highlight
