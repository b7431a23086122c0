"""The filter bar: URL query string <-> selects <-> validated filter store.

One callback owns every filter so that the circular flow (URL -> selects -> URL) stays inside a
single Dash callback. Whatever comes in (a shared link, a forged request, a stale option), the
values kept are only those offered by ``etp.queries.options_filtres`` for the user's scope;
the others are dropped with a French message, never served.

For a territorial user the structure and AF selects hold at most
:data:`callbacks.options_recherche.LIMITE` options, those matching the search field under each
select: values are still validated against the full lists, only the options sent are trimmed.
A second pair of callbacks (:func:`rechercher_structures`, :func:`rechercher_annexes`) answers a
search by updating only that select's options.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

import dash
from dash import Input, Output, State, html
from sqlalchemy import Engine

from callbacks import context
from callbacks.bornes import (
    MAX_RECHERCHE,
    RequeteInvalide,
    dans_les_entiers,
    texte_borne,
    texte_saisi,
)
from callbacks.options_recherche import options_a_montrer
from etp import queries
from etp.filters import Filtres
from etp.scope import Scope
from layouts import filters as filter_layout
from layouts import ids, tabs

# Cascade order: a value is checked against options narrowed by the values before it.
CASCADE: tuple[tuple[str, str], ...] = (
    ("region", "regions"),
    ("departement", "departements"),
    ("type", "types"),
    ("structure", "structures"),
    ("af", "numeros_af"),
)
TOUS_LIBELLES = filter_layout.TOUS_LIBELLES
CLE_ONGLET = "onglet"
NOMS = {cle: label for cle, _, label, _ in filter_layout.CHAMPS}


#: The filters that name what the user looks at: a change of another filter never empties them.
ANCRES: tuple[str, ...] = ("structure", "af")
#: The filters with a search field (territorial users), in the order of the callback's States.
RECHERCHES: tuple[str, ...] = tuple(filter_layout.RECHERCHES)


@dataclass(frozen=True)
class Vidage:
    """A filter emptied by the user's last change: which one, the value it had, and what it
    did not match (``cause``, already worded: « la structure choisie (…) »)."""

    cle: str
    valeur: str
    cause: str


@dataclass
class Resolution:
    """The filters kept for a request, the options to show, what was refused (an address or a
    forged request) and what the user's last change emptied."""

    etat: dict[str, Any]
    options: dict[str, list[dict[str, str]]]
    refuses: list[str] = field(default_factory=list)
    vides: list[Vidage] = field(default_factory=list)


def _recherche(search: Any) -> str:
    """``dcc.Location.search`` as sent: a string (or nothing) of bounded length, else the
    request is malformed (400): a list or an object is no URL."""
    if search is None:
        return ""
    if not isinstance(search, str):
        raise RequeteInvalide("l'adresse de la page (search) doit être un texte")
    return texte_borne(search, MAX_RECHERCHE, "adresse de la page")


def lire_query(search: str | None) -> dict[str, str]:
    """``?annee=2022&structure=12`` -> ``{"annee": "2022", "structure": "12"}`` (known keys)."""
    parsed = parse_qs(_recherche(search).lstrip("?"), keep_blank_values=False)
    return {k: v[0] for k, v in parsed.items() if k in filter_layout.CLES and v}


def ecrire_query(etat: dict[str, Any]) -> str:
    """The inverse, in the bar's order, without empty values."""
    pairs = [(k, str(etat[k])) for k in filter_layout.CLES if etat.get(k) not in (None, "")]
    return "?" + urlencode(pairs) if pairs else ""


def _filtres(annee: int, etat: dict[str, Any]) -> Filtres:
    structure = etat.get("structure")
    return Filtres(
        annee=annee,
        numero_af=etat.get("af"),
        structure_id=int(structure) if structure is not None else None,
        type_structure=etat.get("type"),
        region=etat.get("region"),
        departement=etat.get("departement"),
    )


def _libelle(opts: dict[str, list[tuple]], cle: str, valeur: Any) -> str:
    """The label the select showed for ``valeur`` (the value itself when not offered)."""
    opt_key = dict(CASCADE)[cle]
    return next((str(lab) for v, lab in opts[opt_key] if str(v) == str(valeur)), str(valeur))


def _offerte(opts: dict[str, list[tuple]], cle: str, valeur: Any) -> bool:
    return str(valeur) in {str(v) for v, _ in opts[dict(CASCADE)[cle]]}


def _cause_ancre(opts: dict[str, list[tuple]], etat: dict[str, Any]) -> str:
    if "structure" in etat:
        return f"la structure choisie ({_libelle(opts, 'structure', etat['structure'])})"
    return f"l'annexe financière choisie ({etat['af']})"


def _tous(cle: str, territoire: bool) -> str | None:
    """The « Toutes les … » option of a select; none for an SIAE's structure (it always looks
    at one of its structures)."""
    return None if (cle == "structure" and not territoire) else TOUS_LIBELLES[cle]


def texte_de_recherche(value: Any) -> str:
    """A search field's text as sent: a string of at most
    :data:`layouts.filters.MAX_RECHERCHE_OPTIONS` characters (nothing: ``""``), else 400."""
    return texte_saisi(value, filter_layout.MAX_RECHERCHE_OPTIONS, "texte recherché")


def resoudre(
    engine: Engine,
    scope: Scope,
    brut: dict[str, Any],
    change: str | None = None,
    recherches: dict[str, str] | None = None,
    options_de: Callable[[Scope, Filtres], dict[str, list[tuple]]] | None = None,
) -> Resolution:
    """Validate raw filter values against the scope's options, cascading, and build options.

    ``change`` is the filter the user has just changed (``None`` for an address, a reset or a
    plain call). Such a change never empties nor replaces the chosen structure or AF number
    (:data:`ANCRES`): a région, département or type that does not match them is emptied instead
    and reported in :attr:`Resolution.vides`; a filter below the changed one in the cascade
    that no longer matches is emptied and reported too. Nothing changes silently.

    For a territorial user, the structure and AF options sent are those matching
    ``recherches`` (``{"structure": "rennes"}``, the search fields' texts), at most
    :data:`callbacks.options_recherche.LIMITE` (:func:`options_a_montrer`); the values are
    validated against the full lists all the same."""
    if options_de is None:

        def options_de(sc: Scope, f: Filtres) -> dict[str, list[tuple]]:
            return queries.options_filtres(engine, sc, f)

    refuses: list[str] = []
    vides: list[Vidage] = []
    annees = sorted(queries.annees_disponibles(engine, scope), reverse=True)
    annee_brute = brut.get("annee")
    annee: int | None = None
    if annee_brute not in (None, ""):
        try:
            annee = int(str(annee_brute))
        except ValueError:
            annee = None
        if annee not in annees:
            refuses.append("annee")
            annee = None
    if annee is None and annees:
        annee = annees[0]
    options_annee = [{"label": str(a), "value": str(a)} for a in annees]
    territoire = context.show_territoire(scope)
    if annee is None:
        vide = {cle: [] for cle in TOUS_LIBELLES}
        return Resolution({"annee": None}, {"annee": options_annee, **vide}, refuses)

    etat: dict[str, Any] = {}
    for cle, _ in CASCADE:
        value = brut.get(cle)
        if value in (None, ""):
            continue
        if not isinstance(value, str | int) or isinstance(value, bool):
            refuses.append(cle)  # a forged JSON list or object: never sent to SQL
            continue
        if cle in ("region", "departement") and not territoire:
            refuses.append(cle)
            continue
        if cle == "structure":
            try:
                value = int(str(value))
            except ValueError:
                refuses.append(cle)
                continue
            if not dans_les_entiers(value):  # a shared link with a 40-digit id: dropped
                refuses.append(cle)
                continue
        etat[cle] = value

    ancres = [c for c in ANCRES if c in etat]
    if change in etat and change not in ANCRES and ancres:
        # The structure / AF stay: the new value is emptied when they do not match it.
        sans = {k: v for k, v in etat.items() if k != change}
        opts_sans = options_de(scope, _filtres(annee, sans))
        if all(_offerte(opts_sans, c, etat[c]) for c in ancres):
            avec = {k: v for k, v in etat.items() if k in (change, *ANCRES)}
            opts_avec = options_de(scope, _filtres(annee, avec))
            if not all(_offerte(opts_avec, c, etat[c]) for c in ancres):
                valeur = _libelle(opts_sans, change, etat[change])
                vides.append(Vidage(change, valeur, _cause_ancre(opts_sans, etat)))
                del etat[change]

    # Drop the first value not offered, recompute, until every kept value is offered.
    precedent: dict[str, list[tuple]] | None = None
    while True:
        opts = options_de(scope, _filtres(annee, etat))
        invalide = next(
            (cle for cle, _ in CASCADE if cle in etat and not _offerte(opts, cle, etat[cle])),
            None,
        )
        if invalide is None:
            break
        if change is not None and change in etat and invalide != change:
            # Emptied by the user's change of a filter above it: said, not refused.
            source = precedent or options_de(
                scope, _filtres(annee, {k: v for k, v in etat.items() if k != change})
            )
            precedent = source
            cause = f"« {NOMS[change]} » : {_libelle(opts, change, etat[change])}"
            vides.append(Vidage(invalide, _libelle(source, invalide, etat[invalide]), cause))
        else:
            refuses.append(invalide)
        del etat[invalide]

    if not territoire and "structure" not in etat and opts["structures"]:
        # An SIAE always looks at one of its structures (required, preselected).
        etat["structure"] = int(opts["structures"][0][0])
        opts = options_de(scope, _filtres(annee, etat))

    options = {"annee": options_annee}
    for cle, opt_key in CASCADE:
        if cle in filter_layout.TERRITOIRE and not territoire:
            options[cle] = []  # hidden for an SIAE: nothing to offer
            continue
        tous = _tous(cle, territoire)
        if territoire and cle in RECHERCHES:
            recherche = (recherches or {}).get(cle, "")
            options[cle] = options_a_montrer(opts[opt_key], recherche, etat.get(cle), cle, tous)
        else:
            options[cle] = filter_layout.options(opts[opt_key], tous)
    return Resolution({"annee": annee, **etat}, options, refuses, vides)


def message_refus(refuses: list[str]) -> Any:
    if not refuses:
        return None
    noms = ", ".join(dict.fromkeys(NOMS[c] for c in refuses))
    return html.Div(
        f"Certains filtres demandés ne font pas partie de votre périmètre ou n'existent pas pour "
        f"cette sélection ; ils ont été retirés : {noms}.",
        className="alert alert-warning py-2 mt-2 mb-0",
    )


def message_vidage(vides: list[Vidage], territoire: bool = True) -> Any:
    """What the user's last change emptied, and why (French, one sentence per filter)."""
    if not vides:
        return None
    phrases = [
        f"Le filtre « {NOMS[v.cle]} » a été vidé : « {v.valeur} » ne correspond pas à {v.cause}."
        for v in vides
    ]
    if any(v.cause.startswith("la structure") for v in vides):
        phrases.append(
            "La structure choisie est conservée ; pour changer ce filtre, choisissez d'abord "
            + (
                "une autre structure ou « Toutes les structures »."
                if territoire
                else "une autre de vos structures."
            )
        )
    elif any(v.cause.startswith("l'annexe") for v in vides):
        phrases.append(
            "L'annexe financière choisie est conservée ; pour changer ce filtre, choisissez "
            "d'abord « Toutes les annexes »."
        )
    return html.Div(" ".join(phrases), className="alert alert-info py-2 mt-2 mb-0")


CHAMPS_IDS = [(cle, comp_id) for cle, comp_id, _, _ in filter_layout.CHAMPS]
CLE_DE_COMPOSANT = {comp_id: cle for cle, comp_id in CHAMPS_IDS}


def onglet_de_query(search: str | None, show_territoire: bool = True) -> str:
    """The tab named in the URL (``?onglet=annuel``), the default one when absent, unknown or
    not offered to this user (the funders' synthesis for an SIAE)."""
    valeur = parse_qs(_recherche(search).lstrip("?")).get(CLE_ONGLET, [""])[0]
    offerts = {o.tab_id for o in tabs.onglets_pour(show_territoire)}
    return valeur if valeur in offerts else tabs.DEFAUT


def avec_onglet(query: str, onglet: str | None) -> str:
    """Adds the active tab to a query string (left out when it is the default tab)."""
    if not onglet or onglet == tabs.DEFAUT:
        return query
    return (query + "&" if query else "?") + urlencode([(CLE_ONGLET, onglet)])


def synchroniser(search: str | None, reset: int | None, onglet: str | None, *valeurs: Any) -> tuple:
    """URL, tab or a select changed: validate everything, then update selects, URL, store.

    ``valeurs``: the selects' values in the bar's order (:data:`CHAMPS_IDS`), then the texts of
    the search fields (:data:`RECHERCHES`, States: ``""`` when left out, or ``None`` when the
    page has no such field), so that a change of year or département keeps the select trimmed
    to what the user searched."""
    search = _recherche(search)
    n = len(CHAMPS_IDS)
    textes_recherches = list(valeurs[n:]) + [""] * (len(RECHERCHES) - len(valeurs[n:]))
    if len(textes_recherches) != len(RECHERCHES):
        raise RequeteInvalide("nombre de champs de recherche inattendu")
    recherches = {
        cle: texte_de_recherche(t) for cle, t in zip(RECHERCHES, textes_recherches, strict=True)
    }
    valeurs = valeurs[:n]
    declencheur = context.declencheur()
    if declencheur == ids.ONGLETS:
        # Only the tab changed: the filters stand, the URL records the tab.
        query = avec_onglet(ecrire_query(lire_query(search)), onglet)
        search_out = dash.no_update if query == (search or "") else query
        reste = [dash.no_update] * (2 * len(CHAMPS_IDS))
        return (*reste, search_out, dash.no_update, dash.no_update, dash.no_update)
    if declencheur == ids.FILTRES_REINITIALISER:
        brut: dict[str, Any] = {}
        depuis_url = False
    elif declencheur in (None, ids.URL):
        brut = lire_query(search)
        depuis_url = True
    else:
        brut = {cle: v for (cle, _), v in zip(CHAMPS_IDS, valeurs, strict=True)}
        depuis_url = False
        # A select changed: what it empties is said (message_vidage), the structure stays.
    change = None if depuis_url else CLE_DE_COMPOSANT.get(declencheur)
    scope = context.scope()
    # the option lists come from the cache (per scope, filters and data version): the next
    # page of the same scope resolves its filters without reading them again
    resolution = resoudre(
        context.engine(), scope, brut, change, recherches, context.options_filtres
    )
    etat = resolution.etat
    options = [resolution.options[cle] for cle, _ in CHAMPS_IDS]
    values = ["" if etat.get(cle) is None else str(etat[cle]) for cle, _ in CHAMPS_IDS]
    if depuis_url:
        message = message_refus(resolution.refuses)
    else:
        message = message_vidage(resolution.vides, context.show_territoire(scope))
    if depuis_url:
        onglet = onglet_de_query(search, context.show_territoire(scope))
    query = avec_onglet(ecrire_query(etat), onglet)
    search_out = dash.no_update if query == (search or "") else query
    onglet_out = onglet if depuis_url else dash.no_update
    return (*options, *values, search_out, message, etat, onglet_out)


def lien_fiche(etat: Any) -> tuple[str, str]:
    """``href`` and class of the link to the chosen structure's page (hidden when none). The
    page itself checks the scope: a forged state only builds a link that answers 404."""
    sid = etat.get("structure") if isinstance(etat, dict) else None
    if isinstance(sid, bool) or not isinstance(sid, int | str):
        return "/", "small mb-1 d-none"
    try:
        numero = int(sid)
    except ValueError:
        return "/", "small mb-1 d-none"
    return f"/structure/{numero}", "small mb-1"


def _options_recherchees(cle: str, texte: Any, etat: Any) -> Any:
    """The options of the select ``cle`` matching ``texte``, within the server's scope and the
    validated filter store ``etat`` (its year, région, département, type and structure narrow
    the list as in the bar; its value for ``cle`` stays offered). A store that is no valid one:
    nothing changes."""
    recherche = texte_de_recherche(texte)
    filtres = context.filtres_ou_none(etat)
    if filtres is None:
        return dash.no_update
    scope = context.scope()  # always the session's, never a value of the request
    territoire = context.show_territoire(scope)
    opts = context.options_filtres(scope, filtres)
    opt_key = dict(CASCADE)[cle]
    choisie = filtres.structure_id if cle == "structure" else filtres.numero_af
    return options_a_montrer(opts[opt_key], recherche, choisie, cle, _tous(cle, territoire))


def rechercher_structures(texte: Any, etat: Any) -> Any:
    """Text typed in the structure search field -> the structure select's options."""
    return _options_recherchees("structure", texte, etat)


def rechercher_annexes(texte: Any, etat: Any) -> Any:
    """Text typed in the AF search field -> the AF select's options."""
    return _options_recherchees("af", texte, etat)


def register(app: dash.Dash) -> None:
    app.callback(
        Output(ids.FILTRES_FICHE_LIEN, "href"),
        Output(ids.FILTRES_FICHE_LIEN, "className"),
        Input(ids.FILTRES_ETAT, "data"),
    )(lien_fiche)
    app.callback(
        [Output(comp_id, "options") for _, comp_id in CHAMPS_IDS]
        + [Output(comp_id, "value") for _, comp_id in CHAMPS_IDS]
        + [
            Output(ids.URL, "search"),
            Output(ids.FILTRES_MESSAGE, "children"),
            Output(ids.FILTRES_ETAT, "data"),
            Output(ids.ONGLETS, "active_tab"),
        ],
        [
            Input(ids.URL, "search"),
            Input(ids.FILTRES_REINITIALISER, "n_clicks"),
            Input(ids.ONGLETS, "active_tab"),
        ]
        + [Input(comp_id, "value") for _, comp_id in CHAMPS_IDS]
        # Absent from an SIAE's page (no search field): sent as None.
        + [
            State(filter_layout.RECHERCHES[cle][0], "value", allow_optional=True)
            for cle in RECHERCHES
        ],
    )(synchroniser)
    for cle, fonction in (("structure", rechercher_structures), ("af", rechercher_annexes)):
        app.callback(
            Output(dict(CHAMPS_IDS)[cle], "options", allow_duplicate=True),
            Input(filter_layout.RECHERCHES[cle][0], "value"),
            State(ids.FILTRES_ETAT, "data"),
            prevent_initial_call=True,
        )(fonction)
