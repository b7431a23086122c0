"""What every callback needs from the server: the engine, the user's scope, parsed filters and
the scoped, cached ``etp`` reads.

The scope is always resolved here from the session (``auth.scope.current_scope``), never from a
callback input. Filter values arriving from the browser are parsed defensively: they can only
narrow the scope's result, because ``etp.queries`` ANDs the scope with them in SQL.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
from dash import Input
from dash import ctx as dash_ctx
from dash.exceptions import MissingCallbackContextException
from flask import current_app
from sqlalchemy import Engine

from app import single_flight
from app.extensions import cache
from app.extensions import engine as app_engine
from app.local_cache import local_cache
from auth.scope import current_scope
from callbacks.bornes import RequeteInvalide, dans_les_entiers
from etp import cofinancement as etp_cofinancement
from etp import pilotage as etp_pilotage
from etp import queries
from etp.filters import Filtres
from etp.scope import Scope
from layouts import ids


class FiltresInvalides(ValueError):
    """A filter value that cannot be a real one (forged or corrupted): nothing is served."""


def declencheur() -> Any:
    """The id of the input that fired the callback; ``None`` on a plain call (tests)."""
    try:
        return dash_ctx.triggered_id
    except MissingCallbackContextException:
        return None


def engine() -> Engine:
    return app_engine()


def scope() -> Scope:
    """The request user's scope, resolved on the server."""
    return current_scope()


def show_territoire(s: Scope) -> bool:
    """Only users with a territorial scope get the région/département filters."""
    return s.national or bool(s.departements)


def _texte(value: Any, max_len: int = 40) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise FiltresInvalides("valeur de filtre invalide")
    text = str(value).strip()
    if len(text) > max_len:
        raise FiltresInvalides("valeur de filtre trop longue")
    return text or None


def _entier(value: Any) -> int | None:
    """An id or a year from the filter store. Out of the database's integer range (a
    40-digit structure id) it is no filter at all but a malformed request: 400."""
    text = _texte(value)
    if text is None:
        return None
    try:
        nombre = int(text)
    except ValueError as exc:
        raise FiltresInvalides("valeur numérique attendue") from exc
    if not dans_les_entiers(nombre):
        raise RequeteInvalide("identifiant hors des bornes des entiers")
    return nombre


def parse_filtres(etat: Mapping[str, Any] | None) -> Filtres:
    """The filter store (``{"annee": 2022, "structure": 12, ...}``) -> :class:`Filtres`.

    Raises :class:`FiltresInvalides` on a value of the wrong shape or without a year.
    """
    if not isinstance(etat, Mapping):
        raise FiltresInvalides("aucun filtre")
    annee = _entier(etat.get("annee"))
    if annee is None or not 1990 <= annee <= 2100:
        raise FiltresInvalides("année obligatoire")
    return Filtres(
        annee=annee,
        numero_af=_texte(etat.get("af")),
        structure_id=_entier(etat.get("structure")),
        type_structure=_texte(etat.get("type")),
        region=_texte(etat.get("region")),
        departement=_texte(etat.get("departement")),
    )


def filtres_ou_none(etat: Mapping[str, Any] | None) -> Filtres | None:
    """:func:`parse_filtres`, or ``None`` when the store holds no valid year (the caller shows
    why instead of serving anything)."""
    try:
        return parse_filtres(etat)
    except FiltresInvalides:
        return None


#: ``prevent_initial_call`` of a tab's callbacks whose components are in the page from the
#: start: the page's first load does not call them with an empty selection store (six
#: requests drawing « Choisissez une année » in hidden tabs, beside the first chart); the
#: open tab's selection store, filled by the browser, fires them. Not for the per-AF tables
#: drawn inside a tab's content (``TableParPage``): their first call fills them.
PAS_AU_CHARGEMENT = True


def selection_onglet(tab_id: str) -> Input:
    """The input of ``tab_id``'s callbacks: its selection store, which the browser fills only
    while the tab is open (:mod:`callbacks.onglets`)."""
    return Input(ids.selection_onglet(tab_id), "data")


def pour_onglet(fonction: Callable[..., Any]) -> Callable[..., Any]:
    """A tab's callback: ``fonction(etat, *other inputs)``, ``etat`` being the filter store
    carried by the tab's selection store (:func:`selection_onglet`, the first input); ``None``
    when the store holds none (``fonction`` then asks for a year)."""

    def callback(selection: Any, *valeurs: Any) -> Any:
        etat = selection.get("etat") if isinstance(selection, dict) else None
        return fonction(etat, *valeurs)

    callback.__name__ = getattr(fonction, "__name__", "callback")  # a partial has none
    return callback


def _scope_key(s: Scope) -> str:
    return "|".join(
        [
            "N" if s.national else "",
            ",".join(sorted(s.departements)),
            ",".join(str(i) for i in sorted(s.structure_ids)),
        ]
    )


def version_donnees() -> int | None:
    """The latest import: part of every cache key, so an import is visible at once."""
    return queries.version_donnees(engine())


def cache_key(kind: str, s: Scope, filtres: Filtres) -> str:
    """Deterministic across processes (no ``hash()`` of frozensets): scope, filters, database
    and data version."""
    raw = repr(
        (
            kind,
            current_app.config.get("DATABASE_URL"),
            version_donnees(),
            _scope_key(s),
            sorted(filtres.__dict__.items()),
        )
    )
    return "etp:" + hashlib.sha256(raw.encode()).hexdigest()


def _cached(
    kind: str,
    s: Scope,
    filtres: Filtres,
    compute: Callable[[], Any],
    local: bool = False,
    partage: bool = True,
    differe: bool = False,
) -> Any:
    """Memoize an already-authorized read: the key carries the scope, so users never share
    entries across scopes. ``compute`` must not read ``current_user``.

    ``local``: kept as it is in this process's memory (:mod:`app.local_cache`), looked up
    there first. ``partage``: also in the shared cache, when there is one shared by the
    workers (Redis); what is derived quickly from the frames is not (``partage=False``).
    ``differe``: written to the shared cache by a background thread once the request that
    computed it has had time to answer (:func:`_ecrire_plus_tard`), for a value long to
    pickle (a selection's frames: ~60 ms nationally, which the view that read them no longer
    pays); the other workers find it there from then on."""
    key = cache_key(kind, s, filtres)
    partage = partage and (not local or _cache_commun())
    hit = _chercher(key, local, partage)
    if hit is not None:
        return hit
    # callbacks sent together need the same figures: one computes, the others wait for it
    # (across workers only when the value is in the shared cache as soon as it is computed)
    with single_flight.hold(key, partage=partage and not differe):
        hit = _chercher(key, local, partage)
        if hit is not None:
            return hit
        value = compute()
        if local:
            local_cache().set(key, value)
        if partage and differe:
            _ecrire_plus_tard(key, value)
        elif partage:
            with contextlib.suppress(Exception):  # a cache outage must not break the page
                cache.set(key, value)
    return value


#: How long after its computation a ``differe`` value is written to the shared cache: the
#: view that needed it is answered first, then the worker pickles it.
DELAI_ECRITURE_S = 0.3


def _ecrire_plus_tard(key: str, value: Any) -> None:
    """``cache.set(key, value)`` on a daemon thread, :data:`DELAI_ECRITURE_S` from now (the
    cache's backend is taken here, in the request's app context)."""
    backend = cache.cache

    def ecrire() -> None:
        with contextlib.suppress(Exception):  # a cache outage must not break anything
            backend.set(key, value)

    minuterie = threading.Timer(DELAI_ECRITURE_S, ecrire)
    minuterie.daemon = True
    minuterie.start()


def _cache_commun() -> bool:
    """Whether the shared cache is shared by the workers (not each process's own memory)."""
    return current_app.config.get("CACHE_TYPE") == "RedisCache"


def _chercher(key: str, local: bool, partage: bool) -> Any:
    if local:
        hit = local_cache().get(key)
        if hit is not None:
            return hit
    if not partage:
        return None
    hit = _lire(key)
    if hit is not None and local:
        local_cache().set(key, hit)
    return hit


def _lire(key: str) -> Any:
    try:
        return cache.get(key)
    except Exception:  # pragma: no cover - a cache outage must not break the page
        return None


def vue(kind: str, s: Scope, filtres: Filtres, compute: Callable[[], Any]) -> Any:
    """What a view shows, memoized like the reads: a tab's rendered content (Dash components,
    charts as dicts) or the rows a paginated table pages through. The second user who opens
    the same selection of the same scope gets it without any computation. ``compute`` must
    depend on nothing but ``s``, ``filtres`` and what ``kind`` names (a table id, a known
    sort), and the data, whose version is in the key: no role, no ``current_user``."""
    return _cached("vue:" + kind, s, filtres, compute)


def onglet(tab_id: str, s: Scope, filtres: Filtres, calculer: Callable[[], Any]) -> None:
    """Compute every view of a tab once per scope, filters and data version, across workers.

    A tab with several callbacks (its cards and each per-AF table under them) is asked for
    all of them at once, and the browser's requests land on different workers. Each view
    memoized alone (:func:`vue`) would have each worker read the tab's data and compute its
    share: twice the work on the same cores, each answer as late as the slowest. Here the
    first callback of the tab runs ``calculer``, which stores each view by :func:`vue` (the
    shared cache), under one lock (:mod:`app.single_flight`); the tab's other callbacks, on
    any worker, wait for it and then read their view. ``calculer`` must not call back into
    :func:`onglet` for the same tab (the lock is not reentrant)."""

    def calcule() -> bool:
        calculer()
        return True

    _cached("onglet:" + tab_id, s, filtres, calcule)


def memoire(kind: str, s: Scope, filtres: Filtres, compute: Callable[[], Any]) -> Any:
    """A value too large to share cheaply (a frame of every AF × month of the country), kept
    in this worker's memory (:mod:`app.local_cache`) under the same kind of key as :func:`vue`."""
    return _cached("memoire:" + kind, s, filtres, compute, local=True, partage=False)


def indicateurs(s: Scope, filtres: Filtres) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The annual and monthly frames of the selection (``queries.indicateurs``), kept in
    the worker's memory and, with Redis, written there shortly after the view that read them
    has answered (``differe``): the other workers then unpickle them (~35 ms nationally)
    instead of reading them again (~130 ms), and that view does not pay their pickling."""
    eng = engine()
    return _cached(
        "indicateurs",
        s,
        filtres,
        lambda: queries.indicateurs(eng, s, filtres),
        local=True,
        differe=True,
    )


def options_filtres(s: Scope, filtres: Filtres) -> dict[str, list[tuple]]:
    """The filter bar's full option lists (``etp.queries.options_filtres``), cached: each search
    typed in a filter's search field reads them again (~75 ms at national scope)."""
    eng = engine()
    return _cached("options_filtres", s, filtres, lambda: queries.options_filtres(eng, s, filtres))


def annuels(s: Scope, filtres: Filtres) -> pd.DataFrame:
    return indicateurs(s, filtres)[0]


def mensuels(s: Scope, filtres: Filtres) -> pd.DataFrame:
    return indicateurs(s, filtres)[1]


def pilotage(s: Scope, filtres: Filtres) -> etp_pilotage.DonneesPilotage:
    """The funders' data (``etp.pilotage.charger``) of an already-resolved scope."""
    eng = engine()
    return _cached(
        "pilotage",
        s,
        filtres,
        # this year's frames and last year's come from the cached reads (the Effectif tabs
        # of the same selection have read this year's already)
        lambda: etp_pilotage.charger(eng, s, filtres, lambda f: indicateurs(s, f)),
        local=True,
        partage=False,
    )


def cofinancement(s: Scope, filtres: Filtres) -> etp_cofinancement.DonneesCofinancement:
    """The co-financed AFs (``etp.cofinancement.charger``) of an already-resolved scope."""
    eng = engine()
    return _cached(
        "cofinancement",
        s,
        filtres,
        lambda: etp_cofinancement.charger(eng, s, filtres),
        local=True,
        partage=False,
    )
