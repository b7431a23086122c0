"""The page around the tabs: header (user, scope, data date, help, logout), filters, tabs.

Built per request from a :class:`PageContext` gathered on the server (``callbacks.context``):
this module reads no database and no ``current_user``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts import components, definitions, filters, ids, tabs


@dataclass(frozen=True)
class PageContext:
    """What the header shows about the request's user and the data."""

    nom: str | None
    organisations: tuple[str, ...] = ()
    scope_label: str = ""
    date_donnees: str | None = None  # already formatted: "03/11/2026"
    csrf_token: str = ""
    show_territoire: bool = True
    is_admin: bool = False
    roles: tuple[str, ...] = ()
    messages: tuple[str, ...] = field(default_factory=tuple)


def logout_form(csrf_token: str) -> html.Form:
    """A real POST form to ``/deconnexion`` carrying the CSRF token (no GET logout)."""
    return html.Form(
        [
            dcc.Input(type="hidden", name="csrf_token", value=csrf_token),
            html.Button("Se déconnecter", type="submit", className="btn btn-sm btn-outline-light"),
        ],
        action="/deconnexion",
        method="POST",
        className="d-inline m-0",
    )


#: Bourse aux postes: the page each kind of organisation reaches from the header.
LIENS_BOURSE: tuple[tuple[tuple[str, ...], str, str, str], ...] = (
    (("ddets", "cd", "dreets", "dgefp"), "Simulation", "/bourse/simulation", "lien-simulation"),
    (("siae",), "Ma demande d'ajustement", "/bourse/demande", "lien-demande-ajustement"),
)


def liens_bourse(roles: tuple[str, ...]) -> list[html.A]:
    """Small header links to the bourse aux postes pages the user's roles may open."""
    return [
        html.A(libelle, href=href, id=id_, className="btn btn-sm btn-link text-white me-2")
        for kinds, libelle, href, id_ in LIENS_BOURSE
        if any(r in kinds for r in roles)
    ]


def header(ctx: PageContext) -> html.Header:
    org = " · ".join(ctx.organisations)
    user_bits = [html.Span(ctx.nom or "", className="fw-semibold")]
    if org:
        user_bits.append(html.Span(f" — {org}"))
    droite = [
        html.Div(
            [
                html.Div(user_bits, className="small"),
                html.Div(
                    f"Périmètre : {ctx.scope_label}",
                    className="small opacity-75",
                    id="shell-perimetre",
                ),
            ],
            className="text-end me-3",
        ),
        dbc.Button(
            "Aide et définitions",
            id=ids.SHELL_AIDE_OUVRIR,
            color="light",
            outline=True,
            size="sm",
            class_name="me-2",
        ),
    ]
    droite[1:1] = liens_bourse(ctx.roles)
    if ctx.is_admin:
        droite.append(
            html.A("Comptes", href="/admin/comptes", className="btn btn-sm btn-outline-light me-2")
        )
        droite.append(
            html.A("Journal", href="/admin/journal", className="btn btn-sm btn-outline-light me-2")
        )
    droite.append(logout_form(ctx.csrf_token))
    return html.Header(
        dbc.Container(
            html.Div(
                [
                    # The application's name only: the page's title is the heading below it
                    # (issue 11: the same title twice, in the header and in the heading).
                    html.Div(
                        html.Span(tabs.APPLICATION, className="h4 mb-0 me-3 marque"),
                        className="d-flex align-items-baseline",
                    ),
                    html.Div(droite, className="d-flex align-items-center flex-wrap"),
                ],
                className="d-flex justify-content-between align-items-center flex-wrap gap-2",
            ),
            fluid=True,
        ),
        className="bandeau py-2 mb-3",
    )


def aide_modal() -> dbc.Modal:
    """Every indicator's definition and the caveats, one click from anywhere."""
    items = [
        html.Div([html.Dt(titre), html.Dd(texte)])
        for titre, texte in dict.fromkeys(definitions.DEFINITIONS.values())
    ]
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle("Aide et définitions")),
            dbc.ModalBody(
                [
                    html.P(
                        [
                            "Pas à pas : ",
                            html.A("Guide SIAE", href="/guides/siae"),
                            " · ",
                            html.A("Guide DDETS / DREETS / CD", href="/guides/financeurs"),
                        ],
                        className="mb-3",
                    ),
                    html.H3("Indicateurs", className="h6"),
                    html.Dl(items),
                    html.H3("À savoir", className="h6"),
                    html.Ul([html.Li(a) for a in definitions.AVERTISSEMENTS]),
                ]
            ),
            dbc.ModalFooter(dbc.Button("Fermer", id=ids.SHELL_AIDE_FERMER, color="secondary")),
        ],
        id=ids.SHELL_AIDE_MODAL,
        size="lg",
        scrollable=True,
        is_open=False,
    )


#: Phone only: the tab selector standing in for the row of tabs (assets/onglets-telephone.js).
CHOIX_ONGLET = "onglets-choix"
FILTRES_REPLI = "filtres-repli"


def choix_onglet(show_territoire: bool) -> html.Div:
    """On a phone (< 768 px) a select replaces the row of six tabs (which pushed the first
    figure far down or hid most tabs sideways); choosing opens the tab, exactly as a click on
    it would. Not a Dash input: assets/onglets-telephone.js keeps both in step."""
    return html.Div(
        [
            html.Label("Onglet affiché", htmlFor=CHOIX_ONGLET, className="form-label small mb-1"),
            html.Select(
                [html.Option(o.label, value=o.tab_id) for o in tabs.onglets_pour(show_territoire)],
                id=CHOIX_ONGLET,
                className="form-select",
            ),
        ],
        className="onglets-choix mb-2",
    )


def filtres_repliables(show_territoire: bool) -> html.Details:
    """The filter bar, folded on a phone behind a one-line summary of the choices (unfolded,
    and its summary hidden, on larger screens: assets/onglets-telephone.js)."""
    return html.Details(
        [
            html.Summary(
                [
                    html.Span("Filtres", className="fw-semibold"),
                    html.Span(className="filtres-choisis ms-2 small text-body-secondary"),
                ],
                className="filtres-resume mb-2",
            ),
            filters.filter_bar(show_territoire),
        ],
        id=FILTRES_REPLI,
        open=True,
    )


def layout(ctx: PageContext) -> html.Div:
    """The whole page for one request."""
    date = (
        f"Données à jour au {ctx.date_donnees}"
        if ctx.date_donnees
        else "Aucune donnée importée pour l'instant"
    )
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.TITRE_PAGE, data=tabs.titre_page(tabs.DEFAUT)),
            *[dcc.Store(id=ids.selection_onglet(onglet.tab_id)) for onglet in tabs.TABS],
            html.A("Aller au contenu", href="#contenu", className="visually-hidden-focusable"),
            header(ctx),
            html.Main(
                dbc.Container(
                    [
                        html.Div(
                            [
                                html.H1(
                                    "Suivi des effectifs annuels et mensuels en ETP",
                                    className="h4 mb-0",
                                ),
                                html.Div(
                                    [
                                        html.Span(
                                            date, className="badge text-bg-light date-donnees"
                                        ),
                                        *components.menu_tout_telecharger(),
                                    ],
                                    className="d-flex align-items-center flex-wrap gap-2",
                                ),
                            ],
                            # wraps on a phone: the data date and the export button go under
                            # the title instead of pushing the page wider than the screen
                            className="d-flex justify-content-between align-items-center "
                            "flex-wrap gap-2 mb-2",
                        ),
                        *[dbc.Alert(m, color="warning") for m in ctx.messages],
                        filtres_repliables(ctx.show_territoire),
                        html.Div(
                            [
                                choix_onglet(ctx.show_territoire),
                                dbc.Tabs(
                                    [
                                        dbc.Tab(o.layout(), label=o.label, tab_id=o.tab_id)
                                        for o in tabs.onglets_pour(ctx.show_territoire)
                                    ],
                                    id=ids.ONGLETS,
                                    active_tab=tabs.DEFAUT,
                                ),
                            ],
                            className="tabs-accessibles",  # see assets/a11y-tabs.js
                        ),
                    ],
                    fluid=True,
                ),
                id="contenu",
                tabIndex="-1",
            ),
            aide_modal(),
            html.Footer(
                html.A("Donner votre avis", id=ids.AVIS_LIEN, href="/avis", className="small"),
                className="container-fluid py-3 text-end",
            ),
        ],
        id=ids.PAGE,
    )
