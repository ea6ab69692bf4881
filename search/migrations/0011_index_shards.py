"""Index writes count themselves on one of 64 shard rows (``IndexShard``), no longer on the one
``IndexState`` row every writer waited on. No data moves: ``IndexState.version`` keeps the count
so far and the index version is its sum with the shards', so it carries on from where it was
(a version that went back would let answers cached before it be read again)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0010_title_word_scores"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndexShard",
            fields=[
                ("number", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("version", models.PositiveBigIntegerField(default=0)),
            ],
        ),
    ]
