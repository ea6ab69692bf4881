"""PostgreSQL: each entry's one-word score for every lexeme of its title
(``search_titleword``), so page 1 of a one-word query starts from the best-scored titles
instead of ranking every title with the word (~7,000 rows at 100,000 documents).

``score`` is ``ts_rank_cd(search_vector, '<lexeme>')``, the engine's own score for a query of
that lexeme alone; a query of two lexemes (the reader's stem and the plain word) scores at
most their sum, so the sum orders candidates and bounds the rest (see
``PostgresFullText.top``). No foreign key: a flush that truncates the entries table would
refuse one; the backend deletes its rows with the entries, and a row left behind is harmless
(candidates are joined to the entries and checked against their title vector).
Entries indexed before this get their rows here."""

from django.db import migrations

#: A lexeme (text) as a one-lexeme tsquery, quoted as the tsquery input syntax wants.
LEXEME_QUERY = "('''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || '''')::tsquery"
#: Rows of the entries whose ids are %(ids)s (or every entry, see POSTGRES_BACKFILL).
ROWS = (
    "SELECT id, generation, lexeme, ts_rank_cd(search_vector, " + LEXEME_QUERY + ") "
    "FROM search_searchentry, unnest(tsvector_to_array(title_vector)) AS lexeme "
    "WHERE title_vector IS NOT NULL AND search_vector IS NOT NULL"
)
INSERT = "INSERT INTO search_titleword (entry_id, generation, lexeme, score) "
POSTGRES_CREATE = [
    "CREATE TABLE IF NOT EXISTS search_titleword (entry_id bigint NOT NULL, "
    "generation integer NOT NULL, lexeme text NOT NULL, score real NOT NULL)",
    "CREATE INDEX IF NOT EXISTS search_titleword_lookup ON search_titleword "
    "(generation, lexeme) INCLUDE (entry_id, score)",
    "CREATE INDEX IF NOT EXISTS search_titleword_entry ON search_titleword (entry_id)",
]
POSTGRES_BACKFILL = INSERT + ROWS
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_titleword"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)
        schema_editor.execute("DELETE FROM search_titleword")
        schema_editor.execute(POSTGRES_BACKFILL)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0009_vectors_inline")]

    operations = [migrations.RunPython(create, drop)]
