"""Authenticated access: accounts, organisations, roles, scope, login page, guard, admin page.

``init_app(server)`` wires everything on the Flask server of ``app.create_app``.
"""

from __future__ import annotations

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager

login_manager = LoginManager()

DEFAULT_LOGIN_RATE_LIMIT = "10 per minute"


@login_manager.user_loader
def _load_user(session_id: str):
    from app.extensions import engine
    from auth.identity import load_by_session_id

    user = load_by_session_id(engine(), session_id)
    return user if user is not None and user.actif else None


def _login_rate_limit() -> str:
    return current_app.config.get("LOGIN_RATE_LIMIT", DEFAULT_LOGIN_RATE_LIMIT)


def init_app(server: Flask) -> None:
    """Install Flask-Login, the guard, the login and admin blueprints and the login rate limit.

    The limiter is built per app (not a module singleton): Flask-Limiter keeps its storage and
    ``enabled`` flag on the instance, which would leak between apps (tests, several factories).
    Its storage is ``RATELIMIT_STORAGE_URI`` (Redis when ``REDIS_URL`` is set).
    """
    from auth import admin, limitation, views
    from auth.guard import install_guard

    login_manager.init_app(server)
    install_guard(server)
    server.register_blueprint(views.bp)
    server.register_blueprint(admin.bp)
    limiter = Limiter(get_remote_address, app=server, default_limits=[])
    server.extensions["auth_limiter"] = limiter
    server.view_functions["auth.login"] = limiter.limit(
        _login_rate_limit,
        methods=["POST"],
        error_message="Trop de tentatives de connexion. Réessayez dans une minute.",
        # failures only: an office behind one address is not limited by its successful logins
        deduct_when=lambda response: response.status_code != 302,
    )(server.view_functions["auth.login"])
    limitation.install(server)
    server.register_error_handler(429, _too_many_requests)


def _too_many_requests(_exc):
    from flask import render_template

    message = "Trop de tentatives de connexion. Réessayez dans une minute."
    return render_template("auth_error.html", title="Trop de tentatives", message=message), 429
