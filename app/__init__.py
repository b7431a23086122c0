"""Application factory: ``create_app(config) -> dash.Dash``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dash
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import auth
import fiches
from app import entetes, requetes_dash, static_cache
from app.config import load_settings
from app.extensions import cache
from app.vendor import ensure_vendor_assets

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"

# Dash's page skeleton with the page language set (Dash sets no <html lang>). Dash asks for the
# chart component and Plotly's bundle (1.4 MB compressed) only once the first callback has
# answered; the preload hints fetch them while the layout and the callbacks are on their way.
INDEX_STRING = """<!DOCTYPE html>
<html lang="fr">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
        <link rel="preload" as="script" href="/_dash-component-suites/dash/dcc/async-graph.js">
        <link rel="preload" as="script"
              href="/_dash-component-suites/plotly/package_data/plotly.min.js">
    </head>
    <body>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>
"""


def create_app(config: dict[str, Any] | None = None) -> dash.Dash:
    """Build the Flask server and the Dash app on it. ``config`` overrides the environment."""
    ensure_vendor_assets(ASSETS)
    server = Flask(__name__, instance_path=str(ROOT / "instance"))
    server.config.update(load_settings(config))
    if server.config["PROXY_FIX"]:  # behind a reverse proxy: trust its X-Forwarded-* headers
        hops = server.config["PROXY_FIX_HOPS"]
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    cache.init_app(server)
    auth.init_app(server)
    fiches.init_app(server)
    static_cache.init_app(server)
    from app import avis  # imports auth.views, which imports app.extensions: not at module level

    server.register_blueprint(avis.bp)
    server.register_blueprint(avis.admin_bp)
    from app import guides

    server.register_blueprint(guides.bp)
    from app import bourse

    server.register_blueprint(bourse.bp)

    @server.get("/sante")
    def health() -> tuple[dict[str, str], int]:
        return {"statut": "ok"}, 200

    dash_app = dash.Dash(
        __name__,
        server=server,
        title="Suivi ETP",
        assets_folder=str(ASSETS),
        serve_locally=True,
        suppress_callback_exceptions=True,
        update_title=None,
        index_string=INDEX_STRING,
        # gzip for every response (Plotly's bundle: 4.7 MB -> 1.4 MB).
        compress=True,
    )
    import callbacks
    from callbacks import page

    dash_app.layout = page.layout
    callbacks.register(dash_app)
    requetes_dash.install(server, dash_app)
    entetes.install(server, dash_app)
    return dash_app
