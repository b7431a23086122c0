"""Module-level singletons initialised in the factory, and access to the app's database."""

from __future__ import annotations

from flask import current_app
from flask_caching import Cache
from sqlalchemy import Engine

from etp.db import get_engine

cache = Cache()


def engine() -> Engine:
    """The engine of the current Flask app (one per database URL and process)."""
    return get_engine(current_app.config["DATABASE_URL"])
