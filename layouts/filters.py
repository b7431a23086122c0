"""The filter bar shared by every tab (domain.md §6).

``dbc.Select`` with a ``dbc.Label`` rather than ``dcc.Dropdown`` (accessible name, axe). Options
are filled by ``callbacks.filters`` from the user's scope only; the values live in the URL query
string so that a view can be bookmarked. A territorial user (thousands of structures and AFs at
national scope) gets a search field under the structure and AF selects: the server then sends
only the matching options (``callbacks.options_recherche``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts import ids

TOUS = ""  # the value of the "all" option of optional filters
#: Label of the "all" option of each optional filter.
TOUS_LIBELLES: dict[str, str] = {
    "structure": "Toutes les structures",
    "af": "Toutes les annexes",
    "type": "Tous les types",
    "region": "Toutes les régions",
    "departement": "Tous les départements",
}

# (query string key, component id, label, required)
CHAMPS: tuple[tuple[str, str, str, bool], ...] = (
    ("annee", ids.FILTRES_ANNEE, "Année", True),
    ("structure", ids.FILTRES_STRUCTURE, "Dénomination structure", False),
    ("af", ids.FILTRES_AF, "Numéro d'annexe financière", False),
    ("type", ids.FILTRES_TYPE, "Type de structure", False),
    ("region", ids.FILTRES_REGION, "Région du conventionnement", False),
    ("departement", ids.FILTRES_DEPARTEMENT, "Département du conventionnement", False),
)
CLES: tuple[str, ...] = tuple(c[0] for c in CHAMPS)
TERRITOIRE: frozenset[str] = frozenset({"region", "departement"})
XL = {"annee": 1, "structure": 3}  # widths on a large screen: the six filters fit one row
#: Without the territory filters (SIAE users) the row has room for the whole "NAME - SIRET".
XL_SANS_TERRITOIRE = {"annee": 1, "structure": 5, "af": 3, "type": 3}
#: Longest search text accepted (the field stops there; the server answers 400 beyond).
MAX_RECHERCHE_OPTIONS = 100
#: The search field under a select: (component id, accessible label, placeholder).
RECHERCHES: dict[str, tuple[str, str, str]] = {
    "structure": (
        ids.FILTRES_STRUCTURE_RECHERCHE,
        "Rechercher une structure (nom ou SIRET)",
        "Rechercher : nom ou SIRET",
    ),
    "af": (
        ids.FILTRES_AF_RECHERCHE,
        "Rechercher une annexe financière",
        "Rechercher : numéro",
    ),
}


def options(pairs: Sequence[tuple[object, str]], tous: str | None) -> list[dict[str, str]]:
    """``[(value, label)]`` -> ``dbc.Select`` options, with an "all" entry when optional."""
    opts = [{"label": tous, "value": TOUS}] if tous is not None else []
    opts.extend({"label": str(label), "value": str(value)} for value, label in pairs)
    return opts


def _placeholder(cle: str, show_territoire: bool) -> str:
    """What an empty select shows. dbc.Select puts a hidden option of value "" first, and "" is
    also the value of "all": without a placeholder, "all" showed as a blank field."""
    if cle == "annee":
        return "Choisissez une année"
    if cle == "structure" and not show_territoire:
        return "Choisissez une structure"
    return TOUS_LIBELLES.get(cle, "")


def _recherche(cle: str) -> list[Any]:
    """The search field under a select, for a territorial user: its label is read by screen
    readers (visually, the placeholder says it); Entrée or leaving the field sends the text
    (``debounce``), and the select then holds only the matching options."""
    if cle not in RECHERCHES:
        # The same height, empty, on a large screen: every select of the row stays aligned.
        return [html.Div(className="filtres-recherche-place d-none d-xl-block")]
    comp_id, label, placeholder = RECHERCHES[cle]
    return [
        dbc.Label(label, html_for=comp_id, class_name="visually-hidden"),
        dbc.Input(
            id=comp_id,
            type="search",
            debounce=True,
            size="sm",
            placeholder=placeholder,
            maxlength=MAX_RECHERCHE_OPTIONS,
            autocomplete="off",
            class_name="mt-1",
        ),
    ]


def _champ(
    cle: str,
    comp_id: str,
    label: str,
    required: bool,
    hidden: bool,
    xl: dict[str, int] = XL,
    placeholder: str = "",
    recherche: bool = False,
) -> dbc.Col:
    etiquette: Any = dbc.Label(
        label + (" *" if required else ""), html_for=comp_id, class_name="mb-1"
    )
    if cle == "structure":  # the chosen structure's page, one click away (callbacks.filters)
        etiquette = html.Div(
            [
                etiquette,
                html.A(
                    "Fiche de la structure",
                    id=ids.FILTRES_FICHE_LIEN,
                    href="/",
                    className="small mb-1 d-none",
                ),
            ],
            className="d-flex justify-content-between align-items-baseline gap-2",
        )
    return dbc.Col(
        [
            etiquette,
            dbc.Select(
                id=comp_id,
                options=[],
                required=required,
                size="sm",
                name=cle,
                placeholder=placeholder,
            ),
            *(_recherche(cle) if recherche else []),
        ],
        xs=12,
        md=6,
        xl=xl.get(cle, 2),
        class_name="d-none" if hidden else "",
        id=f"{comp_id}-col",
    )


def filter_bar(show_territoire: bool = True) -> html.Section:
    """The filters, above the tabs. An SIAE user does not see région and département."""
    largeurs = XL if show_territoire else XL_SANS_TERRITOIRE
    cols = [
        _champ(
            cle,
            comp_id,
            label,
            required,
            hidden=(cle in TERRITOIRE and not show_territoire),
            xl=largeurs,
            placeholder=_placeholder(cle, show_territoire),
            recherche=show_territoire,
        )
        for cle, comp_id, label, required in CHAMPS
    ]
    # With search fields, selects align by their top below the large screen's single row (the
    # fields make some columns taller); on it, the empty places keep them aligned at the bottom.
    alignement = "align-items-start align-items-xl-end" if show_territoire else "align-items-end"
    return html.Section(
        [
            html.H2("Filtres", className="visually-hidden"),
            dbc.Row(cols, class_name=f"g-2 {alignement}"),
            html.Div(
                [
                    html.Small("* obligatoire", className="text-body-secondary me-3"),
                    dbc.Button(
                        "Réinitialiser les filtres",
                        id=ids.FILTRES_REINITIALISER,
                        color="link",
                        size="sm",
                        class_name="p-0",
                    ),
                ],
                className="mt-1",
            ),
            html.Div(id=ids.FILTRES_MESSAGE, role="status", **{"aria-live": "polite"}),
            dcc.Store(id=ids.FILTRES_ETAT),
        ],
        className="filtres border rounded p-3 mb-3 bg-body-tertiary",
        **{"aria-label": "Filtres"},
    )
