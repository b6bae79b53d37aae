"""The Redis cache backend keeps one client per connection pool (healing/cache.py)."""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCacheClient

from healing.cache import RedisCache, ReusedRedisCacheClient


def test_the_redis_cache_reuses_its_client_between_operations() -> None:
    cache = RedisCache("redis://127.0.0.1:6379/9", {})
    assert isinstance(cache._cache, ReusedRedisCacheClient)
    client: Any = cache._cache
    first = client.get_client(write=True)
    assert client.get_client(write=True) is first
    assert client.get_client("key") is first  # one server: reads use the same pool
    assert first.connection_pool is client._get_connection_pool(True)
    # Django's own client builds a new one each time: what this backend saves.
    plain = RedisCacheClient(["redis://127.0.0.1:6379/9"])
    assert plain.get_client(write=True) is not plain.get_client(write=True)
