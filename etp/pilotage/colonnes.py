"""Column names read from ``etp.queries`` frames, and small shared helpers.

The funders' computations consume the frames of ``etp.queries.indicateurs_annuels`` (one row per
AF × year) and ``indicateurs_mensuels`` (one row per AF × month); naming the columns once here
keeps a rename upstream a one-line change.
"""

from __future__ import annotations

import pandas as pd

ID = "id_annexe_financiere"
NUMERO = "numero_annexe_financiere"
ANNEE = "annee"
MOIS = "mois"
STRUCTURE_ID = "structure_id"
STRUCTURE = "structure_denomination"
TYPE = "type_structure"
DEPARTEMENT = "departement"
DEPARTEMENT_LIBELLE = "departement_libelle"
REGION = "region"
STATUT = "statut_consommation"
C = "etp_mensuel_conventionne"
NB_MOIS_CONV = "nb_mois_conventionnes"
NB_MOIS_VALIDES = "nb_mois_valides"
DERNIER_MOIS_VALIDE = "dernier_mois_valide"
MOYEN = "etp_mensuel_realise_moyen"
ECART_MENSUEL = "ecart_etp_mensuel"
ECART_PCT = "ecart_pct"
ANNUEL_CONV = "etp_annuel_conventionne"
ANNUEL_REAL = "etp_annuel_realise"
PROJECTION = "projection_etp_annuel"
AIDE = "montant_unitaire_annuel"
MONTANT_CONV = "montant_annuel_conventionne"
MONTANT_REAL = "montant_annuel_realise"
MONTANT_PROJ = "montant_annuel_projete"
AS_OF = "as_of"
CONVENTIONNE = "conventionne"
ETAT = "etat"
REALISE = "etp_mensuel_realise"

#: The columns that identify an AF in every funders' table.
IDENTITE_AF: tuple[str, ...] = (
    ID,
    NUMERO,
    STRUCTURE_ID,
    STRUCTURE,
    TYPE,
    DEPARTEMENT,
    DEPARTEMENT_LIBELLE,
)

SUR = "sur-consommation"
SOUS = "sous-consommation"
CONFORME = "conforme"
SANS_STATUT = "sans mois validé"
STATUTS: tuple[str, ...] = (SUR, SOUS, CONFORME, SANS_STATUT)

# Identity columns carried from the annual frame into every per-AF table.
IDENTITE: tuple[str, ...] = (
    ID,
    NUMERO,
    STRUCTURE_ID,
    STRUCTURE,
    TYPE,
    DEPARTEMENT,
    DEPARTEMENT_LIBELLE,
)


def identite(frame: pd.DataFrame) -> list[str]:
    """The identity columns present in ``frame`` (labels may be missing in a minimal frame)."""
    return [c for c in IDENTITE if c in frame.columns]


def statut_ou_sans(serie: pd.Series) -> pd.Series:
    """Statuses with the null of "no validated month" spelled out, so it can be grouped."""
    return serie.astype(object).where(serie.notna(), SANS_STATUT)
