"""The Scope of the logged-in user, resolved on the server at each request.

``scope_for_user`` is a pure function of the user's organisations (union over them, domain.md
§5); ``current_scope`` applies it to ``flask_login.current_user`` and keeps the result in
``flask.g`` only, i.e. for the current request. An anonymous, inactive or organisation-less user
(an admin by that flag alone) gets ``Scope.nothing()``.
"""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context
from flask_login import current_user

from auth.identity import AuthUser
from auth.roles import union
from etp.notes import Auteur
from etp.scope import Scope

NO_SCOPE_LABEL = "Aucun périmètre"


def scope_for_user(user: AuthUser | None) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope.nothing(NO_SCOPE_LABEL)
    if not user.organisations:
        return Scope.nothing(NO_SCOPE_LABEL)
    label = ", ".join(org.label for org in user.organisations)
    return union((org.scope for org in user.organisations), label=label)


def _current_user() -> AuthUser | None:
    if not has_request_context():
        return None
    user = current_user._get_current_object()
    return user if isinstance(user, AuthUser) else None


def current_scope() -> Scope:
    """The Scope of the request's user (``Scope.nothing()`` outside a request or anonymous)."""
    if not has_request_context():
        return Scope.nothing(NO_SCOPE_LABEL)
    if "auth_scope" not in g:
        g.auth_scope = scope_for_user(_current_user())
    return g.auth_scope


def describe_current_user() -> dict[str, Any]:
    """What the dashboard header shows: who is logged in and what they see.

    Keys: ``email``, ``nom`` (display name: the name, else the e-mail), ``organisations``
    (labels), ``scope_label``, ``is_admin``, ``authenticated``, ``roles`` (organisation kinds).
    """
    user = _current_user()
    scope = current_scope()
    if user is None or not user.is_active:
        return {
            "authenticated": False,
            "email": None,
            "nom": None,
            "organisations": [],
            "scope_label": scope.label,
            "is_admin": False,
            "roles": [],
        }
    return {
        "authenticated": True,
        "email": user.email,
        "nom": user.display_name,
        "organisations": [org.label for org in user.organisations],
        "scope_label": scope.label,
        "is_admin": user.est_admin,
        "roles": sorted({org.kind for org in user.organisations}),
    }


def current_auteur() -> Auteur | None:
    """The request's user as the author of a field note: account id, display name and the
    labels of their funders' organisations (not their SIAE memberships). ``None`` when
    anonymous or without any funders' organisation."""
    user = _current_user()
    if user is None or not user.is_active:
        return None
    financeurs = [org for org in user.organisations if org.kind != "siae"]
    if not financeurs:
        return None
    return Auteur(
        id=int(user.id),
        nom=user.display_name,
        organisation=", ".join(org.label for org in financeurs),
    )
