"""The Dash app is ready before its first request. Dash registered its bundles during the
first request of a process and set its "done" flag first: a fresh gunicorn worker's parallel
requests for react, dcc… found nothing registered (500 « "dash" is not a registered
library »), and the page never drew (seen in the browser tests under load)."""

from __future__ import annotations

from app import create_app


def test_bundles_are_registered_before_any_request(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'pret.db'}", "TESTING": True})
    enregistres = app.registered_paths
    assert {"dash", "dash_bootstrap_components"} <= set(enregistres)
    assert any(chemin.endswith("dash_renderer.min.js") for chemin in enregistres["dash"])
    assert any("react@" in chemin for chemin in enregistres["dash"])
