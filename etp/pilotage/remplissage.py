"""Remplissage des états mensuels and late declarations.

Pure functions on the frame of ``etp.queries.indicateurs_mensuels`` (one row per AF × month).

Lateness, one definition for the whole screen: the as-of month itself is in progress and never
counts; an AF is late by ``n`` months when ``n`` of its conventioned months of the year that lie
strictly before the as-of month come after its last validated month. It is flagged from
``RETARD_ALERTE`` = 2 months: e.g. as of November, an AF whose last validated month is August
(September and October missing) is late; one that validated September is not (October
declarations are commonly still in progress).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etp.aggregation import ETATS_REMPLISSAGE, serie_mensuelle
from etp.pilotage import colonnes as col
from etp.regles import RETARD_ALERTE, mois_reference

ETATS: tuple[str | None, ...] = tuple(ETATS_REMPLISSAGE)
#: valide, debloque, saisi, brouillon, non_saisi, autre (``nb_<nom>`` and ``part_<nom>``).
_NOMS: tuple[str, ...] = (
    *(c.removeprefix("nb_") for c in ETATS_REMPLISSAGE.values()),
    "autre",
)
COLONNES_REMPLISSAGE: tuple[str, ...] = (
    col.MOIS,
    "nb_af_conventionnees",
    *(f"nb_{n}" for n in _NOMS),
    *(f"part_{n}" for n in _NOMS),
)


def remplissage(mensuel: pd.DataFrame, annee: int, as_of: tuple[int, int] | None) -> pd.DataFrame:
    """Per month up to the as-of month: conventioned AFs and how many (and which share) are
    ``VALIDE``, ``DEBLOQUE``, ``SAISI``, ``BROUILLON`` or non saisi (any other ASP state is
    counted under ``autre`` rather than dropped). The counts are those of the dashboard's
    chart (:func:`etp.aggregation.serie_mensuelle`); months without a conventioned AF are left
    out."""
    dernier = min(mois_reference(annee, as_of), 12)
    serie = serie_mensuelle(mensuel).rename(columns={"nb_autre_etat": "nb_autre"})
    serie = serie[(serie[col.MOIS] <= dernier) & (serie["nb_af_conventionnees"] > 0)]
    out = serie[[col.MOIS, "nb_af_conventionnees", *(f"nb_{n}" for n in _NOMS)]].copy()
    for nom in _NOMS:
        out[f"part_{nom}"] = out[f"nb_{nom}"] / out["nb_af_conventionnees"]
    return out[list(COLONNES_REMPLISSAGE)].reset_index(drop=True)


def retards(mensuel: pd.DataFrame, annee: int, as_of: tuple[int, int] | None) -> pd.DataFrame:
    """Per AF: last validated conventioned month before the as-of month (0 when none),
    ``mois_en_retard`` (conventioned months after it and before the as-of month),
    ``premier_mois_manquant`` and ``alerte_retard`` (late by ``RETARD_ALERTE`` months or more)."""
    colonnes = [col.ID, "dernier_mois_valide_avant", "mois_en_retard", "premier_mois_manquant"]
    ref = mois_reference(annee, as_of)
    mois = mensuel[col.MOIS].to_numpy(dtype=np.int64, na_value=0)
    masque = mensuel[col.CONVENTIONNE].to_numpy(dtype=bool, na_value=False) & (mois < ref)
    if not masque.any():
        vide = pd.DataFrame(columns=[*colonnes, "alerte_retard"])
        return vide.astype({col.ID: "Int64", "alerte_retard": bool})
    # one (AF, month) array instead of pandas groups over the national frame's 58,000 rows
    codes, ids = pd.factorize(mensuel[col.ID].to_numpy(dtype=np.int64)[masque], sort=True)
    m = mois[masque]
    valide = mensuel[col.ETAT].to_numpy(dtype=object)[masque] == "VALIDE"
    compte = np.zeros((len(ids), 13), dtype=bool)
    compte[codes, m] = True
    valides = np.zeros((len(ids), 13), dtype=bool)
    valides[codes[valide], m[valide]] = True
    numeros = np.arange(13)
    dernier = np.where(valides, numeros, 0).max(axis=1)
    manquants = compte & (numeros > dernier[:, None])
    en_retard = manquants.sum(axis=1)
    premier = np.where(manquants.any(axis=1), np.argmax(manquants, axis=1), 0)
    out = pd.DataFrame(
        {
            col.ID: pd.array(ids, dtype="Int64"),
            "dernier_mois_valide_avant": dernier.astype(np.int64),
            "mois_en_retard": en_retard.astype(np.int64),
            "premier_mois_manquant": pd.array(
                [int(p) if n else None for p, n in zip(premier, en_retard, strict=True)],
                dtype="Int64",
            ),
        }
    )
    out["alerte_retard"] = out["mois_en_retard"] >= RETARD_ALERTE
    return out


def afs_en_retard(
    mensuel: pd.DataFrame, annuel: pd.DataFrame, annee: int, as_of: tuple[int, int] | None
) -> pd.DataFrame:
    """The AFs late by ``RETARD_ALERTE`` months or more, most late first, with their identity."""
    return liste_en_retard(retards(mensuel, annee, as_of), annuel)


def liste_en_retard(retards_af: pd.DataFrame, annuel: pd.DataFrame) -> pd.DataFrame:
    """:func:`afs_en_retard` from the AFs' :func:`retards` already computed."""
    r = retards_af[retards_af["alerte_retard"]]
    ident = annuel[col.identite(annuel)].drop_duplicates(col.ID)
    out = ident.merge(r, on=col.ID, how="inner")
    return out.sort_values(["mois_en_retard", col.NUMERO], ascending=[False, True]).reset_index(
        drop=True
    )
