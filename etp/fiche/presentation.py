"""The structure page's tables as French text, shared by the HTML page and the PDF so that
both print the same figures with the same titles. Values come from :mod:`etp.fiche.donnees`
(the dashboard's functions); only formatting happens here (:mod:`etp.formatting`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from etp import catalogue
from etp.fiche.donnees import AnneeFiche, Fiche
from etp.formatting import (
    VIDE,
    fmt_date,
    fmt_ecart,
    fmt_etp,
    fmt_euros,
    fmt_liste_mois,
    fmt_mois,
    fmt_nombre,
    fmt_pct,
    libelle_statut,
)

#: The figures of the annual table, by catalogue key (:mod:`etp.catalogue`), in order. Their
#: titles and definitions are the catalogue's; the definitions printed in the PDF are these.
CLES_ANNUELLES: tuple[str, ...] = (
    "nb_af",
    "conventionne.etp_mensuel",
    "realise.etp_mensuel_moyen",
    "statut_consommation",
    "conventionne.etp_annuel",
    "realise.etp_annuel",
    "realise.taux",
    "projection.etp_annuel",
    "projection.taux",
    "conventionne.montant",
    "realise.montant",
    "projection.montant",
    "n1.mois_compares",
    "n1.realise_n",
    "n1.realise_n1",
    "n1.evolution_etp",
)
#: Catalogue keys whose definitions the page and the PDF print (the table's, the charts', the
#: fill rate's and the late declarations').
DEFINITIONS_UTILISEES: tuple[str, ...] = (
    *CLES_ANNUELLES,
    "serie.etp_conventionne",
    "serie.etp_realise",
    "remplissage.part_valide",
    "retard.mois_en_retard",
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


def titre_ligne(cle: str) -> str:
    """A row title: the catalogue's title with its unit when the title does not say it."""
    i = catalogue.indicateur(cle)
    if i.unite in ("ETP", "€", "%") and i.unite not in i.titre:
        return f"{i.titre} ({i.unite})"
    return i.titre


def _valeur(a: AnneeFiche, cle: str) -> str:
    """The figure ``cle`` of year ``a`` in French, by its catalogue kind."""
    f = a.figures
    v = f.get(cle)
    if cle == "statut_consommation":
        if v is None:
            return libelle_statut(None)
        ecart = f.get("ecart.etp")
        return libelle_statut(v) + ("" if _manquant(ecart) else f" ({fmt_ecart(ecart)} ETP)")
    if cle == "n1.mois_compares":
        return fmt_liste_mois(v or []) if v else "aucun mois comparable"
    if cle == "n1.evolution_etp":
        if not f.get("n1.nb_af_comparees"):
            return VIDE
        pct = f.get("n1.evolution_pct")
        return fmt_ecart(v) + ("" if _manquant(pct) else f" ({fmt_pct(pct)})")
    if cle.startswith("n1.realise") and not f.get("n1.nb_af_comparees"):
        return "aucune annexe comparable"
    kind = catalogue.indicateur(cle).kind
    if kind == "euros":
        return fmt_euros(v, 0)
    return FORMATS.get(kind, lambda x: VIDE if _manquant(x) else str(x))(v)


FORMATS = {"etp": fmt_etp, "pct": fmt_pct, "int": fmt_nombre}


def chiffres_annuels(fiche: Fiche) -> Tableau:
    """Figures per year (columns), as the dashboard computes them for this structure; row
    titles are the catalogue's."""
    annees = fiche.annees
    lignes = [
        (titre_ligne(cle), *(VIDE if a.vide else _valeur(a, cle) for a in annees))
        for cle in CLES_ANNUELLES
    ]
    lignes.append(
        (
            "Mois pris en compte jusqu'à",
            *(
                VIDE if a.vide or a.as_of is None else fmt_mois(*min(a.as_of, (a.annee, 12)))
                for a in annees
            ),
        )
    )
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
    titre = catalogue.titre("remplissage.part_valide").replace(" des états mensuels", "")
    return Tableau(("Mois", "Validées", titre, "Autres états"), lignes)


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
    titre = catalogue.titre("retard.mois_en_retard")
    return Tableau(("Annexe", titre, "Premier mois manquant"), lignes)


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
