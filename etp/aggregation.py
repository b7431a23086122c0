"""Aggregates over several AFs (structure, type, département, région, nation), monthly series.

The rules of domain.md §4: ETP figures and amounts are summed; rates are ratios of sums (never
means of rates); the monthly realised average of a group is the sum of its AFs' averages. The
consumption gap of a group is the sum of the gaps of its AFs that have a validated month, and its
status compares the summed average with the summed conventioned level of those same AFs: an AF
with nothing validated yet says nothing about consumption, so it must not drag the group into
"sous-consommation". The projection of a group is the sum of its AFs' retained projections
(:func:`projection_retenue`: an AF without any validated month counts at its envelope), so every
screen, file and command gives one "Projection fin d'année". Inputs are the frames of
:mod:`etp.queries`; nothing is rounded. Ratios: :func:`etp.regles.ratio`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etp.indicators import statut_consommation
from etp.regles import ratio

#: Label columns carried along with a grouping key (first value of the group).
LIBELLES: dict[str, tuple[str, ...]] = {
    "structure_id": ("structure_denomination", "siret"),
    "departement": ("departement_libelle",),
    "region": ("region_libelle",),
    "numero_annexe_financiere": ("structure_id", "structure_denomination"),
}

#: Summed columns of :func:`agreger` (null when no AF of the group has a value).
SOMMES: tuple[str, ...] = (
    "etp_mensuel_conventionne",
    "etp_annuel_conventionne",
    "etp_mensuel_realise_moyen",
    "etp_annuel_realise",
    "ecart_etp_mensuel",
    "projection_etp_annuel",
    "montant_annuel_conventionne",
    "montant_annuel_realise",
    "montant_annuel_projete",
    "etp_sans_mois_valide",
)

COLONNES_AGREGAT: tuple[str, ...] = (
    "nb_af",
    "nb_structures",
    *SOMMES,
    "etp_mensuel_conventionne_avec_moyenne",
    "taux_realisation_annuel",
    "taux_projection_annuel",
    "ecart_pct",
    "statut_consommation",
    "nb_sur_consommation",
    "nb_sous_consommation",
    "nb_conforme",
    "nb_af_sans_mois_valide",
)

ETATS_REMPLISSAGE: dict[str | None, str] = {
    "VALIDE": "nb_valide",
    "DEBLOQUE": "nb_debloque",
    "SAISI": "nb_saisi",
    "BROUILLON": "nb_brouillon",
    None: "nb_non_saisi",
}

COLONNES_SERIE: tuple[str, ...] = (
    "mois",
    "nb_af_conventionnees",
    "etp_mensuel_conventionne",
    "nb_af_valides",
    "etp_mensuel_conventionne_valide",
    "etp_mensuel_realise",
    "taux_realisation_mensuel",
    *ETATS_REMPLISSAGE.values(),
    "nb_autre_etat",
)


def projection_retenue(annuel: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per AF of the annual frame: (``disponible``, ``retenue``).

    ``disponible``: the AF has a validated month, so its linear projection exists (realised so
    far + monthly average × conventioned months not yet validated / 12). ``retenue``: that
    projection, or the AF's annual conventioned ETP when there is none (neutral hypothesis,
    stated on screen). The one rule for how AFs enter the "Projection fin d'année".
    """
    disponible = annuel["projection_etp_annuel"].notna().astype(bool)
    projection = annuel["projection_etp_annuel"].astype("float64")
    enveloppe = annuel["etp_annuel_conventionne"].astype("float64")
    return disponible, projection.where(disponible, enveloppe)


def agreger(annuel: pd.DataFrame, par: list[str]) -> pd.DataFrame:
    """Aggregate the frame of :func:`etp.queries.indicateurs_annuels` by the columns ``par``.

    ``par=[]`` gives one national row (also for an empty input: zero AF, zero ETP). Each row has
    the grouping columns, their labels (:data:`LIBELLES`) and :data:`COLONNES_AGREGAT`;
    ``etp_mensuel_conventionne_avec_moyenne`` is the Σ C of the AFs that have an average, what
    the summed average, the gap in % and the status compare with.
    """
    par = list(par)
    libelles = [c for k in par for c in LIBELLES.get(k, ()) if c not in par and c in annuel]
    df = annuel.copy()
    if not df.empty:
        disponible, retenue = projection_retenue(df)
        df["projection_etp_annuel"] = retenue
        df["montant_annuel_projete"] = df["montant_annuel_projete"].where(
            disponible, df["montant_annuel_conventionne"]
        )
        df["etp_sans_mois_valide"] = df["etp_annuel_conventionne"].where(~disponible, 0.0)
        df["nb_af_sans_mois_valide"] = (~disponible).astype("int64")
    if df.empty:
        if par:
            return pd.DataFrame(columns=[*par, *libelles, *COLONNES_AGREGAT])
        return pd.DataFrame([_ligne_nationale_vide()], columns=list(COLONNES_AGREGAT))
    avec_moyenne = df["etp_mensuel_realise_moyen"].notna()
    df["_c_avec_moyenne"] = df["etp_mensuel_conventionne"].where(avec_moyenne, 0.0)
    for statut, colonne in (
        ("sur-consommation", "nb_sur_consommation"),
        ("sous-consommation", "nb_sous_consommation"),
        ("conforme", "nb_conforme"),
    ):
        df[colonne] = (df["statut_consommation"] == statut).astype("int64")
    df["_moyenne_presente"] = avec_moyenne.astype("int64")
    df["_une"] = 1

    cles = par or ["_national"]
    if not par:
        df["_national"] = 0
    groupes = df.groupby(cles, dropna=False, sort=True)
    comptes = [
        "_une",
        "_c_avec_moyenne",
        "_moyenne_presente",
        "nb_sur_consommation",
        "nb_sous_consommation",
        "nb_conforme",
        "nb_af_sans_mois_valide",
    ]
    res = pd.concat(
        [
            groupes[comptes].sum(),
            groupes["structure_id"].nunique().rename("nb_structures"),
            groupes[list(SOMMES)].sum(min_count=1),
            groupes[libelles].first(),
        ],
        axis=1,
    ).rename(columns={"_une": "nb_af", "_c_avec_moyenne": "etp_mensuel_conventionne_avec_moyenne"})
    res = res.reset_index(drop=not par)

    res["taux_realisation_annuel"] = ratio(
        res["etp_annuel_realise"], res["etp_annuel_conventionne"]
    )
    res["taux_projection_annuel"] = ratio(
        res["projection_etp_annuel"], res["etp_annuel_conventionne"]
    )
    res["ecart_pct"] = ratio(res["ecart_etp_mensuel"], res["etp_mensuel_conventionne_avec_moyenne"])
    res["statut_consommation"] = [
        statut_consommation(moyen, c) if n else None
        for moyen, c, n in zip(
            res["etp_mensuel_realise_moyen"],
            res["etp_mensuel_conventionne_avec_moyenne"],
            res["_moyenne_presente"],
            strict=True,
        )
    ]
    return res[[*par, *libelles, *COLONNES_AGREGAT]].reset_index(drop=True)


def _ligne_nationale_vide() -> dict[str, object]:
    """Nothing in scope: zero AF, no figure (not zero ETP, which would be a figure)."""
    ligne: dict[str, object] = dict.fromkeys(COLONNES_AGREGAT, float("nan"))
    ligne.update(nb_af=0, nb_structures=0, statut_consommation=None)
    ligne.update(nb_sur_consommation=0, nb_sous_consommation=0, nb_conforme=0)
    ligne.update(nb_af_sans_mois_valide=0)
    return ligne


def serie_mensuelle(mensuel: pd.DataFrame) -> pd.DataFrame:
    """Per month (1-12) of the frame of :func:`etp.queries.indicateurs_mensuels`:

    - ``etp_mensuel_conventionne``: Σ C of the AFs conventioned that month;
    - ``etp_mensuel_realise``: Σ realised ETP of the conventioned AFs whose month is validated
      (up to the as-of month; NaN when none is), ``nb_af_valides`` how many they are,
      ``etp_mensuel_conventionne_valide`` the Σ C of those same AFs, and
      ``taux_realisation_mensuel`` the ratio of the two (like-for-like, so late declarations do
      not read as under-consumption);
    - "Remplissage des états mensuels": how many conventioned AFs are ``VALIDE``, ``DEBLOQUE``,
      ``SAISI``, ``BROUILLON`` or non saisi (``nb_autre_etat`` for any other state, so that the
      counts always add up to ``nb_af_conventionnees``).
    """
    colonnes = ["mois", "etat", "etp_mensuel_conventionne", "etp_mensuel_realise"]
    conv = mensuel.loc[mensuel["conventionne"].astype(bool), colonnes].copy()
    realise = conv["etp_mensuel_realise"].notna()
    conv["_c_valide"] = conv["etp_mensuel_conventionne"].where(realise, 0.0)
    conv["_valide"] = realise.astype("int64")
    etat = conv["etat"].astype(object).where(conv["etat"].notna(), None)
    for code, colonne in ETATS_REMPLISSAGE.items():
        conv[colonne] = (etat.isna() if code is None else etat == code).astype("int64")
    connus = [c for c in ETATS_REMPLISSAGE if c is not None]
    conv["nb_autre_etat"] = (etat.notna() & ~etat.isin(connus)).astype("int64")
    conv["_une"] = 1
    comptes = [*ETATS_REMPLISSAGE.values(), "nb_autre_etat"]
    res = (
        conv.groupby("mois")
        .agg(
            nb_af_conventionnees=("_une", "sum"),
            nb_af_valides=("_valide", "sum"),
            etp_mensuel_conventionne=("etp_mensuel_conventionne", "sum"),
            etp_mensuel_conventionne_valide=("_c_valide", "sum"),
            etp_mensuel_realise=("etp_mensuel_realise", lambda s: s.sum(min_count=1)),
            **{c: (c, "sum") for c in comptes},
        )
        .reindex(range(1, 13))
    )
    entiers = ["nb_af_conventionnees", "nb_af_valides", *comptes]
    res[entiers] = res[entiers].fillna(0).astype("int64")
    for c in ("etp_mensuel_conventionne", "etp_mensuel_conventionne_valide"):
        res[c] = res[c].fillna(0.0).astype("float64")
    res["etp_mensuel_realise"] = res["etp_mensuel_realise"].astype("float64")
    res["taux_realisation_mensuel"] = ratio(
        res["etp_mensuel_realise"], res["etp_mensuel_conventionne_valide"]
    )
    res = res.rename_axis("mois").reset_index()
    return res[list(COLONNES_SERIE)]


def realises_par_numero(mensuel: pd.DataFrame) -> dict[str, dict[int, float]]:
    """Realised ETP of the validated conventioned months, per AF number and month (several AF
    ids of one number in a year are summed month by month)."""
    if mensuel.empty:
        return {}
    masque = mensuel["conventionne"].astype(bool) & mensuel["etp_mensuel_realise"].notna()
    df = mensuel.loc[masque, ["numero_annexe_financiere", "mois", "etp_mensuel_realise"]]
    sommes = df.groupby(["numero_annexe_financiere", "mois"])["etp_mensuel_realise"].sum()
    if sommes.empty:
        return {}
    # one dict per number from the slices of the sorted index (a loop over every
    # number × month cost ~25 ms per call at national scale)
    codes = np.asarray(sommes.index.codes[0])
    debuts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]).tolist()
    fins = [*debuts[1:], len(codes)]
    numeros = sommes.index.levels[0][codes[debuts]].tolist()
    mois = [int(m) for m in sommes.index.get_level_values(1).tolist()]
    valeurs = [float(v) for v in sommes.tolist()]
    return {
        str(numero): dict(zip(mois[a:b], valeurs[a:b], strict=True))
        for numero, a, b in zip(numeros, debuts, fins, strict=True)
    }
