"""PostgreSQL: the title's own tsvector with a GIN index, so ranking a common word can start
from the documents with it in their title without reading every match's vector."""

from django.db import migrations

CONFIG = (
    "(CASE language WHEN 'en' THEN 'english' WHEN 'es' THEN 'spanish' WHEN 'fr' THEN 'french' "
    "WHEN 'pt' THEN 'portuguese' ELSE 'simple' END)::regconfig"
)
POSTGRES_CREATE = [
    "ALTER TABLE search_searchentry ADD COLUMN IF NOT EXISTS title_vector tsvector",
    f"UPDATE search_searchentry SET title_vector = to_tsvector({CONFIG}, title) "
    "|| to_tsvector('simple', title)",
    "CREATE INDEX IF NOT EXISTS search_entry_title_gin ON search_searchentry "
    "USING GIN (title_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_entry_title_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS title_vector",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_facet_covering_index")]

    operations = [migrations.RunPython(create, drop)]
