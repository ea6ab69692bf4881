"""SQLite: each content language's own stemming, at index and at query time.

FTS5's built-in ``porter`` tokenizer stems English only, and Spanish, French and Portuguese
content is first-class here ("restauração" must find "restaurar"). SQLite from Python cannot
take a tokenizer of ours, so the text of a document in one of those languages is also indexed
as its Snowball stems (the same algorithms PostgreSQL's ``spanish``, ``french`` and
``portuguese`` configurations use), in columns of their own, and a query by a reader of that
language asks for each word's stem there too (PostgreSQL likewise stems a query in the reader's
language). English stays as it was: ``porter`` on the text columns.

Pure functions: tested as data."""

from __future__ import annotations

import re
from functools import cache, lru_cache

import snowballstemmer

#: Content languages stemmed here (English is the tokenizer's own ``porter``).
SNOWBALL_LANGUAGES = {"es": "spanish", "fr": "french", "pt": "portuguese"}
_WORDS = re.compile(r"\w+", re.UNICODE)


@cache
def _stemmer(language: str):
    """One stemmer per language."""
    return snowballstemmer.stemmer(SNOWBALL_LANGUAGES[language])


@lru_cache(maxsize=200_000)
def _stem(language: str, word: str) -> str:
    """A word's stem, remembered: the pure-Python stemmer takes ~0.1 ms a word and keeps no
    cache of its own, while a content language's vocabulary repeats a few thousand words."""
    return _stemmer(language).stemWord(word)


def stems_language(language: str) -> str | None:
    """The language whose Snowball stems a text or a query gets, or None (not stemmed here)."""
    return language if language in SNOWBALL_LANGUAGES else None


def stem_word(word: str, language: str) -> str | None:
    """The stem of one lower-cased query word in ``language`` (None: not stemmed here)."""
    if stems_language(language) is None:
        return None
    return _stem(language, word)


def stemmed_text(text: str, language: str) -> str:
    """The text as its stems in ``language``, space-separated ("" when not stemmed here)."""
    if stems_language(language) is None or not text:
        return ""
    return " ".join(_stem(language, word) for word in _WORDS.findall(text.lower()))
