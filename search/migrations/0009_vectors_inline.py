"""PostgreSQL: keep the tsvectors in the row (storage MAIN), so ranking a match reads one heap
page per entry instead of the page, the TOAST index and a TOAST page.

A generated entry's ``search_vector`` (~1.3 kB) does not compress, so with the default storage
(EXTENDED) the row's largest value was moved out of line whenever the row passed ~2 kB: ~80 %
of the rows at 100,000 documents, and ranking a common word's ~7,000 title matches read ~24,000
buffers. With MAIN the text columns are compressed or moved out first; a vector is only
compressed (then moved) when the row still cannot fit a page. Existing rows are rewritten here
(``|| ''`` makes a fresh value: an unchanged one would keep its TOAST pointer)."""

from django.db import migrations

POSTGRES_INLINE = [
    "ALTER TABLE search_searchentry ALTER COLUMN search_vector SET STORAGE MAIN, "
    "ALTER COLUMN title_vector SET STORAGE MAIN",
    "UPDATE search_searchentry SET search_vector = search_vector || ''::tsvector, "
    "title_vector = title_vector || ''::tsvector",
]
POSTGRES_DEFAULT = [
    "ALTER TABLE search_searchentry ALTER COLUMN search_vector SET STORAGE EXTENDED, "
    "ALTER COLUMN title_vector SET STORAGE EXTENDED",
]


def inline(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_INLINE:
            schema_editor.execute(statement)


def default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_DEFAULT:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0008_facet_lexemes")]

    operations = [migrations.RunPython(inline, default)]
