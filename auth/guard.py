"""One ``before_request`` guard for every route: deny by default.

Anonymous requests get a redirect to ``/connexion`` for pages and a 401 JSON for Dash's
``/_dash-*`` (and any other ``/_`` endpoint), except the few public paths listed here. A user
disabled (or whose password was reset) since logging in is logged out at their next request:
the user loader no longer recognises their session id.
"""

from __future__ import annotations

from flask import Flask, jsonify, redirect, request, session, url_for
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

PUBLIC_PATHS = frozenset({"/connexion", "/sante", "/favicon.ico", "/_favicon.ico"})
PUBLIC_PREFIXES = ("/assets/",)
API_PREFIX = "/_"
#: Dash's page routes serve the application shell for any path: a public-looking path that
#: lands there (``/assets/``, ``/favicon.ico``) is not a static file and is not public.
DASH_PAGE_RULES = frozenset({"/", "/<path:path>"})


def is_public(path: str, rule: str | None = None) -> bool:
    """``path`` is public, unless the URL rule it matched (``rule``) is one of Dash's pages."""
    if rule in DASH_PAGE_RULES:
        return False
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def guard() -> Response | tuple[Response, int] | None:
    if current_user.is_authenticated:
        return None
    if "_user_id" in session:  # a session the loader refused (disabled user, reset password)
        logout_user()
    if is_public(request.path, request.url_rule.rule if request.url_rule else None):
        return None
    if request.path.startswith(API_PREFIX):
        return jsonify({"erreur": "authentification requise"}), 401
    target = request.full_path.rstrip("?") if request.method == "GET" else request.path
    return redirect(url_for("auth.login", next=target))


def install_guard(server: Flask) -> None:
    """Register the guard first, so it runs before Dash's own request hooks."""
    server.before_request(guard)
