"""The PostgreSQL backend's cheaper test flush (``config/postgresql``): what it emits, and the
upstream facts it stands on, pinned so that a Django upgrade that changes them fails here."""

from __future__ import annotations

import inspect

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.utils import load_backend
from django.test import TransactionTestCase

from forums.models import Category, Topic
from network.models import User

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL leg runs it (DATABASE_URL)"
)


def _operations():
    """The backend's operations without a connection (nothing here talks to a server)."""
    backend = load_backend("config.postgresql")
    wrapper = backend.DatabaseWrapper({"NAME": "probe", "OPTIONS": {}, "TIME_ZONE": None})
    return wrapper.ops


def test_a_flush_that_keeps_sequences_deletes_rows_with_the_keys_deferred():
    statements = _operations().sql_flush(no_style(), ["forums_topic", "forums_category"])
    assert statements == [
        "SET CONSTRAINTS ALL DEFERRED;",
        'DELETE FROM "forums_topic";',
        'DELETE FROM "forums_category";',
    ]


def test_manage_py_flush_still_truncates_and_restarts_the_sequences():
    statements = _operations().sql_flush(no_style(), ["forums_topic"], reset_sequences=True)
    assert statements == ['TRUNCATE "forums_topic" RESTART IDENTITY;']


def test_django_flushes_after_a_transactional_test_keeping_sequences_in_one_transaction():
    """The two upstream facts the backend relies on."""
    teardown = inspect.getsource(TransactionTestCase._fixture_teardown)
    assert '"flush"' in teardown and "reset_sequences=False" in teardown
    assert "transaction.atomic(" in inspect.getsource(BaseDatabaseOperations.execute_sql_flush)


@on_postgresql
@pytest.mark.django_db
def test_every_foreign_key_is_deferrable():
    """Deleting table by table in any order holds only if no key is checked before commit."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint "
            "WHERE contype = 'f' AND NOT condeferrable"
        )
        assert cursor.fetchall() == []


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_flush_empties_related_tables(migrated_rows, make_user):
    author = make_user()
    category = Category.objects.create(name="Soil", slug="soil")
    Topic.objects.create(category=category, title="Carbon", author=author)
    call_command("flush", verbosity=0, interactive=False, reset_sequences=False)
    assert (User.objects.count(), Category.objects.count(), Topic.objects.count()) == (0, 0, 0)
