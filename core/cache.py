"""The cache backends: Redis with one client per connection pool, and the database (when
there is no Redis) with writes that need not wait for the disk.

Django's Redis cache makes a new `redis.Redis` client for every operation (about half a
millisecond of Python each: the client sets up its table of response callbacks); an API
read makes two or three cache operations. The client is thread-safe and only wraps the
pool, so one per pool is kept.

Django's database cache commits every write: the API throttle writes once per request, and
on PostgreSQL each commit waits for the write-ahead log to reach the disk (several
milliseconds, more on a busy machine). A cache entry that a crash loses costs nothing (a
throttle count, a page rendered again), so these writes commit with `synchronous_commit`
off: PostgreSQL still keeps the table consistent, it only answers before the flush. Never
inside an outer transaction, whose own writes must stay durable.
"""

from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.db import connections, router, transaction


class DatabaseCache(DjangoDatabaseCache):
    """django.core.cache.backends.db.DatabaseCache, its writes not waiting for the disk."""

    @contextmanager
    def _asynchronous_commit(self):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            yield
            return
        with transaction.atomic(using=db):
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            yield

    def _base_set(self, mode, key, value, timeout=DEFAULT_TIMEOUT):
        with self._asynchronous_commit():
            return super()._base_set(mode, key, value, timeout)

    def _base_delete_many(self, keys):
        if not keys:
            return False
        with self._asynchronous_commit():
            return super()._base_delete_many(keys)


class _ReusingRedisClient(RedisCacheClient):
    """Django's Redis cache client, keeping one `redis.Redis` per connection pool."""

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = clients[index] = self._client(connection_pool=self._pools[index])
        return client


class RedisCache(DjangoRedisCache):
    """django.core.cache.backends.redis.RedisCache with its clients reused."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingRedisClient
