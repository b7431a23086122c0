"""The page layout for the request's user, and the shell's own callbacks (help window)."""

from __future__ import annotations

import json

import dash
from dash import Input, Output, State, html
from flask import has_request_context
from flask_wtf.csrf import generate_csrf

from auth.scope import describe_current_user
from callbacks import context
from etp import queries
from etp.formatting import fmt_date
from layouts import components, ids, shell, tabs


def page_context() -> shell.PageContext:
    """Who is logged in and what they see, gathered on the server for this request."""
    user = describe_current_user()
    scope = context.scope()
    try:
        date = queries.date_donnees(context.engine())
    except Exception:  # no schema yet: the page still renders and says so
        date = None
    return shell.PageContext(
        nom=user.get("nom"),
        organisations=tuple(user.get("organisations") or ()),
        scope_label=user.get("scope_label") or scope.label,
        date_donnees=fmt_date(date) if date else None,
        csrf_token=generate_csrf() if has_request_context() else "",
        show_territoire=context.show_territoire(scope),
        is_admin=bool(user.get("is_admin")),
        messages=(components.SANS_PERIMETRE,) if scope.is_empty() else (),
    )


def layout() -> html.Div:
    """``dash_app.layout``: a function, so it is built per request with the user's context."""
    if not has_request_context():  # Dash validates the layout once at start-up
        return shell.layout(shell.PageContext(nom=None))
    return shell.layout(page_context())


def basculer_aide(ouvrir: int | None, fermer: int | None, ouvert: bool) -> bool:
    if not ouvrir and not fermer:
        return ouvert
    return not ouvert


#: Sets ``document.title`` for the active tab (no server round trip) and keeps it in a store.
TITRE_JS = (
    "function (onglet) {\n"
    f"    var titres = {json.dumps(tabs.TITRES_PAGE)};\n"
    f"    var titre = titres[onglet] || {json.dumps(tabs.APPLICATION)};\n"
    "    document.title = titre;\n"
    "    return titre;\n"
    "}\n"
)


#: The « Donner votre avis » link names the open tab and the view (filters in the URL) that the
#: thank-you page leads back to.
AVIS_JS = (
    "function (onglet, search) {\n"
    "    var retour = '/' + (search || '');\n"
    "    return '/avis?onglet=' + encodeURIComponent(onglet || '') +\n"
    "        '&retour=' + encodeURIComponent(retour);\n"
    "}\n"
)


def register(app: dash.Dash) -> None:
    app.callback(
        Output(ids.SHELL_AIDE_MODAL, "is_open"),
        Input(ids.SHELL_AIDE_OUVRIR, "n_clicks"),
        Input(ids.SHELL_AIDE_FERMER, "n_clicks"),
        State(ids.SHELL_AIDE_MODAL, "is_open"),
        prevent_initial_call=True,
    )(basculer_aide)
    app.clientside_callback(
        TITRE_JS, Output(ids.TITRE_PAGE, "data"), Input(ids.ONGLETS, "active_tab")
    )
    app.clientside_callback(
        AVIS_JS,
        Output(ids.AVIS_LIEN, "href"),
        Input(ids.ONGLETS, "active_tab"),
        Input(ids.URL, "search"),
    )
