"""Display names unique as people read them: a stored key (case, spacing, compatibility forms
and Latin look-alike letters folded) with a unique constraint.

Data-safe: every existing name is kept. Names saved before the checks are put on one line; of
names that share a key, the oldest account keeps its name and each later one gets its username
appended (``"Ama Mensah (ama2)"``), so nobody's name is emptied and no two collide.
"""

import unicodedata

from django.db import migrations, models

# Frozen copies of network.text.single_line and network.validators.name_key as of this migration.
_LOOKALIKES = str.maketrans(
    "аеорсухіјѕԁһӏԛԝмнтвкοαινκτρεημ",  # the look-alikes, on purpose
    "aeopcyxijsdhlqwmhtbkoaivktpehm",
)


def _one_line(name):
    visible = "".join(
        " " if char.isspace() else char
        for char in name
        if char.isspace() or (char.isprintable() and unicodedata.category(char) != "Cf")
    )
    return " ".join(visible.split())


def _key(name):
    folded = unicodedata.normalize("NFKC", name).casefold().translate(_LOOKALIKES)
    return " ".join(folded.split())


def fill_keys(apps, schema_editor):
    User = apps.get_model("network", "User")
    taken = set()
    for user in User.objects.exclude(display_name="").order_by("pk").iterator():
        name = _one_line(user.display_name)[:80]
        key = _key(name) if name else ""
        if key and key in taken:
            suffix = f" ({user.username})"
            name = name[: 80 - len(suffix)] + suffix
            key = _key(name)
            if key in taken:  # a username is unique, but keep going until the key is too
                suffix = f" ({user.pk})"
                name = name[: 80 - len(suffix)] + suffix
                key = _key(name)
        if key:
            taken.add(key)
        User.objects.filter(pk=user.pk).update(display_name=name, display_name_key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("network", "0003_partnerships_organisations"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="display_name_key",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                condition=models.Q(("display_name_key", ""), _negated=True),
                fields=("display_name_key",),
                name="display_names_unique",
            ),
        ),
    ]
