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
    masque = mensuel[col.CONVENTIONNE].astype(bool) & (mensuel[col.MOIS] < ref)
    df = mensuel.loc[masque, [col.ID, col.MOIS, col.ETAT]]
    if df.empty:
        vide = pd.DataFrame(columns=[*colonnes, "alerte_retard"])
        return vide.astype({col.ID: "Int64", "alerte_retard": bool})
    valides = df[df[col.ETAT] == "VALIDE"].groupby(col.ID)[col.MOIS].max()
    df = df.assign(_dernier=df[col.ID].map(valides).fillna(0).astype(int))
    manquants = df[df[col.MOIS] > df["_dernier"]]
    par_af = df.groupby(col.ID)["_dernier"].first().rename("dernier_mois_valide_avant")
    out = pd.DataFrame(par_af)
    grp = manquants.groupby(col.ID)[col.MOIS]
    out["mois_en_retard"] = grp.size().reindex(out.index, fill_value=0).astype(int)
    out["premier_mois_manquant"] = grp.min().reindex(out.index)
    out = out.reset_index()
    out["alerte_retard"] = out["mois_en_retard"] >= RETARD_ALERTE
    return out


def afs_en_retard(
    mensuel: pd.DataFrame, annuel: pd.DataFrame, annee: int, as_of: tuple[int, int] | None
) -> pd.DataFrame:
    """The AFs late by ``RETARD_ALERTE`` months or more, most late first, with their identity."""
    r = retards(mensuel, annee, as_of)
    r = r[r["alerte_retard"]]
    ident = annuel[col.identite(annuel)].drop_duplicates(col.ID)
    out = ident.merge(r, on=col.ID, how="inner")
    return out.sort_values(["mois_en_retard", col.NUMERO], ascending=[False, True]).reset_index(
        drop=True
    )
