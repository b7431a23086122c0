"""What each card exports: card id -> the sheets built from the card's own ``etp`` call.

Every source takes ``(engine, scope, filtres)`` resolved on the server and re-runs the same
``etp.queries`` read and the same series/totals helpers as the card, so the file holds the
numbers on screen, unrounded. Nothing here comes from the browser but the card id and the
filter values, and those can only narrow the scope (``etp.queries`` ANDs them in SQL).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from callbacks import detail, financeurs, series, synthese
from etp import queries, referentiel
from etp.exports import Colonne, ExportSheet
from etp.filters import Filtres
from etp.formatting import libelle_etat, libelle_statut
from etp.scope import Scope
from layouts import detail_annuel, detail_mensuel, ids
from layouts import tables as screen_tables

Source = Callable[[Engine, Scope, Filtres], list[ExportSheet]]


@dataclass(frozen=True)
class CarteExport:
    """A downloadable card: ``slug`` names its files, ``onglet`` is the tab it belongs to."""

    slug: str
    onglet: str
    source: Source


# --- helpers ------------------------------------------------------------------------------------


def _premier_du_mois(annee: int, mois: pd.Series) -> list[date | None]:
    """Months as dates (first day), so a spreadsheet shows and sorts "mars 2022" as a date."""
    return [None if pd.isna(m) else date(annee, int(m), 1) for m in mois]


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


SCREEN_KINDS = {
    "text": "text",
    "etp": "etp",
    "pct": "pct",
    "euros": "euros",
    "int": "int",
    "ecart": "etp",
    "mois": "mois",
    "etat": "text",
    "statut": "text",
}


def depuis_ecran(
    frame: pd.DataFrame, colonnes: Sequence[screen_tables.Colonne], annee: int
) -> tuple[pd.DataFrame, tuple[Colonne, ...]]:
    """A detail table's screen columns as export columns, same titles and order.

    States and statuses are written as the labels the screen shows; months as dates; euros
    with the screen's 0 decimals (display only). Values are otherwise untouched.
    """
    out = frame.copy()
    specs = []
    for col in colonnes:
        if col.kind == "etat":
            out[col.key] = [libelle_etat(None if pd.isna(v) else v) for v in out[col.key]]
        elif col.kind == "statut":
            out[col.key] = [libelle_statut(None if pd.isna(v) else v) for v in out[col.key]]
        elif col.kind == "mois":
            out[col.key] = _premier_du_mois(annee, out[col.key])
        decimales = 0 if col.kind == "euros" else None
        kind = SCREEN_KINDS.get(col.kind, "etp" if col.numerique else "text")
        specs.append(Colonne(col.key, col.titre, kind, decimales))  # type: ignore[arg-type]
    return out, tuple(specs)


def _trier(frame: pd.DataFrame, tri: Sequence[dict[str, str]]) -> pd.DataFrame:
    """The table's default sort (the one the screen opens with)."""
    for t in reversed(list(tri)):
        key = t.get("column_id")
        if key in frame.columns:
            frame = frame.sort_values(
                key, ascending=t.get("direction") != "desc", na_position="last", kind="stable"
            )
    return frame


# --- sources ------------------------------------------------------------------------------------


def chiffres_mensuels(engine: Engine, scope: Scope, filtres: Filtres) -> list[ExportSheet]:
    """The monthly key figures, one row, titled like the tiles."""
    annuel = queries.indicateurs_annuels(engine, scope, filtres)
    mensuel = queries.indicateurs_mensuels(engine, scope, filtres)
    colonnes = (
        Colonne("nb_af", "Annexes financières", "int"),
        Colonne("conventionne", "Effectif mensuel conventionné", "etp"),
        Colonne("dernier_mois", "Dernier mois validé", "mois"),
        Colonne("dernier_realise", "Effectif mensuel réalisé (dernier mois validé)", "etp"),
        Colonne("moyen", "Effectif mensuel réalisé moyen", "etp"),
        Colonne("taux_moyen", "Réalisé moyen / conventionné", "pct"),
        Colonne("statut", "Consommation", "text"),
        Colonne("ecart_etp", "Écart (ETP)", "etp"),
        Colonne("ecart_pct", "Écart (%)", "pct"),
    )
    titre = f"Chiffres clés {filtres.annee} (en ETP)"
    if annuel.empty:
        return [
            ExportSheet(
                "Chiffres clés mensuels",
                titre,
                pd.DataFrame(columns=[c.key for c in colonnes]),
                colonnes,
            )
        ]
    serie = series.serie_mensuelle(mensuel, filtres.annee)
    t = synthese.totaux(annuel)
    dernier = series.dernier_mois_valide(serie)
    ligne = {
        "nb_af": t.nb_af,
        "conventionne": t.etp_mensuel_conventionne,
        "dernier_mois": date(filtres.annee, dernier, 1) if dernier else None,
        "dernier_realise": (
            float(serie.loc[serie["mois"] == dernier, "etp_realise"].iloc[0]) if dernier else None
        ),
        "moyen": t.etp_mensuel_realise_moyen,
        "taux_moyen": _ratio(t.etp_mensuel_realise_moyen, t.conventionne_compare),
        "statut": libelle_statut(t.statut),
        "ecart_etp": t.ecart_etp,
        "ecart_pct": t.ecart_pct,
    }
    return [ExportSheet("Chiffres clés mensuels", titre, pd.DataFrame([ligne]), colonnes)]


COLONNES_SERIE = (
    Colonne("mois_date", "Mois", "mois"),
    Colonne("nb_af", "Annexes financières conventionnées", "int"),
    Colonne("etp_conventionne", "Effectif mensuel conventionné (en ETP)", "etp"),
    Colonne("etp_realise", "Effectif mensuel réalisé, mois validés (en ETP)", "etp"),
    Colonne("taux", "Taux de réalisation mensuel", "pct"),
    Colonne("etp_non_valide", "Conventionné des mois non validés (en ETP)", "etp"),
    Colonne("etat", "État du mois", "text"),
)

COLONNES_REMPLISSAGE = (
    Colonne("mois_date", "Mois", "mois"),
    Colonne("nb_af", "Annexes financières conventionnées", "int"),
    Colonne("VALIDE", "Validé", "int"),
    Colonne("DEBLOQUE", "Débloqué", "int"),
    Colonne("SAISI", "Saisi", "int"),
    Colonne("BROUILLON", "Brouillon", "int"),
    Colonne("NON_SAISI", "Non saisi", "int"),
)


def _serie(engine: Engine, scope: Scope, filtres: Filtres) -> pd.DataFrame:
    mensuel = queries.indicateurs_mensuels(engine, scope, filtres)
    serie = series.serie_mensuelle(mensuel, filtres.annee)
    serie["mois_date"] = _premier_du_mois(filtres.annee, serie["mois"])
    return serie


def serie_mensuelle(engine: Engine, scope: Scope, filtres: Filtres) -> list[ExportSheet]:
    """The monthly chart's data: one row per month."""
    titre = f"Effectif mensuel conventionné et réalisé, {filtres.annee} (en ETP)"
    frame = _serie(engine, scope, filtres) if _a_des_af(engine, scope, filtres) else None
    return [ExportSheet("Effectif mensuel", titre, _ou_vide(frame, COLONNES_SERIE), COLONNES_SERIE)]


def remplissage(engine: Engine, scope: Scope, filtres: Filtres) -> list[ExportSheet]:
    """The fill-rate chart's data: AFs per monthly state, month by month."""
    titre = f"Remplissage des états mensuels, {filtres.annee} (nombre d'annexes financières)"
    frame = _serie(engine, scope, filtres) if _a_des_af(engine, scope, filtres) else None
    return [
        ExportSheet(
            "Remplissage", titre, _ou_vide(frame, COLONNES_REMPLISSAGE), COLONNES_REMPLISSAGE
        )
    ]


def _a_des_af(engine: Engine, scope: Scope, filtres: Filtres) -> bool:
    return not queries.indicateurs_annuels(engine, scope, filtres).empty


def _ou_vide(frame: pd.DataFrame | None, colonnes: Sequence[Colonne]) -> pd.DataFrame:
    """The card shows an empty state when no AF is selected: the file then has no row."""
    return frame if frame is not None else pd.DataFrame(columns=[c.key for c in colonnes])


def chiffres_annuels(engine: Engine, scope: Scope, filtres: Filtres) -> list[ExportSheet]:
    """The annual key figures and aid amounts, one row, titled like the tiles."""
    annuel = queries.indicateurs_annuels(engine, scope, filtres)
    colonnes = (
        Colonne("nb_af", "Annexes financières", "int"),
        Colonne("conventionne", "Effectif annuel conventionné", "etp"),
        Colonne("realise", "Effectif annuel réalisé", "etp"),
        Colonne("taux", "% de réalisation", "pct"),
        Colonne("projection", "Projection fin d'année", "etp"),
        Colonne("taux_projection", "Projection / conventionné annuel", "pct"),
        Colonne("montant_conventionne", "Aide au poste conventionnée", "euros", 0),
        Colonne("montant_realise", "Aide au poste réalisée", "euros", 0),
        Colonne("montant_projete", "Aide au poste projetée", "euros", 0),
    )
    titre = f"Chiffres clés {filtres.annee} (en ETP)"
    if annuel.empty:
        frame = pd.DataFrame(columns=[c.key for c in colonnes])
    else:
        t = synthese.totaux(annuel)
        frame = pd.DataFrame(
            [
                {
                    "nb_af": t.nb_af,
                    "conventionne": t.etp_annuel_conventionne,
                    "realise": t.etp_annuel_realise,
                    "taux": t.taux_realisation_annuel,
                    "projection": t.projection_etp_annuel,
                    "taux_projection": t.taux_projection_annuel,
                    "montant_conventionne": t.montant_annuel_conventionne,
                    "montant_realise": t.montant_annuel_realise,
                    "montant_projete": t.montant_annuel_projete,
                }
            ]
        )
    return [ExportSheet("Chiffres clés annuels", titre, frame, colonnes)]


COLONNES_CUMUL = (
    Colonne("mois_date", "Mois", "mois"),
    Colonne("enveloppe", "Enveloppe annuelle conventionnée (en ETP)", "etp"),
    Colonne("cumul_conventionne", "Rythme conventionné, cumul (en ETP)", "etp"),
    Colonne("cumul_realise", "Réalisé cumulé, mois validés (en ETP)", "etp"),
)


def cumul_annuel(engine: Engine, scope: Scope, filtres: Filtres) -> list[ExportSheet]:
    """The cumulative chart's data, with the same arithmetic as ``figures.figure_cumul``:
    Σ monthly ETP / 12 cumulated, realised only up to the last validated month."""
    titre = f"Consommation annuelle cumulée, {filtres.annee} (en ETP annuels)"
    annuel = queries.indicateurs_annuels(engine, scope, filtres)
    if annuel.empty:
        frame = None
    else:
        frame = _serie(engine, scope, filtres)
        dernier = series.dernier_mois_realise(frame)
        frame["enveloppe"] = synthese.totaux(annuel).etp_annuel_conventionne
        frame["cumul_conventionne"] = (frame["etp_conventionne"].fillna(0.0) / 12).cumsum()
        cumul = (frame["etp_realise"].fillna(0.0) / 12).cumsum()
        frame["cumul_realise"] = cumul.where(frame["mois"] <= (dernier or 0))
    return [ExportSheet("Cumul annuel", titre, _ou_vide(frame, COLONNES_CUMUL), COLONNES_CUMUL)]


def detail_consommation_mensuelle(
    engine: Engine, scope: Scope, filtres: Filtres
) -> list[ExportSheet]:
    """Every row of the monthly detail table (AF × conventioned month), not only one page."""
    df = queries.indicateurs_mensuels(engine, scope, filtres)
    df = df[df["conventionne"]]
    if not df.empty:
        df = _trier(detail.avec_structure(df), detail_mensuel.TRI_DEFAUT)
    else:
        df = df.assign(structure=pd.Series(dtype=object))
    frame, colonnes = depuis_ecran(df, detail_mensuel.COLONNES, filtres.annee)
    return [ExportSheet("Détail mensuel", detail_mensuel.LIBELLE, frame, colonnes)]


def detail_consommation_annuelle(
    engine: Engine, scope: Scope, filtres: Filtres
) -> list[ExportSheet]:
    """Every row of the annual detail table (one per AF), sorted by gap like the screen."""
    df = queries.indicateurs_annuels(engine, scope, filtres)
    if not df.empty:
        df = _trier(detail.avec_structure(df), detail_annuel.TRI_DEFAUT)
    else:
        df = df.assign(structure=pd.Series(dtype=object))
    frame, colonnes = depuis_ecran(df, detail_annuel.COLONNES, filtres.annee)
    return [ExportSheet("Détail annuel", detail_annuel.LIBELLE, frame, colonnes)]


#: Sheets of the paginated detail tables (the file holds every row, not the page shown).
FEUILLES_DETAIL = frozenset({"Détail mensuel", "Détail annuel"})

SOURCES: dict[str, CarteExport] = {
    ids.MENSUEL_KPIS: CarteExport("chiffres-cles-mensuels", "mensuel", chiffres_mensuels),
    ids.MENSUEL_GRAPHIQUE: CarteExport("effectif-mensuel", "mensuel", serie_mensuelle),
    ids.MENSUEL_REMPLISSAGE: CarteExport("remplissage-etats-mensuels", "mensuel", remplissage),
    ids.DETAIL_MENSUEL_TABLE + "-carte": CarteExport(
        "detail-consommation-mensuelle", "detail-mensuel", detail_consommation_mensuelle
    ),
    ids.ANNUEL_KPIS: CarteExport("chiffres-cles-annuels", "annuel", chiffres_annuels),
    ids.ANNUEL_CUMUL: CarteExport("effectif-annuel", "annuel", cumul_annuel),
    ids.DETAIL_ANNUEL_TABLE + "-carte": CarteExport(
        "detail-consommation-annuelle", "detail-annuel", detail_consommation_annuelle
    ),
}

# The funders' tab declares its own sources next to its callbacks (card id -> (slug, source)).
for _card, (_slug, _source) in financeurs.EXPORTS.items():
    SOURCES.setdefault(_card, CarteExport(_slug, financeurs.TAB_ID, _source))

#: Slug of the whole-view workbook of each tab ("Tout télécharger (Excel)").
ONGLETS_SLUGS = {
    "mensuel": "effectif-mensuel-complet",
    "detail-mensuel": "detail-consommation-mensuelle",
    "annuel": "effectif-annuel-complet",
    "detail-annuel": "detail-consommation-annuelle",
    financeurs.TAB_ID: "synthese-financeur-complete",
}


def cartes_de_l_onglet(onglet: str) -> list[str]:
    """The card ids of a tab, in display order."""
    return [card for card, spec in SOURCES.items() if spec.onglet == onglet]


HORS_PERIMETRE = "aucune donnée dans votre périmètre"


def libelles_filtres(filtres: Filtres, annuel: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    """The filters as the "Périmètre" sheet states them, in the filter bar's words.

    A structure or an AF number is named from the scoped result only (never looked up outside
    the scope): a value that selects nothing in the scope is not echoed back.
    """
    lignes = [("Année", str(filtres.annee))]
    if filtres.structure_id is not None:
        match = annuel[annuel["structure_id"] == filtres.structure_id] if len(annuel) else annuel
        if len(match):
            row = match.iloc[0]
            nom = row["structure_denomination"] or f"structure {filtres.structure_id}"
            siret = row["siret"]
            lignes.append(("Dénomination structure", f"{nom} - {siret}" if siret else nom))
        else:
            lignes.append(("Dénomination structure", HORS_PERIMETRE))
    if filtres.numero_af:
        connus = set(annuel["numero_annexe_financiere"]) if len(annuel) else set()
        numero = filtres.numero_af.strip().upper()
        lignes.append(
            ("Numéro d'annexe financière", numero if numero in connus else HORS_PERIMETRE)
        )
    if filtres.type_structure:
        lignes.append(("Type de structure", filtres.type_structure))
    if filtres.region:
        nom_region = referentiel.regions().get(filtres.region, filtres.region)
        lignes.append(("Région du conventionnement", nom_region))
    if filtres.departement:
        lignes.append(
            ("Département du conventionnement", referentiel.departement_label(filtres.departement))
        )
    return tuple(lignes)
