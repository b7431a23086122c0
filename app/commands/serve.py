"""``suivi-etp run``: serve the app (development server; production uses gunicorn)."""

from __future__ import annotations

import click
from werkzeug.serving import WSGIRequestHandler


@click.command("run", help="Sert l'application (par défaut sur http://127.0.0.1:8050).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8050, show_default=True, type=int)
@click.option("--debug/--no-debug", default=False)
def run(host: str, port: int, debug: bool) -> None:
    from app import create_app
    from app.extensions import engine
    from etp.db import init_db

    dash_app = create_app()
    with dash_app.server.app_context():
        init_db(engine())
    click.echo(f"Suivi ETP : http://{host}:{port}")
    dash_app.run(host=host, port=port, debug=debug, request_handler=SansVersion)


class SansVersion(WSGIRequestHandler):
    """The development server without its versions in the ``Server`` header."""

    def version_string(self) -> str:
        return "suivi-etp"
