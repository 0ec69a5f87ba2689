"""One rate limit per API client."""

import os

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.utils.connection import ConnectionProxy
from rest_framework.throttling import UserRateThrottle


def _redis_client(cache):
    """The Redis connection behind Django's RedisCache, else None (other caches)."""
    if isinstance(cache, ConnectionProxy):  # django.core.cache.cache, DRF's default
        cache = caches[cache._alias]
    if isinstance(cache, RedisCache):
        return cache._cache.get_client(write=True)
    return None


class ClientRateThrottle(UserRateThrottle):
    """A signed-in user or token's user at the "user" rate, an anonymous address at the
    "anon" rate.

    DRF's AnonRateThrottle and UserRateThrottle side by side count every anonymous request
    twice (the user throttle falls back to the address); this is the pair in one pass.

    DRF keeps each client's request times as one cached list that it reads and writes back
    on every request: two round trips to Redis, and with the database cache a read, a count,
    an update and a commit. On Redis the same sliding window is a sorted set of request
    times, trimmed, added to and counted in one pipelined round trip (MULTI/EXEC, so the
    servers sharing the Redis count together); a refused request is taken out again, as DRF
    does not count it either.
    """

    def allow_request(self, request, view):
        self.scope = "user" if request.user and request.user.is_authenticated else "anon"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        client = _redis_client(self.cache) if self.rate is not None else None
        if client is None:
            return super().allow_request(request, view)
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        return self._allow_in_redis(client, self.cache.make_key(key))

    def _allow_in_redis(self, client, key):
        now = self.timer()
        member = f"{now:.6f}:{os.urandom(6).hex()}"
        pipe = client.pipeline(transaction=True)
        pipe.zremrangebyscore(key, "-inf", now - self.duration)
        pipe.zadd(key, {member: now})
        pipe.zcard(key)
        pipe.expire(key, int(self.duration) + 1)
        count = pipe.execute()[2]
        if count <= self.num_requests:
            return True
        pipe = client.pipeline(transaction=True)
        pipe.zrem(key, member)
        pipe.zrange(key, 0, 0, withscores=True)
        oldest = pipe.execute()[1]
        # Free again when the oldest request counted leaves the window.
        self._retry_after = max(0.0, self.duration - (now - oldest[0][1])) if oldest else 1.0
        return False

    def wait(self):
        retry_after = getattr(self, "_retry_after", None)
        return retry_after if retry_after is not None else super().wait()
