"""Load the starting themes, ecosystems and the 17 SDGs; existing terms are left as edited."""

from django.db import migrations

from library.vocabulary_data import ECOSYSTEMS, SDGS, THEMES


def load(apps, schema_editor):
    Theme = apps.get_model("library", "Theme")
    Ecosystem = apps.get_model("library", "Ecosystem")
    Goal = apps.get_model("library", "SustainableDevelopmentGoal")
    for model, rows in ((Theme, THEMES), (Ecosystem, ECOSYSTEMS)):
        for slug, name, name_es, name_fr, name_pt in rows:
            model.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "name_es": name_es, "name_fr": name_fr, "name_pt": name_pt},
            )
    for number, slug, name, name_es, name_fr, name_pt in SDGS:
        Goal.objects.get_or_create(
            number=number,
            defaults={
                "slug": slug,
                "name": name,
                "name_es": name_es,
                "name_fr": name_fr,
                "name_pt": name_pt,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("library", "0002_case_studies_resources_vocabularies")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
