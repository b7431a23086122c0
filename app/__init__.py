"""Application factory: ``create_app(config) -> dash.Dash``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import dash
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import auth
import fiches
from app import entetes, local_cache, memory_pool, requetes_dash, single_flight, static_cache
from app.config import load_settings
from app.extensions import cache
from app.vendor import ensure_vendor_assets, plotly_partiel

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"

# Dash's page skeleton with the page language set (Dash sets no <html lang>). Dash asks for the
# chart component only once the first callback has answered; the preload hint fetches it while
# the layout and the callbacks are on their way. Plotly itself is the basic bundle of
# ``assets/vendor`` (a plain script of the page, see ``app.vendor``); without it, Dash's full
# bundle (1.4 MB compressed) is announced the same way.
PRECHARGE_PLOTLY_COMPLET = """
        <link rel="preload" as="script"
              href="/_dash-component-suites/plotly/package_data/plotly.min.js">"""
INDEX_STRING = """<!DOCTYPE html>
<html lang="fr">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
        <link rel="preload" as="script" href="/_dash-component-suites/dash/dcc/async-graph.js">\
<!--plotly-->
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


#: Babel's polyfill of 2018 that Dash still puts before React, for browsers older than any the
#: product supports: in today's browsers it replaced native built-ins by slower script
#: versions (``String.prototype.trim``, which Plotly calls all the time) and cost ~60 ms of
#: script at every page load, plus 30 KB.
POLYFILL = re.compile(r'<script src="[^"]*/deps/polyfill@[^"]*"></script>\n?')


class DashSansPolyfill(dash.Dash):
    """Dash without :data:`POLYFILL` in its page (``interpolate_index``, Dash's documented
    hook for the page skeleton)."""

    def interpolate_index(self, **kwargs: Any) -> str:
        kwargs["scripts"] = POLYFILL.sub("", kwargs.get("scripts", ""))
        return super().interpolate_index(**kwargs)


def index_string(plotly_partiel: bool) -> str:
    """The page skeleton; the full bundle is announced only when the basic one is missing."""
    return INDEX_STRING.replace("<!--plotly-->", "" if plotly_partiel else PRECHARGE_PLOTLY_COMPLET)


def create_app(config: dict[str, Any] | None = None) -> dash.Dash:
    """Build the Flask server and the Dash app on it. ``config`` overrides the environment."""
    memory_pool.use_system_allocator()  # frames' text columns reindexed 5× faster (its docstring)
    ensure_vendor_assets(ASSETS)
    server = Flask(__name__, instance_path=str(ROOT / "instance"))
    server.config.update(load_settings(config))
    if server.config["PROXY_FIX"]:  # behind a reverse proxy: trust its X-Forwarded-* headers
        hops = server.config["PROXY_FIX_HOPS"]
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    cache.init_app(server)
    single_flight.install(server)
    local_cache.install(server)
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

    dash_app = DashSansPolyfill(
        __name__,
        server=server,
        title="Suivi ETP",
        assets_folder=str(ASSETS),
        serve_locally=True,
        suppress_callback_exceptions=True,
        update_title=None,
        index_string=index_string(plotly_partiel(ASSETS)),
        # gzip for every response (Plotly's basic bundle: 1.2 MB -> 0.4 MB).
        compress=True,
    )
    import callbacks
    from callbacks import page

    dash_app.layout = page.layout
    callbacks.register(dash_app)
    requetes_dash.install(server, dash_app)
    entetes.install(server, dash_app)
    # Dash registers its component bundles on the first request of a process, setting its
    # "done" flag before the work: under gunicorn's threads, a fresh worker's parallel requests
    # for react, dcc… found nothing registered (500 « "dash" is not a registered library ») and
    # the page never drew. Done here, once, before any request.
    with server.app_context():
        dash_app._setup_server()
    return dash_app
