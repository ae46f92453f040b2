"""The site's caches use core's store (core/cache_store.py: one implementation for the check,
render and search caches): its folder, its keys' common start and its JSON-in-SQLite table."""
from ..core.cache_store import JsonStore, cache_root, close_store, code_digest, library_key

__all__ = ["JsonStore", "cache_root", "close_store", "code_digest", "library_key"]
