"""The store: SQLite by default, PostgreSQL through the same URL form; schema under migrations."""

from crosswire.store.sql import StateConflict, Store, default_url

__all__ = ["StateConflict", "Store", "default_url"]
