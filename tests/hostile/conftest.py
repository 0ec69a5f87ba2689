"""Shared by the hostile-input tests: the database's fingerprint and signed-in clients."""

import hashlib

import pytest
from django.apps import apps
from django.db import connection

from tests.conftest import make_member

#: Apps whose tables an input could change.
PROJECT_APPS = (
    "goals",
    "activities",
    "indicators",
    "followups",
    "reports",
    "access",
    "audit",
    "tombstones",
)


def _models():
    for app in PROJECT_APPS:
        yield from apps.get_app_config(app).get_models()


def db_fingerprint() -> dict:
    """Row count and a hash of every row's content, per table of the project's apps (one
    query on PostgreSQL; row by row elsewhere)."""
    if connection.vendor == "postgresql":
        parts = [
            f"SELECT %s, count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
            f"FROM {connection.ops.quote_name(model._meta.db_table)} t"
            for model in _models()
        ]
        labels = [model._meta.label for model in _models()]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), labels)
            return {label: (count, digest) for label, count, digest in cursor.fetchall()}
    state = {}
    for model in _models():
        digest = hashlib.sha256()
        count = 0
        for row in model._base_manager.order_by("pk").values_list():
            digest.update(repr(row).encode())
            count += 1
        state[model._meta.label] = (count, digest.hexdigest())
    return state


@pytest.fixture
def unchanged_db(db):
    """Asserts after the test that no table changed (row counts and content)."""
    before = db_fingerprint()
    yield before
    after = db_fingerprint()
    changed = sorted(k for k in before if before[k] != after[k])
    assert changed == [], f"changed by refused input: {changed}"


@pytest.fixture
def son_board(plan_2019):
    return plan_2019.board


@pytest.fixture
def son_client(client, son_board, django_user_model):
    """An editor of Social- och omsorgsnämnden, signed in."""
    client.force_login(make_member(django_user_model, "hostile-editor", son_board, "editor"))
    return client
