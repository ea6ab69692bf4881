"""PostgreSQL: each entry's facet values as lexemes of its ``search_vector`` ("region africa",
see ``search.backends.database.postgresql.facet_lexeme``), so a facet filter is answered by the
GIN index together with the words. Entries indexed before this get them from the facet table here;
new writes add them themselves. Reversing leaves them (no query word can match them)."""

from django.db import migrations

POSTGRES_ADD = """
UPDATE search_searchentry AS entry
SET search_vector = COALESCE(entry.search_vector, ''::tsvector) || facets.lexemes
FROM (
    SELECT entry_id, array_to_tsvector(array_agg(DISTINCT name || ' ' || value)) AS lexemes
    FROM search_searchfacet GROUP BY entry_id
) AS facets
WHERE facets.entry_id = entry.id
"""


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_ADD)


class Migration(migrations.Migration):
    dependencies = [("search", "0007_facet_value_entry_index")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
