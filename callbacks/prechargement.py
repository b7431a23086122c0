"""At login, compute what the dashboard will show first, while the browser loads the page.

Between the login and the first chart the browser fetches the page, its scripts and the
layout, then asks for the filters and only then for the first tab: about a second during which
the server would sit idle, before computing the largest view of the session (a DGEFP's whole
country). The login starts that computation in the background instead: the filter bar's
options and the default tab (« Effectif mensuel ») of the default filters, for the user's
scope, stored by the same cache keys the callbacks use. A callback arriving while it runs
waits for it (:mod:`app.single_flight`) rather than computing it twice.

Then, for the scopes that have it (DDETS, CD, DREETS, DGEFP), the funders' tab as it opens
first (its cards, « Structures à suivre » with the default statuses and ranking, the per-AF
tables under it): the screen a funder comes for, and the longest to compute (~300 ms
nationally, against ~50 ms to serve once rendered). It is computed while the user reads the
first tab; rendered views are in the shared cache, so any worker serves it.

The scope is resolved in the login request, from the user who just logged in: the background
work never reads ``current_user`` and computes nothing another user of the same scope would not
see. One worker thread per process (a morning's logins queue up rather than fill the cores);
off when ``PRECHARGER_A_LA_CONNEXION`` is false (the unit tests' default).
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from flask import Flask, Response, after_this_request, has_request_context
from flask_login import user_logged_in

from auth.scope import scope_for_user
from callbacks import context, effectifs, filters, financeurs, mensuel
from etp.filters import Filtres
from etp.scope import Scope

LOG = logging.getLogger(__name__)

_executeur: ThreadPoolExecutor | None = None
#: Scopes queued or being computed: a second login of the same scope meanwhile adds nothing
#: (a queue of identical work would only delay the others).
_en_attente: set[Scope] = set()
_verrou = threading.Lock()


def _filtres_par_defaut(scope: Scope) -> Filtres | None:
    """The filters the filter bar resolves for ``scope`` with an empty address."""
    resolution = filters.resoudre(context.engine(), scope, {}, None, {}, context.options_filtres)
    return context.filtres_ou_none(resolution.etat)


def premiere_vue(scope: Scope, filtres: Filtres | None = None) -> list | None:
    """The default tab's content for ``filtres`` (by default, the default filters of
    ``scope``); ``None``: no data."""
    if filtres is None:
        filtres = _filtres_par_defaut(scope)
    if filtres is None:
        return None
    return effectifs.rendu(scope, filtres, mensuel.vue)


def vue_des_financeurs(scope: Scope, filtres: Filtres) -> tuple[list, list] | None:
    """The funders' tab of ``scope`` and ``filtres`` as it opens first: its cards, the rows of
    « Structures à suivre » with the default statuses and ranking, and of each per-AF table
    under it (returns the cards); ``None`` for a scope without that tab (an SIAE's)."""
    if not context.show_territoire(scope):
        return None
    financeurs.ouvrir(scope, filtres)
    return financeurs.rendu(scope, filtres)


def precharger(server: Flask, scope: Scope) -> Future | None:
    """Queue :func:`premiere_vue` for ``scope`` on this process's worker thread."""
    global _executeur
    if scope.is_empty():
        return None
    with _verrou:
        if scope in _en_attente:
            return None
        _en_attente.add(scope)
        if _executeur is None:  # created in the process that serves (gunicorn forks before)
            _executeur = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prechargement")
        return _executeur.submit(_dans_l_app, server, scope)


def _dans_l_app(server: Flask, scope: Scope) -> list | None:
    try:
        with server.app_context():
            filtres = _filtres_par_defaut(scope)  # resolved once for both views
            if filtres is None:
                return None
            vue = premiere_vue(scope, filtres)
            if vue is not None:
                vue_des_financeurs(scope, filtres)
            return vue
    except Exception:  # the callbacks will compute it: a preload never breaks a login
        LOG.exception("préchargement de la première vue")
        return None
    finally:
        with _verrou:
            _en_attente.discard(scope)


def _a_la_connexion(server: Flask, user: Any, **_: Any) -> None:
    """Queue the preload once the login's answer is sent (the WSGI server closes the
    response), so that its computations never compete with that answer in this worker."""
    if not server.config.get("PRECHARGER_A_LA_CONNEXION", True):
        return
    scope = scope_for_user(user)  # resolved in the request, from the user who just logged in
    if not has_request_context():
        precharger(server, scope)
        return

    @after_this_request
    def apres_la_reponse(response: Response) -> Response:
        response.call_on_close(lambda: precharger(server, scope))
        return response


def register(server: Flask) -> None:
    """Preload on every login to ``server``."""
    user_logged_in.connect(_a_la_connexion, server, weak=False)
