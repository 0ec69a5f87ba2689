"""The cache backends of core.cache: the database cache's writes skip the disk wait only
outside other transactions; the Redis cache keeps one client per pool."""

import os

import pytest
from django.db import connection, transaction

from core.cache import DatabaseCache, RedisCache

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def db_cache():
    from django.core.management import call_command

    call_command("createcachetable", "test_cache_entries", verbosity=0)
    yield DatabaseCache("test_cache_entries", {})
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE test_cache_entries")


def _synchronous_commit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_database_cache_writes_do_not_wait_for_the_disk(db_cache, monkeypatch):
    """A cache write on its own commits with synchronous_commit off (and the connection is
    back to on afterwards); inside an outer transaction nothing is changed, so the outer
    transaction's writes stay durable. Values round-trip either way."""
    from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache

    seen = []
    original = DjangoDatabaseCache._base_set

    def spy(self, *args, **kwargs):  # Django's write, inside core.cache's wrapper
        seen.append(_synchronous_commit())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(DjangoDatabaseCache, "_base_set", spy)
    db_cache.set("a", [1, 2], 60)
    assert db_cache.get("a") == [1, 2] and _synchronous_commit() == "on"
    with transaction.atomic():
        db_cache.set("b", "två", 60)
    assert db_cache.get("b") == "två"
    assert seen == ["off", "on"]
    db_cache.delete("a")
    assert db_cache.get("a") is None


def test_redis_cache_reuses_its_client():
    """One redis.Redis per pool instead of one per operation; values round-trip."""
    import redis

    url = f"redis://127.0.0.1:6379/{os.environ.get('REDIS_TEST_DB', '15')}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("Redis must listen on 127.0.0.1:6379 (shared state is tested for real)")
    cache = RedisCache(url, {"KEY_PREFIX": "cache-test"})
    try:
        cache.set("k", {"å": 1}, 30)
        assert cache.get("k") == {"å": 1}
        assert cache._cache.get_client(write=True) is cache._cache.get_client()
    finally:
        cache.delete("k")
