"""SQLite: the full-text table gains the Snowball stems of Spanish, French and Portuguese
documents (``title_stems``, ``text_stems``; see ``search.backends.database.analysis``), so
their words are found in other forms as PostgreSQL's language configurations find them.

FTS5 tables take no new column: a new table is filled from the old one (the text as it was
indexed) plus the stems of each entry in one of those languages, then takes the old one's
name. PostgreSQL already parses each document in its own language: nothing to do there."""

from django.db import migrations

from search.backends.database.analysis import SNOWBALL_LANGUAGES, stemmed_text

TOKENIZER = "tokenize = 'porter unicode61 remove_diacritics 2'"
CREATE_WITH_STEMS = (
    "CREATE VIRTUAL TABLE search_fts_new USING fts5("
    f"title, summary, body, title_stems, text_stems, {TOKENIZER})"
)
CREATE_WITHOUT_STEMS = (
    f"CREATE VIRTUAL TABLE search_fts_new USING fts5(title, summary, body, {TOKENIZER})"
)
COPY_TEXT = (
    "INSERT INTO search_fts_new (rowid, title, summary, body) "
    "SELECT rowid, title, summary, body FROM search_fts"
)
SWAP = ["DROP TABLE search_fts", "ALTER TABLE search_fts_new RENAME TO search_fts"]
UPDATE_STEMS = "UPDATE search_fts_new SET title_stems = %s, text_stems = %s WHERE rowid = %s"
BATCH = 500


def add_stems(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(CREATE_WITH_STEMS)
    schema_editor.execute(COPY_TEXT)
    entries = (
        apps.get_model("search", "SearchEntry")
        .objects.filter(language__in=list(SNOWBALL_LANGUAGES))
        .values_list("pk", "language", "title", "summary", "body")
    )
    with schema_editor.connection.cursor() as cursor:
        batch = []
        for pk, language, title, summary, body in entries.iterator(chunk_size=BATCH):
            batch.append(
                (
                    stemmed_text(title, language),
                    stemmed_text(f"{summary} {body}", language),
                    pk,
                )
            )
            if len(batch) == BATCH:
                cursor.executemany(UPDATE_STEMS, batch)
                batch = []
        if batch:
            cursor.executemany(UPDATE_STEMS, batch)
    for statement in SWAP:
        schema_editor.execute(statement)


def drop_stems(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(CREATE_WITHOUT_STEMS)
    schema_editor.execute(COPY_TEXT)
    for statement in SWAP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0011_index_shards")]

    operations = [migrations.RunPython(add_stems, drop_stems)]
