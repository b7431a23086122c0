"""Monthly series for the charts, from the AF × month frame of ``etp.queries``.

Only sums and counts of the values ``etp`` computed (nothing is rounded or re-derived), in the
shape ``layouts.figures`` documents. A month not validated keeps NaN as realised value and
carries its state, so that no chart ever shows it as a zero.
"""

from __future__ import annotations

import math

import pandas as pd

from etp.formatting import libelle_etat

ETATS_COMPTES = ("VALIDE", "DEBLOQUE", "SAISI", "BROUILLON")


def as_of_du_frame(frame: pd.DataFrame) -> tuple[int, int] | None:
    """The as-of month ``"YYYY-MM"`` carried by the ``etp`` frames, as a tuple."""
    if frame.empty or "as_of" not in frame:
        return None
    valeur = frame["as_of"].dropna()
    if valeur.empty:
        return None
    annee, mois = str(valeur.iloc[0]).split("-")
    return int(annee), int(mois)


def _etat_du_mois(groupe: pd.DataFrame, a_venir: bool) -> str:
    """Readable state of a month: the AF's own state, or a count of non-validated AFs."""
    if a_venir:
        return "À venir"
    non_valides = groupe[~groupe["valide"]]
    if len(groupe) == 1:
        return libelle_etat(groupe["etat"].iloc[0])
    if non_valides.empty:
        return "Validé"
    comptes = non_valides["etat"].fillna("NON_SAISI").value_counts()
    morceaux = [
        f"{n} {libelle_etat(None if e == 'NON_SAISI' else e).lower()}" for e, n in comptes.items()
    ]
    return f"{len(non_valides)} non validée(s) : " + ", ".join(morceaux)


def serie_mensuelle(mensuel: pd.DataFrame, annee: int) -> pd.DataFrame:
    """One row per month 1..12: conventioned and realised sums, rate, states (see figures)."""
    as_of = as_of_du_frame(mensuel)
    lignes = []
    conv = mensuel[mensuel["conventionne"]] if not mensuel.empty else mensuel
    for mois in range(1, 13):
        g = conv[conv["mois"] == mois] if not conv.empty else conv
        a_venir = as_of is not None and (annee, mois) > as_of
        valides = g[g["valide"]] if not g.empty else g
        realise = float(valides["etp_mensuel_realise"].sum()) if len(valides) else math.nan
        conv_valides = float(valides["etp_mensuel_conventionne"].sum()) if len(valides) else 0.0
        non_valide = (
            float(g.loc[~g["valide"], "etp_mensuel_conventionne"].sum())
            if len(g) and not a_venir
            else 0.0
        )
        etats = g["etat"] if len(g) else pd.Series(dtype=object)
        ligne = {
            "mois": mois,
            "nb_af": len(g),
            "etp_conventionne": float(g["etp_mensuel_conventionne"].sum()) if len(g) else 0.0,
            "etp_realise": realise,
            "taux": realise / conv_valides if conv_valides else math.nan,
            "etp_non_valide": non_valide,
            "a_venir": a_venir,
            "etat": _etat_du_mois(g, a_venir) if len(g) else "Non conventionné",
            "NON_SAISI": int(etats.isna().sum()),
        }
        for etat in ETATS_COMPTES:
            ligne[etat] = int((etats == etat).sum())
        lignes.append(ligne)
    return pd.DataFrame(lignes)


def dernier_mois_realise(serie: pd.DataFrame) -> int | None:
    """The latest month with at least one validated AF (where the cumulative curve stops)."""
    realises = serie[serie["etp_realise"].notna()]
    return int(realises["mois"].max()) if not realises.empty else None


def dernier_mois_valide(serie: pd.DataFrame) -> int | None:
    """The month of the "effectif mensuel réalisé (dernier mois validé)" card: the latest month
    in which every conventioned AF of the selection is validated, so that a half-declared month
    does not read as a collapse; failing that, the latest month with any validated AF."""
    complets = serie[(serie["nb_af"] > 0) & (serie["VALIDE"] == serie["nb_af"])]
    complets = complets[complets["etp_realise"].notna()]
    if not complets.empty:
        return int(complets["mois"].max())
    return dernier_mois_realise(serie)
