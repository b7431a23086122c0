"""WSGI entry point for gunicorn: ``gunicorn --workers 4 app.wsgi:server``.

Each gunicorn worker imports this module and so builds its own app (its own cache client,
rate limiter and, lazily, database engine). What the workers must share lives outside them:
``SECRET_KEY`` (the session cookie one worker signs, another reads), and with ``REDIS_URL``
the cache and the login rate-limit counter. Building the app opens no database connection, so
``--preload`` (import in the master, then fork) is safe as well: the engine of each worker is
created at its first request. Each worker draws the tabs' charts once at boot, then freezes
what it holds out of the garbage collector's sight (:mod:`callbacks.demarrage`, about a
second).
"""

from app import create_app
from callbacks import demarrage

application = create_app()
server = application.server
# each chart drawn once on a made-up selection (Plotly's lazy imports paid here, at boot, not in
# a user's first click), then the boot's objects frozen (callbacks.demarrage)
demarrage.preparer_worker()
