"""Tab "Synthèse financeur" (issue 6): pure builders from ``etp.pilotage`` results to cards.

One flow on one page: synthèse territoire (key figures, breakdown chart and table), structures
à suivre (status filter, ranked table), AFs shorter than 12 months, year-end projections (both
methods, stated), year N−1 at the same date, remplissage des états mensuels and late AFs.
Values arrive unrounded; they are formatted here through ``etp.formatting`` only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dash_table, dcc, html

from etp.catalogue import entete, titre
from etp.formatting import (
    fmt_compte,
    fmt_ecart,
    fmt_etp,
    fmt_euros,
    fmt_liste_mois,
    fmt_mois,
    fmt_nombre,
    fmt_pct,
    libelle_statut,
    nom_mois,
)
from etp.pilotage import RETARD_ALERTE
from etp.selection import ComparaisonN1, Courtes
from layouts import components, figures
from layouts.tables import (
    FORMATS_NOMBRES,
    POLICE,
    STYLE_CELLULE,
    STYLE_ENTETE,
    a_droite,
    colonne_dash,
    lien_structure,
    manquant,
)

LIBELLE = "Synthèse financeur"

# Component ids (``financeurs-<component>``); card ids are also the exports' keys.
HAUT = "financeurs-haut"
BAS = "financeurs-bas"
SYNTHESE = "financeurs-synthese"
REPARTITION = "financeurs-repartition"
REPARTITION_TABLE = "financeurs-repartition-table"
SUIVI = "financeurs-suivi"
SUIVI_TABLE = "financeurs-suivi-table"
SUIVI_RESUME = "financeurs-suivi-resume"
SUIVI_STATUTS = "financeurs-suivi-statuts"
SUIVI_TRI = "financeurs-suivi-tri"
#: What « Structures à suivre » shows first: the AFs over and under their convention, by gap
#: in ETP.
SUIVI_STATUTS_DEFAUT = ("sur-consommation", "sous-consommation")
SUIVI_TRI_DEFAUT = "etp"
COURTES = "financeurs-courtes"
COURTES_TABLE = "financeurs-courtes-table"
PROJECTION = "financeurs-projection"
PROJECTION_TABLE = "financeurs-projection-table"
N1 = "financeurs-n1"
N1_TABLE = "financeurs-n1-table"
REMPLISSAGE = "financeurs-remplissage"
RETARDS = "financeurs-retards"
RETARDS_TABLE = "financeurs-retards-table"
RETARDS_RESUME = "financeurs-retards-resume"
CARTES: tuple[str, ...] = (
    SYNTHESE,
    REPARTITION,
    REPARTITION_TABLE,
    SUIVI,
    COURTES,
    PROJECTION,
    N1,
    REMPLISSAGE,
    RETARDS,
)

STATUTS_OPTIONS = [
    {"label": "Sur-consommation", "value": "sur-consommation"},
    {"label": "Sous-consommation", "value": "sous-consommation"},
    {"label": "Conforme", "value": "conforme"},
    {"label": "Aucun mois validé", "value": "sans mois validé"},
]
COULEURS_STATUTS = {
    "sur-consommation": "#b42318",
    "sous-consommation": "#b35c00",
    "conforme": "#1b7a3a",
    "sans mois validé": "#8a8f98",
}


# --------------------------------------------------------------------------- tables

#: Rows a page of the per-AF tables shows. Those tables are paginated on the server (one
#: callback per table in ``callbacks``): at national scope they hold thousands of AFs.
LIGNES_PAR_PAGE = 15

Formateur = Callable[[Any], str]


def _sur(f: Callable[[Any], str]) -> Formateur:
    return lambda v: "–" if manquant(v) else f(v)


FORMATS: dict[str, Formateur] = {
    **FORMATS_NOMBRES,
    "text": lambda v: "" if manquant(v) else str(v),
    "structure": lambda v: "" if manquant(v) else str(v),
    "ecart_euros": _sur(lambda v: ("+" if v > 0 else "") + fmt_euros(v, 0)),
    "statut": lambda v: libelle_statut(None if v == "sans mois validé" else v),
    "mois": _sur(lambda v: nom_mois(int(v)) if int(v) > 0 else "aucun"),
    "retard": _sur(lambda v: f"⚠ {int(v)} mois" if int(v) >= RETARD_ALERTE else str(int(v))),
    "bool": lambda v: "oui" if bool(v) else "non",
    "liste_mois": lambda v: fmt_liste_mois(v) if isinstance(v, list | tuple) and v else "–",
}


@dataclass(frozen=True)
class Col:
    key: str
    titre: str
    kind: str = "text"


def identite(rec: dict[str, Any]) -> str:
    """One markdown cell naming an AF: its structure (a link to its page) and, on a second line,
    its number, type and département. Three identity columns on the screen pushed the figures
    off a 1 440 px screen; the export keeps them apart."""
    nom = lien_structure(FORMATS["structure"](rec.get(IDENTITE_NOM)), rec.get("structure_id"))
    details = [FORMATS["text"](rec.get(c)) for c in IDENTITE_DETAILS if not manquant(rec.get(c))]
    return nom + "  \n" + " · ".join(d for d in details if d)


def lignes(df: pd.DataFrame, colonnes: Sequence[Col]) -> list[dict[str, str]]:
    """Rows formatted in French for a DataTable (the unrounded frame stays for exports)."""
    out = []
    for rec in df.to_dict("records"):
        ligne = {}
        for c in colonnes:
            if c.kind == "identite":
                ligne[c.key] = identite(rec)
            elif c.kind == "structure":
                ligne[c.key] = lien_structure(
                    FORMATS[c.kind](rec.get(c.key)), rec.get("structure_id")
                )
            else:
                ligne[c.key] = FORMATS[c.kind](rec.get(c.key))
        out.append(ligne)
    return out


#: Widths of the compact table ("Structures à suivre"): every column fits a 1 440 px screen.
LARGEURS_COMPACTES: dict[str, str] = {
    "identite": "190px",
    "statut": "128px",
    "mois": "88px",
    "retard": "82px",
}


def table(
    table_id: str,
    colonnes: Sequence[Col],
    data: list[dict[str, str]] | None = None,
    compacte: bool = False,
) -> Any:
    """A paginated table; rows keep the order computed by ``etp.pilotage``.

    Without ``data`` the table is paginated on the server (``page_action="custom"``): it is
    drawn empty and a callback sends the rows of the page shown, so a national selection never
    travels whole to the browser. With ``data`` (a small per-group or per-month table, every
    row at once) the browser pages it. ``compacte``: narrow numeric columns (their headers
    wrap), fixed widths for the text ones."""
    largeurs = (
        [
            {
                "if": {"column_id": c.key},
                **dict.fromkeys(("minWidth", "width", "maxWidth"), LARGEURS_COMPACTES[c.kind]),
            }
            if c.kind in LARGEURS_COMPACTES
            # numbers: the header wraps within ~6 digits' width
            else {"if": {"column_id": c.key}, "minWidth": "72px", "maxWidth": "108px"}
            for c in colonnes
        ]
        if compacte
        else []
    )
    # a number on one line ("-127 775 €"); the header above it may wrap
    sans_coupure = (
        [
            {"if": {"column_id": c.key}, "whiteSpace": "nowrap"}
            for c in colonnes
            if c.kind not in ("identite", "statut", "text", "structure")
        ]
        if compacte
        else []
    )
    return dash_table.DataTable(
        id=table_id,
        columns=[
            colonne_dash(c.titre, c.key, "structure" if c.kind == "identite" else c.kind)
            for c in colonnes
        ],
        markdown_options={"link_target": "_self"},
        **(
            {"data": data, "page_action": "native"}
            if data is not None
            else {"data": [], "page_action": "custom", "page_current": 0, "page_count": 0}
        ),
        page_size=LIGNES_PAR_PAGE,
        sort_action="none",
        style_table={"overflowX": "auto"},
        style_cell={"fontFamily": POLICE, **STYLE_CELLULE},
        style_cell_conditional=a_droite(
            [
                c.key
                for c in colonnes
                if c.kind not in ("text", "structure", "identite", "statut", "mois", "bool")
            ]
        )
        + largeurs,
        style_header={
            **STYLE_ENTETE,
            **({"padding": "4px 6px", "fontSize": "0.8rem", "hyphens": "auto"} if compacte else {}),
        },
        style_data_conditional=[
            *sans_coupure,
            {
                "if": {"filter_query": '{statut} = "Sur-consommation"', "column_id": "statut"},
                "backgroundColor": "#fdecea",
                "color": "#8a1c12",
                "fontWeight": "600",
            },
            {
                "if": {"filter_query": '{statut} = "Sous-consommation"', "column_id": "statut"},
                "backgroundColor": "#fff4e0",
                "color": "#7a3e00",
                "fontWeight": "600",
            },
            {
                "if": {"filter_query": '{statut} = "Conforme"', "column_id": "statut"},
                "backgroundColor": "#e6f4ea",
                "color": "#14532d",
                "fontWeight": "600",
            },
            {
                # late: the cell says it ("⚠ 3 mois") in bold on a coloured background, and a
                # mark at the start of the row (colour is never the only sign)
                "if": {
                    "filter_query": '{mois_en_retard} contains "⚠"',
                    "column_id": "mois_en_retard",
                },
                "backgroundColor": "#fff4e0",
                "color": "#7a3e00",
                "fontWeight": "600",
            },
            *[
                {
                    "if": {"filter_query": '{mois_en_retard} contains "⚠"', "column_id": cle},
                    "borderLeft": "4px solid #b35c00",
                }
                for cle in ("numero_annexe_financiere", IDENTITE)
            ],
        ],
        css=[{"selector": ".dash-cell p", "rule": "margin: 0"}],
    )


# --------------------------------------------------------------------------- columns

IDENT = [
    Col("numero_annexe_financiere", "Numéro d'annexe financière"),
    Col("structure_denomination", "Structure", "structure"),
    Col("type_structure", "Type"),
    Col("departement_libelle", "Département"),
]
#: The one identity column of a compact table: structure, then AF number, type, département.
IDENTITE = "identite"
IDENTITE_NOM = "structure_denomination"
IDENTITE_DETAILS = ("numero_annexe_financiere", "type_structure", "departement_libelle")
COLONNES_SUIVI = [
    *IDENT,
    Col("statut", "Consommation", "statut"),
    Col("etp_mensuel_conventionne", entete("af.etp_mensuel_conventionne"), "etp"),
    Col("etp_mensuel_realise_moyen", entete("af.etp_mensuel_realise_moyen"), "etp"),
    Col("ecart_etp_mensuel", "Écart mensuel (ETP)", "ecart"),
    Col("etp_annuel_conventionne", entete("af.etp_annuel_conventionne"), "etp"),
    Col("projection_etp_annuel", entete("af.projection_etp_annuel"), "etp"),
    Col("taux_projection", entete("projection.taux"), "pct"),
    Col("montant_annuel_projete", entete("projection.montant"), "euros"),
    Col("ecart_projection_etp", entete("financeur.ecart_projection_etp"), "ecart"),
    Col("ecart_projection_euros", f"{titre('financeur.ecart_projection_etp')} (€)", "ecart_euros"),
    Col("nb_mois_valides", "Mois validés", "int"),
    Col("dernier_mois_valide", "Dernier mois validé", "mois"),
    Col("mois_en_retard", "Retard", "retard"),
]
#: "Structures à suivre" on the screen: the export keeps ``COLONNES_SUIVI``'s identity columns.
COLONNES_SUIVI_ECRAN = [
    Col(IDENTITE, "Structure et annexe financière", "identite"),
    *[c for c in COLONNES_SUIVI if c not in IDENT],
]
COLONNES_REPARTITION = [
    Col("groupe", "Groupe"),
    Col("nb_af", "Annexes", "int"),
    Col("enveloppe_etp", entete("conventionne.etp_annuel"), "etp"),
    Col("enveloppe_euros", entete("conventionne.montant"), "euros"),
    Col("realise_etp", entete("realise.etp_annuel"), "etp"),
    Col("taux_realisation", entete("realise.taux"), "pct"),
    Col("projection_etp", entete("projection.etp_annuel"), "etp"),
    Col("ecart_projection_etp", entete("financeur.ecart_projection_etp"), "ecart"),
    Col("ecart_projection_euros", "Écart projeté (€)", "ecart_euros"),
    Col("credits_non_consommes", entete("financeur.credits_non_consommes"), "euros"),
    Col("nb_af_sur", "Sur", "int"),
    Col("nb_af_sous", "Sous", "int"),
    Col("nb_af_conforme", "Conformes", "int"),
    Col("nb_af_sans_statut", "Sans mois validé", "int"),
]
COLONNES_COURTES = [
    *IDENT,
    Col("nb_mois_conventionnes", "Mois conventionnés", "int"),
    Col("etp_mensuel_conventionne", entete("af.etp_mensuel_conventionne"), "etp"),
    Col("etp_annuel_conventionne", entete("af.etp_annuel_conventionne"), "etp"),
    Col("difference_etp", entete("courtes.difference_etp"), "etp"),
    Col("difference_euros", entete("courtes.difference_euros"), "euros"),
]
COLONNES_PROJECTION = [
    *IDENT,
    Col("etp_annuel_conventionne", entete("af.etp_annuel_conventionne"), "etp"),
    Col("projection_fin_annee_etp", entete("projection.etp_annuel"), "etp"),
    Col("projection_saisonniere_etp", entete("projection_saisonniere.etp_annuel"), "etp"),
    Col("ecart_methodes", "Écart entre méthodes", "ecart_pct"),
    Col("montant_projete", entete("projection.montant"), "euros"),
    Col("montant_projete_saisonnier", f"{titre('projection_saisonniere.etp_annuel')} (€)", "euros"),
    Col("motif_sans_saisonniere", "Saisonnière non calculée car"),
]
COLONNES_N1 = [
    Col("numero_annexe_financiere", "Numéro d'annexe financière"),
    Col("structure_denomination", "Structure"),
    Col("type_structure", "Type"),
    Col("departement_libelle", "Département"),
    Col("mois_compares", titre("n1.mois_compares"), "liste_mois"),
    Col("realise_n", "Réalisé N, mois comparés (ETP)", "etp"),
    Col("realise_n1", "Réalisé N−1, mêmes mois (ETP)", "etp"),
    Col("evolution_etp", titre("n1.evolution_etp"), "ecart"),
    Col("evolution_pct", titre("n1.evolution_pct"), "ecart_pct"),
    Col("motif_exclusion", "Non comparée car"),
]
COLONNES_RETARDS = [
    *IDENT,
    Col("dernier_mois_valide_avant", "Dernier mois validé", "mois"),
    Col("premier_mois_manquant", "Premier mois manquant", "mois"),
    Col("mois_en_retard", "Mois en retard", "int"),
]


# --------------------------------------------------------------------------- page


def layout() -> html.Div:
    """Static frame: the dynamic parts are filled by ``callbacks.financeurs``."""
    suivi = dbc.Card(
        [
            components.card_header(SUIVI, "Structures à suivre", "fin_suivi", ("xlsx", "csv")),
            dbc.CardBody(
                [
                    dbc.Row(
                        [
                            dbc.Col(
                                [
                                    dbc.Label("Consommation", html_for=SUIVI_STATUTS),
                                    dbc.Checklist(
                                        id=SUIVI_STATUTS,
                                        options=STATUTS_OPTIONS,
                                        value=list(SUIVI_STATUTS_DEFAUT),
                                        inline=True,
                                    ),
                                ],
                                md=8,
                            ),
                            dbc.Col(
                                [
                                    dbc.Label("Classer par écart projeté", html_for=SUIVI_TRI),
                                    dbc.RadioItems(
                                        id=SUIVI_TRI,
                                        options=[
                                            {"label": "en ETP", "value": "etp"},
                                            {"label": "en euros", "value": "euros"},
                                        ],
                                        value=SUIVI_TRI_DEFAUT,
                                        inline=True,
                                    ),
                                ],
                                md=4,
                            ),
                        ],
                        className="mb-2",
                    ),
                    html.P(id=SUIVI_RESUME, className="small text-body-secondary"),
                    dcc.Loading(
                        table(SUIVI_TABLE, COLONNES_SUIVI_ECRAN, compacte=True),
                        type="circle",
                        delay_show=300,
                    ),
                ]
            ),
        ],
        id=SUIVI,
        className="mb-3",
    )
    return html.Div(
        [
            dcc.Loading(html.Div(id=HAUT), type="circle", delay_show=300),
            suivi,
            dcc.Loading(html.Div(id=BAS), type="circle", delay_show=300),
        ],
        className="pt-3",
    )


def _tile(tile_id: str, titre: str, valeur: str, aide: str, detail: Any = None) -> dbc.Col:
    return components.kpi_tile(f"{SYNTHESE}-{tile_id}", titre, valeur, aide, detail)


def cartes_synthese(
    annee: int,
    as_of: tuple[int, int] | None,
    total: dict[str, Any],
    repartition: pd.DataFrame | None,
    par_groupe: pd.DataFrame | None,
    libelle_groupe: str,
) -> list:
    """Key figures, then (territorial scopes only) the status chart and the breakdown table."""
    date = f"mois pris en compte jusqu'à {fmt_mois(*as_of)}" if as_of else "aucune donnée"
    tiles = [
        _tile(
            "enveloppe",
            "Enveloppe annuelle",
            f"{fmt_etp(total['enveloppe_etp'])} ETP",
            "conventionne.etp_annuel",
            f"{fmt_euros(total['enveloppe_euros'], 0)} · {components.nb_annexes(total['nb_af'])}",
        ),
        _tile(
            "consomme",
            "Consommé à date",
            f"{fmt_etp(total['realise_etp'])} ETP",
            "realise.etp_annuel",
            f"{fmt_euros(total['realise_euros'], 0)} · {fmt_pct(total['taux_realisation'])}",
        ),
        _tile(
            "projection",
            titre("projection.etp_annuel"),
            f"{fmt_etp(total['projection_etp'])} ETP",
            "projection.etp_annuel",
            f"{fmt_euros(total['projection_euros'], 0)} · {fmt_pct(total['taux_projection'])}",
        ),
        _tile(
            "ecart",
            titre("financeur.ecart_projection_etp"),
            f"{fmt_ecart(total['ecart_projection_etp'])} ETP",
            "financeur.ecart_projection_etp",
            [
                html.Div(FORMATS["ecart_euros"](total["ecart_projection_euros"])),
                html.Div(
                    f"{fmt_etp(total['etp_non_consommes'])} ETP non consommés, "
                    f"{fmt_euros(total['credits_non_consommes'], 0)} de crédits ; "
                    f"{fmt_etp(total['etp_au_dela'])} ETP au-delà (non financés)"
                ),
            ],
        ),
        *[
            _tile(
                suffixe,
                titre,
                components.nb_annexes(total[f"nb_af_{suffixe}"]),
                "statut_consommation",
                f"{fmt_etp(total[f'enveloppe_{suffixe}_etp'])} ETP d'enveloppe",
            )
            for suffixe, titre in (
                ("sur", "Sur-consommation"),
                ("sous", "Sous-consommation"),
                ("conforme", "Conformes"),
            )
        ],
        _tile(
            "sans",
            "Aucun mois validé",
            components.nb_annexes(total["nb_af_sans_statut"]),
            "projection.nb_af_sans_mois_valide",
            f"{fmt_etp(total['enveloppe_sans_projection_etp'])} ETP comptés à l'enveloppe",
        ),
    ]
    out: list = [
        components.kpi_card(SYNTHESE, f"Synthèse {annee} ({date})", tiles),
    ]
    if repartition is not None and par_groupe is not None and not par_groupe.empty:
        out.append(
            components.chart_card(
                REPARTITION,
                f"Enveloppe par statut de consommation, par {libelle_groupe}",
                figure_repartition(repartition),
                "fin_repartition",
                filename=f"suivi-etp_repartition_{annee}",
            )
        )
        out.append(
            components.table_card(
                REPARTITION_TABLE,
                f"Synthèse par {libelle_groupe}",
                table(
                    f"{REPARTITION_TABLE}-table",
                    COLONNES_REPARTITION,
                    lignes(par_groupe, COLONNES_REPARTITION),
                ),
                "fin_synthese",
            )
        )
    return out


def figure_repartition(rep: pd.DataFrame) -> figures.Chart:
    """Stacked horizontal bars: envelope ETP per group (``groupe`` column) and status.

    Horizontal, one group per line: the names ("66 - Pyrénées-Orientales", "Provence-Alpes-Côte
    d'Azur") are read level on the left instead of slanted under the bars, where the legend and
    the PNG's caption covered them; the legend sits above the bars. The height follows the
    number of groups."""
    fig = figures.Chart()
    groupes = list(dict.fromkeys(rep["groupe"]))
    for statut, couleur in COULEURS_STATUTS.items():
        part = rep[rep["statut"] == statut]
        # plain dicts: a pandas lookup per group and status cost ~50 ms for the départements
        etp = dict(zip(part["groupe"].tolist(), part["enveloppe_etp"].tolist(), strict=True))
        nb = dict(zip(part["groupe"].tolist(), part["nb_af"].tolist(), strict=True))
        fig.add_bar(
            name=libelle_statut(None if statut == "sans mois validé" else statut),
            orientation="h",
            y=groupes,
            x=[float(etp.get(g, 0.0)) for g in groupes],
            customdata=[components.nb_annexes(int(nb.get(g, 0))) for g in groupes],
            hovertemplate="%{x:.2f} ETP (%{customdata})<extra>%{fullData.name}</extra>",
            marker={"color": couleur},
        )
    figures._layout(fig, "")
    fig.update_layout(
        barmode="stack",
        hovermode="y unified",
        height=max(300, 30 * len(groupes) + 120),
        margin={"l": 10, "r": 20, "t": 40, "b": 50},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "traceorder": "normal"},
        yaxis={"title": None, "autorange": "reversed", "automargin": True, "showgrid": False},
        xaxis={
            "title": {"text": "Enveloppe (ETP)"},
            "gridcolor": "#e5e7eb",
            "rangemode": "tozero",
            "separatethousands": True,
        },
    )
    return fig


def carte_courtes(c: Courtes, courtes: pd.DataFrame) -> dbc.Card:
    if courtes.empty:
        corps: Any = components.empty_state("Aucune annexe de moins de 12 mois cette année.")
        resume = None
    else:
        resume = html.P(
            f"{components.nb_annexes(c.nb_af)} sur {fmt_nombre(c.nb_af_selection)} : "
            f"{fmt_etp(c.etp_mensuel_conventionne)} ETP mensuels conventionnés "
            f"mais {fmt_etp(c.etp_annuel_conventionne)} ETP annuels. "
            f"Différence : {fmt_etp(c.difference_etp)} ETP, "
            f"{fmt_euros(c.difference_euros, 0)}, soit {fmt_pct(c.poids_etp, 1)} "
            f"de l'enveloppe en ETP ({fmt_pct(c.poids_euros, 1)} en euros).",
            id=f"{COURTES}-resume",
        )
        corps = table(COURTES_TABLE, COLONNES_COURTES)
    return components.table_card(
        COURTES, "Annexes de moins de 12 mois : effet sur l'enveloppe", corps, "fin_courtes", resume
    )


def divergentes(par_af: pd.DataFrame) -> pd.DataFrame:
    """The AFs whose two projections differ by more than 5 %: the rows of the projection
    table, in ``etp.pilotage``'s order."""
    return par_af[par_af["methodes_divergent"].astype(bool)]


def carte_projection(totaux: dict[str, Any], par_af: pd.DataFrame) -> dbc.Card:
    """The one "Projection fin d'année" (the synthesis tile's number) and, under its own name,
    the seasonal method."""
    sans = totaux["nb_af_sans_mois_valide"]
    dont = (
        f", dont {components.nb_annexes(sans)} sans mois validé comptée"
        f"{'s' if sans >= 2 else ''} à l'enveloppe ({fmt_etp(totaux['etp_sans_mois_valide'])} ETP)"
        if sans
        else ""
    )
    methode = html.Div(
        [
            html.P(
                [
                    html.Strong(f"{titre('projection.etp_annuel')} : "),
                    f"{fmt_etp(totaux['projection_etp_annuel'])} ETP "
                    f"({fmt_euros(totaux['projection_montant'], 0)}) sur "
                    f"{components.nb_annexes(totaux['nb_af'])}{dont}. ",
                    "Réalisé + effectif mensuel réalisé moyen × mois conventionnés pas encore "
                    "validés / 12 (le rythme moyen observé se maintient).",
                ],
                className="mb-1",
                id=f"{PROJECTION}-fin-annee",
            ),
            html.P(
                [
                    html.Strong(f"{titre('projection_saisonniere.etp_annuel')} (autre méthode) : "),
                    "si la même annexe existait l'an dernier, les mois restants suivent le profil "
                    "de l'an dernier, multiplié par le rapport réalisé cette année / l'an dernier "
                    "sur les mêmes mois validés. Calculable pour "
                    f"{components.nb_annexes(totaux['nb_af_saisonnieres'])} : "
                    f"{fmt_etp(totaux['projection_saisonniere_etp'])} ETP contre "
                    f"{fmt_etp(totaux['projection_memes_af_etp'])} en projection fin d'année "
                    f"pour ces mêmes annexes ({FORMATS['ecart_pct'](totaux['ecart_methodes'])}). "
                    f"{components.nb_annexes(totaux['nb_af_divergentes'])} où les deux méthodes "
                    "diffèrent de plus de 5 %.",
                ],
                id=f"{PROJECTION}-resume",
                className="mb-2",
            ),
        ],
        className="small",
    )
    if divergentes(par_af).empty:
        corps: Any = html.P(
            "Aucune annexe dont les deux méthodes diffèrent de plus de 5 %.",
            className="text-body-secondary",
        )
    else:
        corps = table(PROJECTION_TABLE, COLONNES_PROJECTION)
    return components.table_card(
        PROJECTION,
        "Projection fin d'année et projection saisonnière",
        corps,
        "fin_projection",
        methode,
    )


def carte_n1(annee: int, n1: ComparaisonN1) -> dbc.Card:
    """N−1 like for like: which months are compared, how many AFs are left out, the totals."""
    if n1.afs.empty:
        resume = None
        corps: Any = components.empty_state("Aucune annexe dans la sélection.")
    else:
        exclues = (
            f" ; {components.nb_annexes(n1.nb_af_exclues)} laissée"
            f"{'s' if n1.nb_af_exclues >= 2 else ''} de côté (nouvelle ou sans mois comparable)"
            if n1.nb_af_exclues
            else ""
        )
        if n1.nb_af_comparees == 0:
            texte = (
                f"Aucune annexe comparable avec {annee - 1} (mêmes numéros, mêmes mois validés)"
                f"{exclues}."
            )
        else:
            texte = (
                f"Mois comparés : {fmt_liste_mois(n1.mois_compares)} (pour chaque annexe, ses "
                f"mois validés dans les deux années). Sur ces mois, "
                f"{fmt_etp(n1.realise_n)} ETP réalisés en {annee} contre "
                f"{fmt_etp(n1.realise_n1)} en {annee - 1} : évolution "
                f"{fmt_ecart(n1.evolution_etp)} ETP "
                f"({FORMATS['ecart_pct'](n1.evolution_pct)}). "
                f"{components.nb_annexes(n1.nb_af_comparees)} comparée"
                f"{'s' if n1.nb_af_comparees >= 2 else ''}{exclues}."
            )
        resume = html.P(texte, id=f"{N1}-resume")
        corps = table(N1_TABLE, COLONNES_N1)
    return components.table_card(N1, f"{annee} et {annee - 1}, mêmes mois", corps, "fin_n1", resume)


def figure_remplissage(r: pd.DataFrame) -> figures.Chart:
    """Stacked shares of conventioned AFs per state, month by month."""
    fig = figures.Chart()
    x = [figures.MOIS_COURTS[int(m) - 1] for m in r["mois"]]
    for colonne, libelle, couleur in figures.ETATS:
        nom = colonne.removeprefix("nb_")
        fig.add_bar(
            name=libelle,
            x=x,
            y=r[f"part_{nom}"].astype(float).tolist(),
            customdata=[
                [pct, components.nb_annexes(n)]
                for pct, n in zip(
                    figures.textes_pourcentages(r[f"part_{nom}"].astype(float).tolist()),
                    r[f"nb_{nom}"].astype(int).tolist(),
                    strict=True,
                )
            ],
            hovertemplate="%{customdata[0]} (%{customdata[1]})<extra>%{fullData.name}</extra>",
            marker={"color": couleur},
        )
    if r["nb_autre"].sum() > 0:
        fig.add_bar(name="Autre état", x=x, y=r["part_autre"].astype(float).tolist())
    fig.update_layout(barmode="stack")
    figures._layout(fig, "Part des annexes conventionnées")
    fig.update_yaxes(**figures.axe_pourcentages([1.0], pas=0.2))
    return fig


def cartes_remplissage(annee: int, r: pd.DataFrame, retards: pd.DataFrame) -> list:
    if r.empty:
        graphique: Any = components.empty_state("Aucun mois conventionné à afficher.")
        carte_graphique = components.table_card(
            REMPLISSAGE, "Remplissage des états mensuels", graphique, "fin_remplissage"
        )
    else:
        carte_graphique = components.chart_card(
            REMPLISSAGE,
            f"Remplissage des états mensuels, {annee}",
            figure_remplissage(r),
            "fin_remplissage",
            filename=f"suivi-etp_remplissage_{annee}",
        )
    resume = None
    if retards.empty:
        corps: Any = html.P(
            f"Aucune annexe en retard de {RETARD_ALERTE} mois ou plus.",
            className="text-body-secondary",
        )
    else:
        resume = html.P(f"{fmt_compte(len(retards), 'annexe')}.", id=RETARDS_RESUME)
        corps = table(RETARDS_TABLE, COLONNES_RETARDS)
    return [
        carte_graphique,
        components.table_card(
            RETARDS,
            f"Annexes en retard de {RETARD_ALERTE} mois ou plus",
            corps,
            "fin_retards",
            resume,
        ),
    ]
