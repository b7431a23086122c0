"""Security headers on every response.

- ``Content-Security-Policy``: scripts from this site only, plus the inline scripts Dash writes
  into its page (the renderer bootstrap and the clientside callbacks given as strings), allowed
  by their SHA-256 (``dash.Dash.csp_hashes``) — no ``unsafe-inline`` and no ``unsafe-eval`` for
  scripts. Styles keep ``'unsafe-inline'``: React components and Plotly set ``style``
  attributes, which cannot run code. ``frame-ancestors 'none'`` (and ``X-Frame-Options: DENY``
  for old browsers) forbids framing (clickjacking).
- ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin``.
- ``Strict-Transport-Security`` when the session cookie is HTTPS-only
  (``SESSION_COOKIE_SECURE=1``): the site is then served over HTTPS only.
- ``Cache-Control: no-store`` on every response to a logged-in user (pages, callbacks,
  downloads: personal data must not stay in a shared cache or the browser's disk), except
  static files (``/assets/``, Dash's component bundles), which are the same for everyone.
"""

from __future__ import annotations

import dash
from flask import Flask, request
from flask_login import current_user
from werkzeug.wrappers import Response

HSTS = "max-age=31536000; includeSubDomains"
STATIQUES = ("/assets/", "/_dash-component-suites/", "/favicon.ico", "/_favicon.ico")


def politique(hashes: list[str]) -> str:
    """The Content-Security-Policy, with the hashes of the page's inline scripts."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{nom} {' '.join(valeurs)}" for nom, valeurs in directives.items())


def install(server: Flask, dash_app: dash.Dash) -> None:
    """Add the headers to every response of ``server``. The script hashes are computed at
    the first response, once every callback (and so every inline script) is registered."""
    hsts = bool(server.config.get("SESSION_COOKIE_SECURE"))
    csp: list[str] = []

    @server.after_request
    def _entetes(response: Response) -> Response:
        if not csp:
            csp.append(politique(list(dash_app.csp_hashes())))
        headers = response.headers
        headers["Content-Security-Policy"] = csp[0]
        headers["X-Frame-Options"] = "DENY"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        if hsts:
            headers["Strict-Transport-Security"] = HSTS
        if not request.path.startswith(STATIQUES) and _connecte():
            headers["Cache-Control"] = "no-store"
            headers.pop("Expires", None)
            headers.pop("ETag", None)
        return response


def _connecte() -> bool:
    try:
        return bool(current_user.is_authenticated)
    except Exception:  # pragma: no cover - no login manager (never in this app)
        return False
