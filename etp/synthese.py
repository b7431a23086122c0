"""The dashboard's figures for a selection of AFs: key figures, monthly series, cumulative
consumption and the caveats shown under the charts.

One home for what the "Effectif mensuel" and "Effectif annuel" tabs show and what their
downloads hold: the callbacks format these values, ``callbacks.export_sources`` writes the
same values unrounded, so screen and file cannot drift. Pure functions on the frames of
:func:`etp.queries.indicateurs_annuels` / :func:`etp.queries.indicateurs_mensuels`; sums,
ratios of sums and group statuses come from :mod:`etp.aggregation` (domain.md §4: the status of
a group compares the sum of averages with the conventioned ETP of the AFs that have an average).
Nothing is rounded here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from etp import aggregation
from etp.formatting import fmt_mois, libelle_etat, nom_mois

COLONNES_SERIE: tuple[str, ...] = (
    *aggregation.COLONNES_SERIE,
    "etp_mensuel_conventionne_non_valide",
    "a_venir",
    "etat",
)


def _valeur(x: object) -> float | None:
    """A cell as a float, ``None`` for a missing value (NaN, None, pd.NA)."""
    return None if x is None or pd.isna(x) else float(x)  # type: ignore[arg-type]


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def as_of(frame: pd.DataFrame) -> tuple[int, int] | None:
    """The as-of month ``"YYYY-MM"`` carried by the ``etp.queries`` frames, as a tuple."""
    if frame.empty or "as_of" not in frame:
        return None
    valeur = frame["as_of"].dropna()
    if valeur.empty:
        return None
    annee, mois = str(valeur.iloc[0]).split("-")
    return int(annee), int(mois)


# --------------------------------------------------------------------------- totals


@dataclass(frozen=True)
class Totaux:
    """The totals of a selection of AFs (unrounded), from :func:`etp.aggregation.agreger`.

    ``conventionne_compare`` is the conventioned ETP of the AFs having an average (what the
    average and the status compare with); ``ecart_*`` are relative to it.
    """

    nb_af: int
    etp_mensuel_conventionne: float
    etp_mensuel_realise_moyen: float | None
    conventionne_compare: float | None
    statut: str | None
    ecart_etp: float | None
    ecart_pct: float | None
    nb_mois_valides: int
    etp_annuel_conventionne: float
    etp_annuel_realise: float
    taux_realisation_annuel: float | None
    projection_etp_annuel: float | None
    taux_projection_annuel: float | None
    montant_annuel_conventionne: float | None
    montant_annuel_realise: float | None
    montant_annuel_projete: float | None


def totaux(annuel: pd.DataFrame) -> Totaux:
    """The totals of the AFs of ``annuel`` (one row per AF), by the rules of ``agreger``.

    An AF without any validated month has no realised ETP: the selection's annual realised
    figure is then 0 (nothing consumed yet), not unknown.
    """
    ligne = aggregation.agreger(annuel, []).iloc[0]
    a_moyenne = int(annuel["etp_mensuel_realise_moyen"].notna().sum()) if len(annuel) else 0
    conventionne_annuel = _valeur(ligne["etp_annuel_conventionne"]) or 0.0
    realise_annuel = _valeur(ligne["etp_annuel_realise"]) or 0.0
    return Totaux(
        nb_af=int(ligne["nb_af"]),
        etp_mensuel_conventionne=_valeur(ligne["etp_mensuel_conventionne"]) or 0.0,
        etp_mensuel_realise_moyen=_valeur(ligne["etp_mensuel_realise_moyen"]),
        conventionne_compare=(
            _valeur(ligne["etp_mensuel_conventionne_avec_moyenne"]) if a_moyenne else None
        ),
        statut=ligne["statut_consommation"]
        if isinstance(ligne["statut_consommation"], str)
        else None,
        ecart_etp=_valeur(ligne["ecart_etp_mensuel"]),
        ecart_pct=_valeur(ligne["ecart_pct"]),
        nb_mois_valides=int(annuel["nb_mois_valides"].fillna(0).sum()) if len(annuel) else 0,
        etp_annuel_conventionne=conventionne_annuel,
        etp_annuel_realise=realise_annuel,
        taux_realisation_annuel=_ratio(realise_annuel, conventionne_annuel),
        projection_etp_annuel=_valeur(ligne["projection_etp_annuel"]),
        taux_projection_annuel=_valeur(ligne["taux_projection_annuel"]),
        montant_annuel_conventionne=_valeur(ligne["montant_annuel_conventionne"]),
        montant_annuel_realise=_valeur(ligne["montant_annuel_realise"]),
        montant_annuel_projete=_valeur(ligne["montant_annuel_projete"]),
    )


# --------------------------------------------------------------------------- monthly series


def _etat_du_mois(groupe: pd.DataFrame, a_venir: bool) -> str:
    """Readable state of a month: the AF's own state, or a count of non-validated AFs."""
    if groupe.empty:
        return "Non conventionné"
    if a_venir:
        return "À venir"
    if len(groupe) == 1:
        return libelle_etat(groupe["etat"].iloc[0])
    non_valides = groupe[~groupe["valide"]]
    if non_valides.empty:
        return "Validé"
    comptes = non_valides["etat"].fillna("NON_SAISI").value_counts()
    morceaux = [
        f"{n} {libelle_etat(None if e == 'NON_SAISI' else e).lower()}" for e, n in comptes.items()
    ]
    return f"{len(non_valides)} non validée(s) : " + ", ".join(morceaux)


def serie_mensuelle(mensuel: pd.DataFrame, annee: int) -> pd.DataFrame:
    """The monthly series of the charts: :func:`etp.aggregation.serie_mensuelle` (sums of
    conventioned and realised ETP, like-for-like rate, state counts) plus what the screen needs:

    - ``a_venir``: the month is after the as-of month (nothing can be validated yet);
    - ``etp_mensuel_conventionne_non_valide``: Σ C of the AFs whose month is not validated
      (0 for a month à venir), drawn as a hatched bar so that a late month never reads as 0;
    - ``etat``: the month's state in words (the AF's state, or how many AFs are not validated).
    """
    serie = aggregation.serie_mensuelle(mensuel)
    quand = as_of(mensuel)
    conv = mensuel[mensuel["conventionne"].astype(bool)]
    non_valide = (
        conv.loc[~conv["valide"].astype(bool)].groupby("mois")["etp_mensuel_conventionne"].sum()
    )
    a_venir = [quand is not None and (annee, int(m)) > quand for m in serie["mois"]]
    serie["a_venir"] = a_venir
    serie["etp_mensuel_conventionne_non_valide"] = [
        0.0 if venir else float(non_valide.get(int(m), 0.0))
        for m, venir in zip(serie["mois"], a_venir, strict=True)
    ]
    serie["etat"] = [
        _etat_du_mois(conv[conv["mois"] == m], venir)
        for m, venir in zip(serie["mois"], a_venir, strict=True)
    ]
    return serie[list(COLONNES_SERIE)]


def dernier_mois_realise(serie: pd.DataFrame) -> int | None:
    """The latest month with at least one validated AF (where the cumulative curve stops)."""
    realises = serie[serie["etp_mensuel_realise"].notna()]
    return int(realises["mois"].max()) if not realises.empty else None


def dernier_mois_valide(serie: pd.DataFrame) -> int | None:
    """The "dernier mois validé" of a selection: the latest month in which every conventioned
    AF is validated, so that a half-declared month does not read as a collapse; failing that,
    the latest month with any validated AF."""
    complets = serie[
        (serie["nb_af_conventionnees"] > 0)
        & (serie["nb_valide"] == serie["nb_af_conventionnees"])
        & serie["etp_mensuel_realise"].notna()
    ]
    if not complets.empty:
        return int(complets["mois"].max())
    return dernier_mois_realise(serie)


def cumul_annuel(serie: pd.DataFrame, dernier_mois: int | None) -> pd.DataFrame:
    """Annual ETP cumulated month by month: ``cumul_conventionne`` (the conventioned pace,
    Σ C / 12) and ``cumul_realise`` (Σ validated realised / 12, up to ``dernier_mois`` only:
    NaN after it, and everywhere when nothing is validated)."""
    cumul_conventionne = (serie["etp_mensuel_conventionne"].fillna(0.0) / 12).cumsum()
    cumul_realise = (serie["etp_mensuel_realise"].fillna(0.0) / 12).cumsum()
    limite = dernier_mois if dernier_mois is not None else -1
    return pd.DataFrame(
        {
            "mois": serie["mois"],
            "cumul_conventionne": cumul_conventionne,
            "cumul_realise": cumul_realise.where(serie["mois"] <= limite),
        }
    )


# --------------------------------------------------------------------------- key figures


@dataclass(frozen=True)
class ChiffresMensuels:
    """The monthly key figures of a selection (tiles of "Effectif mensuel" and their export)."""

    nb_af: int
    etp_mensuel_conventionne: float
    dernier_mois_valide: int | None
    etp_mensuel_realise_dernier_mois: float | None
    nb_af_valides_dernier_mois: int
    nb_af_dernier_mois: int
    etp_mensuel_realise_moyen: float | None
    taux_moyen: float | None
    statut: str | None
    ecart_etp: float | None
    ecart_pct: float | None


def chiffres_mensuels(t: Totaux, serie: pd.DataFrame) -> ChiffresMensuels:
    """Key figures from the totals and the series (:func:`serie_mensuelle`); the average is
    compared with the conventioned ETP of the AFs that have one."""
    dernier = dernier_mois_valide(serie)
    realise, nb_valides, nb_af = None, 0, 0
    if dernier is not None:
        ligne = serie[serie["mois"] == dernier].iloc[0]
        realise = _valeur(ligne["etp_mensuel_realise"])
        nb_valides, nb_af = int(ligne["nb_valide"]), int(ligne["nb_af_conventionnees"])
    return ChiffresMensuels(
        nb_af=t.nb_af,
        etp_mensuel_conventionne=t.etp_mensuel_conventionne,
        dernier_mois_valide=dernier,
        etp_mensuel_realise_dernier_mois=realise,
        nb_af_valides_dernier_mois=nb_valides,
        nb_af_dernier_mois=nb_af,
        etp_mensuel_realise_moyen=t.etp_mensuel_realise_moyen,
        taux_moyen=_ratio(t.etp_mensuel_realise_moyen, t.conventionne_compare),
        statut=t.statut,
        ecart_etp=t.ecart_etp,
        ecart_pct=t.ecart_pct,
    )


@dataclass(frozen=True)
class ChiffresAnnuels:
    """The annual key figures of a selection (tiles of "Effectif annuel" and their export)."""

    nb_af: int
    etp_annuel_conventionne: float
    etp_annuel_realise: float
    taux_realisation_annuel: float | None
    projection_etp_annuel: float | None
    taux_projection_annuel: float | None
    montant_annuel_conventionne: float | None
    montant_annuel_realise: float | None
    montant_annuel_projete: float | None
    dernier_mois_realise: int | None


def chiffres_annuels(t: Totaux, serie: pd.DataFrame) -> ChiffresAnnuels:
    """Annual key figures; the cumulative curve stops at the last month with a validated AF."""
    return ChiffresAnnuels(
        nb_af=t.nb_af,
        etp_annuel_conventionne=t.etp_annuel_conventionne,
        etp_annuel_realise=t.etp_annuel_realise,
        taux_realisation_annuel=t.taux_realisation_annuel,
        projection_etp_annuel=t.projection_etp_annuel,
        taux_projection_annuel=t.taux_projection_annuel,
        montant_annuel_conventionne=t.montant_annuel_conventionne,
        montant_annuel_realise=t.montant_annuel_realise,
        montant_annuel_projete=t.montant_annuel_projete,
        dernier_mois_realise=dernier_mois_realise(serie),
    )


# --------------------------------------------------------------------------- caveats


def notes(annuel: pd.DataFrame, serie: pd.DataFrame, annee: int) -> list[str]:
    """Caveats shown under the charts (domain.md §4): short AFs, months not yet validated,
    the as-of month."""
    out: list[str] = []
    courtes = annuel[annuel["nb_mois_conventionnes"] < 12]
    if len(courtes):
        n = len(courtes)
        sujet = (
            f"1 annexe sur {len(annuel)} couvre"
            if n == 1
            else f"{n} annexes sur {len(annuel)} couvrent"
        )
        leur = (
            "son effectif annuel conventionné est inférieur à son"
            if n == 1
            else ("leur effectif annuel conventionné est inférieur à leur")
        )
        out.append(f"{sujet} moins de 12 mois en {annee} : {leur} effectif mensuel conventionné.")
    non_valides = serie[(serie["etp_mensuel_conventionne_non_valide"] > 0) & ~serie["a_venir"]]
    if len(non_valides):
        mois = ", ".join(nom_mois(int(m)) for m in non_valides["mois"])
        out.append(
            f"Mois pas encore entièrement validés : {mois}. Ils ne comptent pas dans le réalisé ; "
            "les deux derniers mois sont en général incomplets (déclarations tardives)."
        )
    quand = as_of(annuel)
    if quand is not None and quand[0] == annee:
        out.append(
            f"Mois pris en compte jusqu'à {fmt_mois(*quand)} inclus (mois des données les plus "
            "récentes) ; seuls les mois validés comptent dans le réalisé."
        )
    return out


# --------------------------------------------------------------------------- one selection


@dataclass(frozen=True, eq=False)
class TableauDeBord:
    """Everything the two "Effectif" tabs show for one selection, computed once."""

    annee: int
    annuel: pd.DataFrame
    serie: pd.DataFrame
    totaux: Totaux

    def chiffres_mensuels(self) -> ChiffresMensuels:
        return chiffres_mensuels(self.totaux, self.serie)

    def chiffres_annuels(self) -> ChiffresAnnuels:
        return chiffres_annuels(self.totaux, self.serie)

    def cumul(self) -> pd.DataFrame:
        return cumul_annuel(self.serie, dernier_mois_realise(self.serie))

    def notes(self) -> list[str]:
        return notes(self.annuel, self.serie, self.annee)


def tableau_de_bord(annuel: pd.DataFrame, mensuel: pd.DataFrame, annee: int) -> TableauDeBord:
    """The selection's figures from its two ``etp.queries`` frames (same scope and filters)."""
    return TableauDeBord(annee, annuel, serie_mensuelle(mensuel, annee), totaux(annuel))
