"""Server-rendered pages outside the Dash dashboard: the structure page (``/structure/<id>``),
its notes de terrain and its PDF. ``init_app(server)`` registers the blueprint; the guard of
``auth`` already denies anonymous visitors (redirect to ``/connexion``)."""

from __future__ import annotations

from flask import Flask


def init_app(server: Flask) -> None:
    from fiches import vues

    server.register_blueprint(vues.bp)
