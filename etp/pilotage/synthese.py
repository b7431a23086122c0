"""Synthèse territoire: envelope, consumption and year-end projection, in ETP and euros.

Pure functions on the frame of ``etp.queries.indicateurs_annuels``. Choices (shown on screen):

- the envelope is the annual conventioned ETP (``C × d / 12``) and, in euros, × the aid per ETP;
- the projection is the one "Projection fin d'année" (:func:`etp.aggregation.projection_retenue`:
  realised so far + monthly average × conventioned months not yet validated / 12, an AF without
  any validated month counted at its envelope and reported apart), so this tab's tile is the
  number of the "Effectif annuel" tab and of ``suivi-etp figures``;
- ETP realised above the conventioned level are not financed (domain.md §4), so the money
  projected to be paid is ``min(projection, envelope) × aid`` per AF, and the projected unused
  credits are the envelope minus that.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etp.aggregation import projection_retenue
from etp.collation import cle_serie_fr
from etp.pilotage import colonnes as col
from etp.regles import ratio
from etp.sommes import Groupes


def enrichir(annuel: pd.DataFrame) -> pd.DataFrame:
    """Per-AF projection gaps added to the annual frame (a copy; unrounded).

    New columns: ``projection_disponible`` (a validated month exists), ``projection_fin_annee_etp``
    (the projection, or the envelope when there is none), ``ecart_projection_etp`` and
    ``ecart_projection_euros`` (projection − envelope, 0 without projection),
    ``etp_non_consommes`` / ``etp_au_dela`` (the two one-sided parts of that gap),
    ``montant_projete_finance`` (aid actually due: over-consumption is not financed),
    ``credits_non_consommes`` (envelope in euros − aid due) and ``statut`` (the status with
    "sans mois validé" spelled out).
    """
    aide_brute = annuel[col.AIDE].to_numpy(dtype=float, na_value=np.nan)
    aide = np.nan_to_num(aide_brute, nan=0.0)
    enveloppe = annuel[col.ANNUEL_CONV].to_numpy(dtype=float, na_value=np.nan)
    disponible, retenue_serie = projection_retenue(annuel)
    retenue = retenue_serie.to_numpy(dtype=float, na_value=np.nan)
    ecart = retenue - enveloppe
    finance = np.minimum(retenue, enveloppe) * aide
    # the new columns added at once (one assignment per column copied the frame each time)
    nouvelles = pd.DataFrame(
        {
            "projection_disponible": disponible.to_numpy(dtype=bool),
            "projection_fin_annee_etp": retenue,
            "montant_projection_fin_annee": retenue * aide_brute,
            "ecart_projection_etp": ecart,
            "ecart_projection_euros": ecart * aide,
            "etp_non_consommes": np.clip(-ecart, 0.0, None),
            "etp_au_dela": np.clip(ecart, 0.0, None),
            "montant_projete_finance": finance,
            "credits_non_consommes": enveloppe * aide - finance,
            "statut": col.statut_ou_sans(annuel[col.STATUT]),
        },
        index=annuel.index,
    )
    autres = annuel.drop(columns=[c for c in nouvelles.columns if c in annuel.columns])
    return pd.concat([autres, nouvelles], axis=1)


_SOMMES = {
    "etp_mensuel_conventionne": col.C,
    "enveloppe_etp": col.ANNUEL_CONV,
    "enveloppe_euros": col.MONTANT_CONV,
    "realise_etp": col.ANNUEL_REAL,
    "realise_euros": col.MONTANT_REAL,
    "projection_etp": "projection_fin_annee_etp",
    "projection_euros": "montant_projection_fin_annee",
    "ecart_projection_etp": "ecart_projection_etp",
    "ecart_projection_euros": "ecart_projection_euros",
    "etp_non_consommes": "etp_non_consommes",
    "etp_au_dela": "etp_au_dela",
    "montant_projete_finance": "montant_projete_finance",
    "credits_non_consommes": "credits_non_consommes",
}

COLONNES_SYNTHESE: tuple[str, ...] = (
    "nb_af",
    *_SOMMES,
    "taux_realisation",
    "taux_projection",
    "nb_af_sans_projection",
    "enveloppe_sans_projection_etp",
    "nb_af_sur",
    "nb_af_sous",
    "nb_af_conforme",
    "nb_af_sans_statut",
    "enveloppe_sur_etp",
    "enveloppe_sous_etp",
    "enveloppe_conforme_etp",
)

_SUFFIXES = {col.SUR: "sur", col.SOUS: "sous", col.CONFORME: "conforme", col.SANS_STATUT: ""}


def synthese(
    annuel: pd.DataFrame, par: list[str] | None = None, *, enrichi: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Totals of the territory (``par`` empty: one row) or per group (``["type_structure"]``,
    ``["departement", "departement_libelle"]``): sums of ETP and euros, rates as ratios of sums,
    and the number of AFs and of envelope ETP per consumption status. ``enrichi``:
    ``enrichir(annuel)`` when the caller already holds it (read, never modified)."""
    par = list(par or [])
    if annuel.empty:
        return pd.DataFrame(columns=[*par, *COLONNES_SYNTHESE])
    df = enrichir(annuel) if enrichi is None else enrichi
    cles, g = _groupes(df, par)
    out = cles.copy()
    out["nb_af"] = g.compte()
    for nom, source in _SOMMES.items():
        out[nom] = g.somme(df[source].to_numpy(dtype=float, na_value=np.nan))
    out["taux_realisation"] = ratio(out["realise_etp"], out["enveloppe_etp"])
    out["taux_projection"] = ratio(out["projection_etp"], out["enveloppe_etp"])
    enveloppe = df[col.ANNUEL_CONV].to_numpy(dtype=float, na_value=np.nan)
    sans = ~df["projection_disponible"].to_numpy(dtype=bool)
    out["nb_af_sans_projection"] = g.compte(sans)
    out["enveloppe_sans_projection_etp"] = g.somme(enveloppe, sans)
    statut = df["statut"].to_numpy(dtype=object)
    for valeur, suffixe in _SUFFIXES.items():
        est = statut == valeur
        out[f"nb_af_{suffixe or 'sans_statut'}"] = g.compte(est)
        if suffixe:
            out[f"enveloppe_{suffixe}_etp"] = g.somme(enveloppe, est)
    if par:  # groups in French order (« Ariège » … « Hérault », « Île-de-France » with the I)
        out = out.sort_values(par, key=cle_serie_fr, kind="stable").reset_index(drop=True)
    return out[[*par, *COLONNES_SYNTHESE]]


def _groupes(df: pd.DataFrame, par: list[str]) -> tuple[pd.DataFrame, Groupes]:
    """The distinct values of ``par`` (one row each, in sorted order, nulls kept as a group)
    and the rows of ``df`` split by them; one group for the whole frame when ``par`` is empty."""
    if not par:
        return pd.DataFrame(index=[0]), Groupes(np.zeros(len(df), dtype=np.int64), 1)
    groupby = df.groupby(par, dropna=False, sort=True)
    codes = groupby.ngroup().to_numpy(dtype=np.int64)
    cles = groupby.size().index.to_frame(index=False)
    return cles, Groupes(codes, len(cles))


def repartition_statuts(
    annuel: pd.DataFrame, par: list[str] | None = None, *, enrichi: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Long format for a stacked chart: one row per group × status with the number of AFs,
    their envelope (ETP, euros) and their projected gap (ETP, euros); ``enrichi`` as for
    :func:`synthese`."""
    par = list(par or [])
    colonnes = [
        *par,
        "statut",
        "nb_af",
        "enveloppe_etp",
        "enveloppe_euros",
        "ecart_projection_etp",
        "ecart_projection_euros",
    ]
    if annuel.empty:
        return pd.DataFrame(columns=colonnes)
    df = enrichir(annuel) if enrichi is None else enrichi
    out, g = _groupes(df, [*par, "statut"])
    out["nb_af"] = g.compte()
    for nom, source in (
        ("enveloppe_etp", col.ANNUEL_CONV),
        ("enveloppe_euros", col.MONTANT_CONV),
        ("ecart_projection_etp", "ecart_projection_etp"),
        ("ecart_projection_euros", "ecart_projection_euros"),
    ):
        out[nom] = g.somme(df[source].to_numpy(dtype=float, na_value=np.nan))
    ordre = {s: i for i, s in enumerate(col.STATUTS)}
    out["_ordre"] = out["statut"].map(ordre)
    out = out.sort_values([*par, "_ordre"], key=cle_serie_fr, kind="stable")
    return out.drop(columns="_ordre")[colonnes].reset_index(drop=True)
