"""``suivi-etp run``: serve the app with gunicorn, as production does (Werkzeug with ``--debug``).

``make run`` goes through here, so the first thing a new user sees is served the way users will
be served: several processes, compressed responses, long-cached static files. The development
server only comes with ``--debug`` (reloader and Dash's dev tools).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import click
from gunicorn.app.base import BaseApplication
from werkzeug.serving import WSGIRequestHandler


class GunicornServer(BaseApplication):
    """gunicorn started from Python: each worker builds its own app (``create_app``), like
    ``gunicorn app.wsgi:server`` does, so no database connection crosses a fork."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self) -> Any:
        from app.wsgi import server

        return server


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    """The gunicorn settings of ``suivi-etp run`` (pure: tested without starting a server)."""
    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": 60,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "warning",
    }
    # gunicorn 25.1+ opens a control socket under ~/.gunicorn by default; not needed here.
    if "control_socket_disable" in _gunicorn_settings():
        options["control_socket_disable"] = True
    return options


def workers_par_defaut(environ: Mapping[str, str]) -> int:
    """``WEB_CONCURRENCY`` when set; else two workers with Redis and one without: without
    Redis the cache, the one-computation-per-key locks and the failed-login counter live in
    each process, so a second worker would compute everything twice and give an attacker
    twice the attempts (``make run``, the embedded setup, has no Redis)."""
    explicite = environ.get("WEB_CONCURRENCY", "").strip()
    if explicite:
        return int(explicite)
    return 2 if environ.get("REDIS_URL") else 1


def _gunicorn_settings() -> set[str]:
    from gunicorn.config import KNOWN_SETTINGS

    return {setting.name for setting in KNOWN_SETTINGS}


@click.command("run", help="Sert l'application (par défaut sur http://127.0.0.1:8050).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8050, show_default=True, type=int)
@click.option(
    "--workers",
    default=lambda: workers_par_defaut(os.environ),
    show_default="WEB_CONCURRENCY, sinon 2 avec REDIS_URL et 1 sans",
    type=click.IntRange(1, 64),
    help="Nombre de processus gunicorn.",
)
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--debug/--no-debug",
    default=False,
    help="Serveur de développement Werkzeug (rechargement, outils Dash) au lieu de gunicorn.",
)
def run(host: str, port: int, workers: int, threads: int, debug: bool) -> None:
    import auth.models  # noqa: F401  (account tables on the shared metadata)
    from app import create_app
    from app.config import load_settings
    from etp.db import get_engine, init_db

    # Create the tables once, before any worker starts (the workers only read and write rows).
    engine = get_engine(load_settings()["DATABASE_URL"])
    init_db(engine)
    # The pooled connection must not outlive the fork: every gunicorn worker inherited it, and
    # two processes talking on one PostgreSQL socket answered each other's queries ("can't
    # change 'autocommit' now: connection in transaction status INTRANS", closed results:
    # the national benchmark's dashboard never drew). Each worker opens its own.
    engine.dispose()
    click.echo(f"Suivi ETP : http://{host}:{port}")
    if debug:
        create_app().run(host=host, port=port, debug=True, request_handler=SansVersion)
        return
    GunicornServer(gunicorn_options(host, port, workers, threads)).run()


class SansVersion(WSGIRequestHandler):
    """The development server (``--debug``) without its versions in the ``Server`` header."""

    def version_string(self) -> str:
        return "suivi-etp"
