"""Which fields of a saved object really changed, without reading the row again.

A save's side effects (reindexing a topic's posts, a category's topics) are worth doing only
when a field they depend on changed. Models that need to know remember the values they were
loaded with, as Django's "Customizing model loading" example does with ``from_db``, and
receivers ask ``changed_fields`` after a save.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models


class RemembersLoadedValues:
    """Mixin for a model: keep the values each instance was loaded with from the database."""

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = _stored_values(instance)
        return instance

    def save(self, *args, **kwargs) -> None:
        # Receivers of ``post_save`` (inside ``super().save()``) still see what was loaded;
        # from here on the saved values are the ones to compare the next save with.
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        loaded = getattr(self, "_loaded_values", None)
        if loaded is None:
            if update_fields is not None:
                return  # the other fields' stored values are still unknown
            loaded = self._loaded_values = {}
        saved = _stored_values(self)
        if update_fields is not None:
            saved = {name: saved[name] for name in _attnames(self, update_fields) if name in saved}
        loaded.update(saved)


def _stored_values(instance: models.Model) -> dict[str, object]:
    """The instance's concrete field values by attname; deferred ones are not there to read."""
    return {
        field.attname: instance.__dict__[field.attname]
        for field in instance._meta.concrete_fields
        if field.attname in instance.__dict__
    }


def _attnames(instance: models.Model, names: Iterable[str]) -> set[str]:
    """``update_fields`` may name a foreign key either way (``category`` or ``category_id``)."""
    return {instance._meta.get_field(name).attname for name in names}


def changed_fields(
    instance: models.Model,
    names: Iterable[str],
    *,
    created: bool = False,
    update_fields: Iterable[str] | None = None,
) -> set[str]:
    """Those of ``names`` (field names) that this save may have changed.

    A new object changed everything. A save limited by ``update_fields`` changed at most those.
    Otherwise the values are compared with the ones the instance was loaded with; without them
    (an instance built by hand) every field counts as changed, so callers err towards doing the
    work."""
    names = set(names)
    if created:
        return names
    if update_fields is not None:
        saved = _attnames(instance, update_fields)
        names = {name for name in names if instance._meta.get_field(name).attname in saved}
    loaded = getattr(instance, "_loaded_values", None)
    if loaded is None:
        return names
    changed = set()
    for name in names:
        attname = instance._meta.get_field(name).attname
        if attname not in loaded or loaded[attname] != instance.__dict__.get(attname):
            changed.add(name)
    return changed
