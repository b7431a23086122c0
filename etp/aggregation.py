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

from collections.abc import Iterator, Mapping

import numpy as np
import pandas as pd

from etp.indicators import statut_consommation
from etp.regles import ratio
from etp.sommes import Groupes

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
    # NumPy on the frame's columns (a pandas groupby of the national frame, 58,000 rows, cost
    # ~50 ms), sums correctly rounded (etp.sommes)
    conv = mensuel["conventionne"].to_numpy(dtype=bool, na_value=False)
    mois = Groupes(mensuel["mois"].to_numpy(dtype=np.int64, na_value=0)[conv] - 1, 12)
    c = mensuel["etp_mensuel_conventionne"].to_numpy(dtype=float, na_value=np.nan)[conv]
    realise = mensuel["etp_mensuel_realise"].to_numpy(dtype=float, na_value=np.nan)[conv]
    etat = mensuel["etat"].to_numpy(dtype=object)[conv]
    valide = ~np.isnan(realise)

    res = pd.DataFrame({"mois": np.arange(1, 13)})
    res["nb_af_conventionnees"] = mois.compte()
    res["etp_mensuel_conventionne"] = mois.somme(c)
    res["nb_af_valides"] = mois.compte(valide)
    res["etp_mensuel_conventionne_valide"] = mois.somme(c, valide)
    # NaN for a month without any validated AF (nothing to sum)
    res["etp_mensuel_realise"] = np.where(res["nb_af_valides"] > 0, mois.somme(realise), np.nan)
    present = ~pd.isna(etat)
    saisis = etat[present]
    connus = np.zeros(len(etat), dtype=bool)
    for code, colonne in ETATS_REMPLISSAGE.items():
        if code is None:
            res[colonne] = mois.compte(~present)
        else:
            est = np.zeros(len(etat), dtype=bool)
            est[present] = saisis == code
            connus |= est
            res[colonne] = mois.compte(est)
    res["nb_autre_etat"] = mois.compte(present & ~connus)
    res["taux_realisation_mensuel"] = ratio(
        res["etp_mensuel_realise"], res["etp_mensuel_conventionne_valide"]
    )
    return res[list(COLONNES_SERIE)]


class RealisesParNumero(Mapping[str, dict[int, float]]):
    """Realised ETP of the validated conventioned months, per AF number and month: a mapping
    ``numero -> {mois: ETP}`` (months without any such ETP left out, numbers without any month
    left out) backed by one ``(numbers, 12)`` array (NaN = no validated month), so that a
    national selection's N−1 figures are array operations (:meth:`lignes`)."""

    def __init__(self, numeros: list[str], valeurs: np.ndarray) -> None:
        gardes = ~np.isnan(valeurs).all(axis=1) if len(numeros) else np.zeros(0, dtype=bool)
        self.numeros: list[str] = [n for n, g in zip(numeros, gardes.tolist(), strict=True) if g]
        self.valeurs: np.ndarray = np.asarray(valeurs, dtype=float).reshape(-1, 12)[gardes]
        self._index = {n: i for i, n in enumerate(self.numeros)}

    def __getitem__(self, numero: str) -> dict[int, float]:
        ligne = self.valeurs[self._index[numero]]
        return {m + 1: float(v) for m, v in enumerate(ligne.tolist()) if v == v}  # not NaN

    def __iter__(self) -> Iterator[str]:
        return iter(self.numeros)

    def __len__(self) -> int:
        return len(self.numeros)

    def __contains__(self, numero: object) -> bool:
        return numero in self._index

    def lignes(self, numeros: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """``(len(numeros), 12)`` values (NaN where absent) and whether each number is known."""
        rangs = np.array([self._index.get(n, -1) for n in numeros], dtype=np.int64)
        connus = rangs >= 0
        valeurs = np.full((len(numeros), 12), np.nan)
        valeurs[connus] = self.valeurs[rangs[connus]]
        return valeurs, connus


def en_realises(par_numero: Mapping[str, Mapping[int, float]]) -> RealisesParNumero:
    """A plain ``numero -> {mois: ETP}`` mapping as :class:`RealisesParNumero`."""
    numeros = [str(n) for n in par_numero]
    valeurs = np.full((len(numeros), 12), np.nan)
    for i, mois in enumerate(par_numero.values()):
        for m, v in mois.items():
            valeurs[i, int(m) - 1] = v
    return RealisesParNumero(numeros, valeurs)


def realises_par_numero(mensuel: pd.DataFrame) -> RealisesParNumero:
    """Realised ETP of the validated conventioned months, per AF number and month (several AF
    ids of one number in a year are summed month by month, correctly rounded)."""
    if mensuel.empty:
        return RealisesParNumero([], np.zeros((0, 12)))
    realise = mensuel["etp_mensuel_realise"].to_numpy(dtype=float, na_value=np.nan)
    masque = mensuel["conventionne"].to_numpy(dtype=bool, na_value=False) & ~np.isnan(realise)
    numeros = mensuel["numero_annexe_financiere"].to_numpy(dtype=object)[masque]
    mois = mensuel["mois"].to_numpy(dtype=np.int64)[masque]
    return par_numero(numeros, mois, realise[masque])


def par_numero(numeros: np.ndarray, mois: np.ndarray, realise: np.ndarray) -> RealisesParNumero:
    """:func:`realises_par_numero` of the validated conventioned AF-months given as columns."""
    if not len(numeros):
        return RealisesParNumero([], np.zeros((0, 12)))
    codes, uniques = pd.factorize(numeros)
    groupes = Groupes(codes * 12 + (mois - 1), len(uniques) * 12)
    sommes = groupes.somme(realise).reshape(-1, 12)
    sommes[groupes.compte().reshape(-1, 12) == 0] = np.nan
    return RealisesParNumero([str(n) for n in uniques], sommes)
