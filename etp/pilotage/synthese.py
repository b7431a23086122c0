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
    df = annuel.copy()
    aide = df[col.AIDE].astype(float).fillna(0.0)
    enveloppe = df[col.ANNUEL_CONV].astype(float)
    disponible, retenue = projection_retenue(df)
    ecart = retenue - enveloppe
    df["projection_disponible"] = disponible
    df["projection_fin_annee_etp"] = retenue
    df["montant_projection_fin_annee"] = retenue * df[col.AIDE].astype(float)
    df["ecart_projection_etp"] = ecart
    df["ecart_projection_euros"] = ecart * aide
    df["etp_non_consommes"] = (-ecart).clip(lower=0.0)
    df["etp_au_dela"] = ecart.clip(lower=0.0)
    df["montant_projete_finance"] = np.minimum(retenue, enveloppe) * aide
    df["credits_non_consommes"] = enveloppe * aide - df["montant_projete_finance"]
    df["statut"] = col.statut_ou_sans(df[col.STATUT])
    return df


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


def synthese(annuel: pd.DataFrame, par: list[str] | None = None) -> pd.DataFrame:
    """Totals of the territory (``par`` empty: one row) or per group (``["type_structure"]``,
    ``["departement", "departement_libelle"]``): sums of ETP and euros, rates as ratios of sums,
    and the number of AFs and of envelope ETP per consumption status."""
    par = list(par or [])
    df = enrichir(annuel)
    df["_un"] = 1
    cles = par or ["_un"]
    if df.empty:
        return pd.DataFrame(columns=[*par, *COLONNES_SYNTHESE])
    groupes = df.groupby(cles, dropna=False, sort=True)
    out = pd.DataFrame({"nb_af": groupes.size()})
    for nom, source in _SOMMES.items():
        out[nom] = groupes[source].sum(min_count=0)
    out["taux_realisation"] = ratio(out["realise_etp"], out["enveloppe_etp"])
    out["taux_projection"] = ratio(out["projection_etp"], out["enveloppe_etp"])
    sans = df[~df["projection_disponible"]].groupby(cles, dropna=False)
    out["nb_af_sans_projection"] = sans.size().reindex(out.index, fill_value=0)
    out["enveloppe_sans_projection_etp"] = (
        sans[col.ANNUEL_CONV].sum().reindex(out.index, fill_value=0.0)
    )
    for statut, suffixe in _SUFFIXES.items():
        part = df[df["statut"] == statut].groupby(cles, dropna=False)
        nom = f"nb_af_{suffixe or 'sans_statut'}"
        out[nom] = part.size().reindex(out.index, fill_value=0)
        if suffixe:
            out[f"enveloppe_{suffixe}_etp"] = (
                part[col.ANNUEL_CONV].sum().reindex(out.index, fill_value=0.0)
            )
    out = out.reset_index()
    if not par:
        out = out.drop(columns="_un")
    else:  # groups in French order (« Ariège » … « Hérault », « Île-de-France » with the I)
        out = out.sort_values(par, key=cle_serie_fr, kind="stable").reset_index(drop=True)
    return out[[*par, *COLONNES_SYNTHESE]]


def repartition_statuts(annuel: pd.DataFrame, par: list[str] | None = None) -> pd.DataFrame:
    """Long format for a stacked chart: one row per group × status with the number of AFs,
    their envelope (ETP, euros) and their projected gap (ETP, euros)."""
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
    df = enrichir(annuel)
    if df.empty:
        return pd.DataFrame(columns=colonnes)
    out = (
        df.groupby([*par, "statut"], dropna=False, sort=True)
        .agg(
            nb_af=(col.ID, "size"),
            enveloppe_etp=(col.ANNUEL_CONV, "sum"),
            enveloppe_euros=(col.MONTANT_CONV, "sum"),
            ecart_projection_etp=("ecart_projection_etp", "sum"),
            ecart_projection_euros=("ecart_projection_euros", "sum"),
        )
        .reset_index()
    )
    ordre = {s: i for i, s in enumerate(col.STATUTS)}
    out["_ordre"] = out["statut"].map(ordre)
    out = out.sort_values([*par, "_ordre"], key=cle_serie_fr, kind="stable")
    return out.drop(columns="_ordre")[colonnes].reset_index(drop=True)
