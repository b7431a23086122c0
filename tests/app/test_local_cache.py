"""The worker's memory of the last selections' frames (``app.local_cache``); how the callbacks
use it: tests/callbacks/test_dash_cache.py."""

from __future__ import annotations

from app.local_cache import LocalCache


def test_the_least_recently_used_entry_makes_room():
    lru = LocalCache(max_entrees=2)
    lru.set("a", 1)
    lru.set("b", 2)
    assert lru.get("a") == 1  # "b" is now the oldest
    lru.set("c", 3)
    assert (lru.get("a"), lru.get("b"), lru.get("c")) == (1, None, 3)
    assert len(lru) == 2
