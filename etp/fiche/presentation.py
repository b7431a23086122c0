"""The structure page's tables as French text, shared by the HTML page and the PDF so that
both print the same figures with the same titles. Values come from :mod:`etp.fiche.donnees`
(the dashboard's functions); only formatting happens here (:mod:`etp.formatting`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from etp.fiche.donnees import AnneeFiche, Fiche
from etp.formatting import (
    VIDE,
    fmt_date,
    fmt_ecart,
    fmt_etp,
    fmt_euros,
    fmt_mois,
    fmt_nombre,
    fmt_pct,
    libelle_statut,
)

#: Keys of ``layouts.definitions.DEFINITIONS`` the page and the PDF rely on (the reader of the
#: PDF gets exactly these definitions).
DEFINITIONS_UTILISEES: tuple[str, ...] = (
    "etp_mensuel_conventionne",
    "etp_mensuel_realise",
    "etp_mensuel_realise_moyen",
    "statut_consommation",
    "etp_annuel_conventionne",
    "etp_annuel_realise",
    "taux_realisation_annuel",
    "projection_etp_annuel",
    "fin_n1",
    "fin_remplissage",
    "fin_retards",
)


#: States of an annexe financière (``af_etat_annexe_financiere_code``) in French.
ETATS_ANNEXE: dict[str, str] = {
    "VALIDE": "Validée",
    "PROVISOIRE": "Provisoire",
    "CLOTURE": "Clôturée",
    "HISTORISE": "Historisée",
    "SAISI": "Saisie",
    "BROUILLON": "Brouillon",
    "ANNULE": "Annulée",
    "REJETE": "Rejetée",
}


@dataclass(frozen=True)
class Tableau:
    """A table ready to print: column titles and rows of French text."""

    entetes: tuple[str, ...]
    lignes: tuple[tuple[str, ...], ...]

    @property
    def vide(self) -> bool:
        return not self.lignes


def _manquant(v: Any) -> bool:
    return v is None or (isinstance(v, float) and pd.isna(v))


def _statut(a: AnneeFiche) -> str:
    m = a.chiffres_mensuels()
    if m.statut is None:
        return libelle_statut(None)
    ecart = "" if m.ecart_etp is None else f" ({fmt_ecart(m.ecart_etp)} ETP)"
    return libelle_statut(m.statut) + ecart


def _n1(a: AnneeFiche) -> tuple[str, str, str]:
    """Realised this year and last year at the same date, and the evolution (ETP)."""
    if a.vide:
        return VIDE, VIDE, VIDE
    t = a.comparaison_n1()
    n1 = t.get("etp_annuel_realise_n1")
    if not t.get("nb_af_n1"):
        return fmt_etp(t["etp_annuel_realise"]), "aucune annexe l'an dernier", VIDE
    evo = t["evolution_realise_etp"]
    pct = t["evolution_realise_pct"]
    evolution = fmt_ecart(evo) + ("" if _manquant(pct) else f" ({fmt_pct(pct)})")
    return fmt_etp(t["etp_annuel_realise"]), fmt_etp(n1), evolution


#: One row per figure, one column per year: (title, function of the year).
LIGNES_ANNUELLES: tuple[tuple[str, Callable[[AnneeFiche], str]], ...] = (
    ("Annexes comptées", lambda a: fmt_nombre(a.chiffres_annuels().nb_af)),
    (
        "Effectif mensuel conventionné (ETP)",
        lambda a: fmt_etp(a.chiffres_mensuels().etp_mensuel_conventionne),
    ),
    (
        "Effectif mensuel réalisé moyen (ETP)",
        lambda a: fmt_etp(a.chiffres_mensuels().etp_mensuel_realise_moyen),
    ),
    ("Consommation", _statut),
    (
        "Effectif annuel conventionné (ETP)",
        lambda a: fmt_etp(a.chiffres_annuels().etp_annuel_conventionne),
    ),
    (
        "Effectif annuel réalisé (ETP)",
        lambda a: fmt_etp(a.chiffres_annuels().etp_annuel_realise),
    ),
    (
        "% de réalisation (annuel)",
        lambda a: fmt_pct(a.chiffres_annuels().taux_realisation_annuel),
    ),
    (
        "Projection fin d'année (ETP)",
        lambda a: fmt_etp(a.chiffres_annuels().projection_etp_annuel),
    ),
    (
        "Projection fin d'année (%)",
        lambda a: fmt_pct(a.chiffres_annuels().taux_projection_annuel),
    ),
    (
        "Montant annuel conventionné",
        lambda a: fmt_euros(a.chiffres_annuels().montant_annuel_conventionne, 0),
    ),
    (
        "Montant annuel réalisé",
        lambda a: fmt_euros(a.chiffres_annuels().montant_annuel_realise, 0),
    ),
    (
        "Montant projeté fin d'année",
        lambda a: fmt_euros(a.chiffres_annuels().montant_annuel_projete, 0),
    ),
    ("Réalisé à la même date (ETP)", lambda a: _n1(a)[0]),
    ("Réalisé l'an dernier à la même date (ETP)", lambda a: _n1(a)[1]),
    ("Évolution sur un an (ETP)", lambda a: _n1(a)[2]),
    (
        "Mois pris en compte jusqu'à",
        lambda a: VIDE if a.as_of is None else fmt_mois(*min(a.as_of, (a.annee, 12))),
    ),
)


def chiffres_annuels(fiche: Fiche) -> Tableau:
    """Figures per year (columns), as the dashboard computes them for this structure."""
    annees = fiche.annees
    lignes = []
    for titre, valeur in LIGNES_ANNUELLES:
        lignes.append((titre, *(VIDE if a.vide else valeur(a) for a in annees)))
    return Tableau(("Indicateur", *(str(a.annee) for a in annees)), tuple(lignes))


def annexes(fiche: Fiche) -> Tableau:
    """The structure's AFs of the years shown, with version and state."""
    lignes = tuple(
        (
            r.numero,
            r.version,
            ETATS_ANNEXE.get(r.etat, r.etat),
            "oui" if r.compte else "non",
            r.type_structure,
            r.departement_code,
            f"{fmt_date(r.date_debut)} – {fmt_date(r.date_fin)}",
            fmt_etp(r.etp_postes_insertion),
            fmt_euros(r.montant_unitaire_annuel, 0),
        )
        for r in fiche.afs.itertuples()
    )
    return Tableau(
        (
            "Numéro",
            "Version",
            "État",
            "Comptée",
            "Type",
            "Département",
            "Période",
            "ETP conventionnés",
            "Aide par ETP",
        ),
        lignes,
    )


def remplissage(a: AnneeFiche) -> Tableau:
    """Monthly states of the year up to the as-of month (validated / total, other states)."""
    r = a.remplissage()
    lignes = tuple(
        (
            fmt_mois(a.annee, int(x.mois)),
            f"{int(x.nb_valide)} / {int(x.nb_af_conventionnees)}",
            fmt_pct(x.part_valide),
            ", ".join(
                f"{int(getattr(x, 'nb_' + nom))} {libelle}"
                for nom, libelle in (
                    ("debloque", "débloqué"),
                    ("saisi", "saisi"),
                    ("brouillon", "brouillon"),
                    ("non_saisi", "non saisi"),
                    ("autre", "autre état"),
                )
                if getattr(x, "nb_" + nom)
            )
            or VIDE,
        )
        for x in r.itertuples()
    )
    return Tableau(("Mois", "Validées", "Taux de remplissage", "Autres états"), lignes)


def retards(a: AnneeFiche) -> Tableau:
    """AFs late by two months or more in the year."""
    r = a.retards()
    lignes = tuple(
        (
            x.numero_annexe_financiere,
            f"{int(x.mois_en_retard)} mois",
            VIDE
            if _manquant(x.premier_mois_manquant)
            else fmt_mois(a.annee, int(x.premier_mois_manquant)),
        )
        for x in r.itertuples()
    )
    return Tableau(("Annexe", "Retard", "Premier mois manquant"), lignes)


def identite(fiche: Fiche) -> tuple[tuple[str, str], ...]:
    i = fiche.identite
    return (
        ("Dénomination", i.denomination),
        ("SIRET", i.siret or "non renseigné"),
        ("Type", ", ".join(i.types) or "aucune annexe sur ces années"),
        ("Commune", i.commune or "non renseignée"),
        ("Département du conventionnement", ", ".join(i.departements) or VIDE),
        ("Identifiant ASP", str(i.id)),
    )
