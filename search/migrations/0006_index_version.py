"""A version of the search index, counted by every change, for keying cached answers."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_title_vector"),
    ]

    operations = [
        migrations.AddField(
            model_name="indexstate",
            name="version",
            field=models.PositiveBigIntegerField(default=0),
        ),
    ]
