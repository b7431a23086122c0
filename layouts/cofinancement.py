"""Tab "Cofinancement CD" (issue 15): pure builders from ``etp.cofinancement`` results to cards.

The État / CD split of the co-financed AFs (key figures and a table per AF), the monthly bRSA
target against the bRSA employees and their ETP (chart and table) and the AFs under target.
Values arrive unrounded; they are formatted here through ``etp.formatting`` only.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import html

from etp.catalogue import entete, titre
from etp.formatting import fmt_compte, fmt_etp, fmt_euros, fmt_mois, fmt_nombre, fmt_pct, nom_mois
from layouts import components, figures
from layouts.financeurs import FORMATS, Col, table

LIBELLE = "Cofinancement CD"
TAB_ID = "cofinancement"

# Component ids (``cofinancement-<component>``); card ids are also the exports' keys.
CONTENU = "cofinancement-contenu"
SYNTHESE = "cofinancement-synthese"
BRSA = "cofinancement-brsa"
BRSA_TABLE = "cofinancement-brsa-mois"
REPARTITION = "cofinancement-repartition"
REPARTITION_TABLE = "cofinancement-repartition-table"
SOUS_CIBLE = "cofinancement-sous-cible"
SOUS_CIBLE_TABLE = "cofinancement-sous-cible-table"
CARTES: tuple[str, ...] = (SYNTHESE, BRSA, BRSA_TABLE, REPARTITION, SOUS_CIBLE)


def _manque(v: Any) -> bool:
    return v is None or v != v


_FORMATS = {
    **FORMATS,
    "nombre": lambda v: "–" if _manque(v) else fmt_etp(v),
    "mois_num": lambda v: "" if _manque(v) else nom_mois(int(v)),
}


def lignes(df: pd.DataFrame, colonnes: list[Col]) -> list[dict[str, str]]:
    """Rows formatted in French for a DataTable (the unrounded frame stays for exports)."""
    return [
        {c.key: _FORMATS[c.kind](r.get(c.key)) for c in colonnes} for r in df.to_dict("records")
    ]


IDENT = [
    Col("numero_annexe_financiere", "Numéro d'annexe financière"),
    Col("structure_denomination", "Structure"),
    Col("departement_libelle", "Département"),
    Col("financeur", "Cofinanceur"),
]
COLONNES_REPARTITION = [
    *IDENT,
    Col("nb_mois_conventionnes", "Mois conventionnés", "int"),
    Col("etp_mensuel_conventionne", entete("af.etp_mensuel_conventionne"), "etp"),
    Col("etp_annuel_conventionne", entete("af.etp_annuel_conventionne"), "etp"),
    Col("part_cd", entete("cofinancement.part_cd"), "pct"),
    Col("etp_annuel_conventionne_cd", entete("cofinancement.etp_annuel_conventionne_cd"), "etp"),
    Col(
        "etp_annuel_conventionne_etat", entete("cofinancement.etp_annuel_conventionne_etat"), "etp"
    ),
    Col("montant_total", entete("cofinancement.montant_total"), "euros"),
    Col("montant_cd", entete("cofinancement.montant_cd"), "euros"),
    Col("montant_etat", entete("cofinancement.montant_etat"), "euros"),
    Col("brsa_cible_moyenne", "Cible bRSA mensuelle moyenne", "nombre"),
    Col("nb_salaries_brsa_moyen", "Salariés bRSA (moyenne des mois validés)", "nombre"),
    Col("etp_annuel_realise_brsa", entete("cofinancement.etp_annuel_realise_brsa"), "etp"),
]
COLONNES_SOUS_CIBLE = [
    *IDENT,
    Col("nb_mois_valides", "Mois validés", "int"),
    Col("brsa_cible_mois_valides", "Cible bRSA (moyenne des mois validés)", "nombre"),
    Col("nb_salaries_brsa_moyen", "Salariés bRSA (moyenne des mois validés)", "nombre"),
    Col("ecart_brsa", "Écart mensuel moyen (salariés)", "ecart"),
    Col("nb_mois_sous_cible", "Mois sous la cible", "int"),
    Col("montant_cd", entete("cofinancement.montant_cd"), "euros"),
]
#: The monthly series, titled by the catalogue (``cofinancement.serie.*``).
COLONNES_MOIS = [
    Col(cle, titre(f"cofinancement.serie.{cle}"), kind)
    for cle, kind in (
        ("mois", "mois_num"),
        ("nb_af", "int"),
        ("nb_af_valides", "int"),
        ("brsa_cible", "nombre"),
        ("brsa_cible_valide", "nombre"),
        ("nb_salaries_brsa", "int"),
        ("etp_realise_brsa", "etp"),
    )
]


def layout() -> html.Div:
    """Static frame: the cards are filled by ``callbacks.cofinancement``."""
    return components.onglet(CONTENU)


def _tile(suffixe: str, titre: str, valeur: str, aide: str, detail: Any = None):
    return components.kpi_tile(f"{SYNTHESE}-{suffixe}", titre, valeur, aide, detail)


def carte_synthese(annee: int, as_of: tuple[int, int] | None, t: dict[str, Any]):
    date = f"mois pris en compte jusqu'à {fmt_mois(*as_of)}" if as_of else "aucune donnée"
    tiles = [
        _tile(
            "annexes",
            titre("cofinancement.nb_af"),
            components.nb_annexes(t["nb_af"]),
            "cofinancement.nb_af",
            f"dont {components.nb_annexes(t['nb_af_sous_cible'])} sous la cible bRSA",
        ),
        _tile(
            "montant-cd",
            titre("cofinancement.montant_cd"),
            fmt_euros(t["montant_cd"], 0),
            "cofinancement.montant_cd",
            f"{fmt_pct(t['part_cd'], 1)} de {fmt_euros(t['montant_total'], 0)} d'aide",
        ),
        _tile(
            "etp-cd",
            titre("cofinancement.etp_annuel_conventionne_cd"),
            f"{fmt_etp(t['etp_annuel_conventionne_cd'])} ETP",
            "cofinancement.etp_annuel_conventionne_cd",
            f"sur {fmt_etp(t['etp_annuel_conventionne'])} ETP annuels conventionnés",
        ),
        _tile(
            "etp-etat",
            titre("cofinancement.etp_annuel_conventionne_etat"),
            f"{fmt_etp(t['etp_annuel_conventionne_etat'])} ETP",
            "cofinancement.etp_annuel_conventionne_etat",
            f"{fmt_euros(t['montant_etat'], 0)} d'aide de l'État",
        ),
    ]
    return components.kpi_card(SYNTHESE, f"Cofinancement {annee} ({date})", tiles)


def _valeurs(s: pd.Series) -> list[float | None]:
    return [None if _manque(v) else float(v) for v in s]


def figure_brsa(serie: pd.DataFrame) -> figures.Chart:
    """Bars: bRSA employees and their ETP on validated months; lines: the target of the AFs
    validated that month (like for like) and of every conventioned AF."""
    mois = [nom_mois(int(m)) for m in serie["mois"]]
    fig = figures.Chart()
    fig.add_bar(
        name=f"{titre('cofinancement.serie.nb_salaries_brsa')} (≥ 1 heure)",
        x=mois,
        y=_valeurs(serie["nb_salaries_brsa"]),
        marker={"color": "#000091"},
        hovertemplate="%{y:.0f} salariés bRSA<extra></extra>",
    )
    fig.add_bar(
        name=titre("cofinancement.serie.etp_realise_brsa"),
        x=mois,
        y=_valeurs(serie["etp_realise_brsa"]),
        marker={"color": "#8585f6"},
        hovertemplate="%{y:.2f} ETP<extra></extra>",
    )
    fig.add_scatter(
        name=titre("cofinancement.serie.brsa_cible_valide"),
        x=mois,
        y=_valeurs(serie["brsa_cible_valide"]),
        mode="lines+markers",
        line={"color": "#b34000", "width": 3},
        hovertemplate="cible %{y:.2f}<extra>annexes validées</extra>",
    )
    fig.add_scatter(
        name="Cible bRSA de toutes les annexes conventionnées",
        x=mois,
        y=_valeurs(serie["brsa_cible"]),
        mode="lines",
        line={"color": "#b34000", "width": 2, "dash": "dot"},
        hovertemplate="cible %{y:.2f}<extra>annexes conventionnées</extra>",
    )
    fig.update_layout(barmode="group")
    return figures._layout(fig, "Salariés / ETP")


def _notes(serie: pd.DataFrame) -> list[str]:
    partiels = serie[(serie["nb_af_valides"] > 0) & (serie["nb_af_valides"] < serie["nb_af"])]
    notes = [
        "Seuls les mois validés comptent : un mois non validé n'a ni salariés ni ETP réalisés.",
        "La cible d'un mois = cofinancement CD / mois conventionnés de l'annexe / montant "
        "mensuel du RSA pris en charge (MT_ME_RSA) de ce mois.",
    ]
    for row in partiels.itertuples():
        valides = int(row.nb_af_valides)
        notes.append(
            f"{nom_mois(int(row.mois)).capitalize()} : {components.nb_annexes(valides)} "
            f"validée{'s' if valides >= 2 else ''} sur {fmt_nombre(int(row.nb_af))} ; les barres "
            "se comparent à la cible de ces annexes seulement (trait plein)."
        )
    return notes


def repartition(par_af: pd.DataFrame) -> pd.DataFrame:
    """The rows of the État / CD table: the co-financed AFs by département, then AF number."""
    return par_af.sort_values(["departement", "numero_annexe_financiere"], kind="stable")


def table_par_af(table_id: str, colonnes: list[Col], nb: int, resume_id: str) -> html.Div:
    """A per-AF table paginated on the server (a callback sends the rows of the page shown:
    thousands of co-financed AFs at national scope) under a line counting its rows."""
    compte = html.P(
        f"{fmt_compte(nb, 'annexe')}.", id=resume_id, className="small text-body-secondary mb-2"
    )
    return html.Div([compte, table(table_id, colonnes)])


def cartes(
    annee: int,
    as_of: tuple[int, int] | None,
    totaux: dict[str, Any],
    serie: pd.DataFrame,
    par_af: pd.DataFrame,
    sous_cible: pd.DataFrame,
) -> list:
    """Every card of the tab, in reading order."""
    if sous_cible.empty:
        corps_sous: Any = components.empty_state(
            "Aucune annexe sous la cible bRSA sur ses mois validés.", titre="Aucune annexe"
        )
    else:
        corps_sous = table_par_af(
            SOUS_CIBLE_TABLE, COLONNES_SOUS_CIBLE, len(sous_cible), f"{SOUS_CIBLE}-resume"
        )
    return [
        carte_synthese(annee, as_of, totaux),
        components.chart_card(
            BRSA,
            f"Cible bRSA et salariés bRSA par mois, {annee}",
            figure_brsa(serie),
            "cofi_brsa",
            _notes(serie),
            filename=f"suivi-etp_cible-brsa_{annee}",
        ),
        components.table_card(
            BRSA_TABLE,
            "Cible bRSA et salariés bRSA, détail par mois",
            table(f"{BRSA_TABLE}-table", COLONNES_MOIS, lignes(serie, COLONNES_MOIS)),
            "cofi_brsa",
        ),
        components.table_card(
            REPARTITION,
            "Répartition État / conseil départemental par annexe",
            table_par_af(
                REPARTITION_TABLE, COLONNES_REPARTITION, len(par_af), f"{REPARTITION}-resume"
            ),
            "cofi_repartition",
        ),
        components.table_card(
            SOUS_CIBLE, "Annexes sous la cible bRSA", corps_sous, "cofi_sous_cible"
        ),
    ]
