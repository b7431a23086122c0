"""Conseils départementaux: the posts they co-finance, the État / CD split and the bRSA target.

Definitions (per AF × calendar year; a selection sums, its ratios are ratios of sums):

- ``part_cd`` = ``af_mt_cofinance / af_montant_total_annuel`` (0 when the total is 0 or
  nothing is co-financed);
- ``etp_annuel_conventionne_cd`` = C × ``part_cd`` × conventioned months of the year / 12;
  ``etp_annuel_conventionne_etat`` = C × (1 − ``part_cd``) × the same months / 12;
- ``montant_cd`` = ``af_mt_cofinance`` for an AF inside one calendar year. The ASP's amounts
  cover the AF's whole period, so an AF spanning two years is shared between them pro rata of
  its conventioned months (the real system would count it twice); ``montant_total`` and
  ``montant_etat`` likewise;
- bRSA target of a conventioned month = ``af_mt_cofinance`` / conventioned months of the AF
  (its whole period) / ``MT_ME_RSA`` of that month and département; no target outside the AF's
  months (the Pilotage's pipeline divides a yearly sum by 12 even for a short AF: not copied);
- bRSA realised in a month: employees of an ``OUI-M`` / ``OUI-NM`` contract with at least
  1 hour that month (``brsa_mensuel``, maintained by the import) and their ETP (hours × 12 /
  hours of one annual ETP), only for a validated month (state ``VALIDE``, not after the
  as-of month), like every realised figure;
- an AF is **under target** when, over its conventioned and validated months with a known
  amount, its bRSA employees sum to less than its targets (the monthly averages compare the
  same way).

The ``MT_ME_RSA`` amount of a month is the row whose validity covers at least one day of the
month, the latest starting one when two do; a département with rows of its own (Mayotte, 976)
uses only those, the others the rows without ``code_dpt``.

Every read takes the user's :class:`~etp.scope.Scope` into its SQL ``WHERE``; an empty scope
reads nothing. No number is rounded here.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, partial
from typing import Any

import pandas as pd
from sqlalchemy import Engine, and_, select

from etp.etats_annee import SEPARATEUR
from etp.filters import Filtres
from etp.queries import as_of_par_defaut, lignes_brutes
from etp.schema import (
    AnnexeFinanciere,
    BrsaMensuel,
    Departement,
    EtatsAnnee,
    MontantRsa,
    Structure,
)
from etp.scope import Scope

ETAT_VALIDE = "VALIDE"
MOIS = tuple(range(1, 13))

COLONNES_AF: tuple[str, ...] = (
    "numero_annexe_financiere",
    "id_annexe_financiere",
    "annee",
    "structure_id",
    "structure_denomination",
    "siret",
    "type_structure",
    "departement",
    "departement_libelle",
    "financeur",
    "date_debut",
    "date_fin",
    "etp_mensuel_conventionne",
    "nb_mois_conventionnes_af",
    "nb_mois_conventionnes",
    "mt_cofinance",
    "montant_total_annuel",
    "part_cd",
    "montant_total",
    "montant_cd",
    "montant_etat",
    "etp_annuel_conventionne",
    "etp_annuel_conventionne_cd",
    "etp_annuel_conventionne_etat",
    "nb_mois_valides",
    "brsa_cible_moyenne",
    "brsa_cible_mois_valides",
    "nb_salaries_brsa_moyen",
    "ecart_brsa",
    "etp_annuel_realise_brsa",
    "nb_mois_sous_cible",
    "sous_cible",
)

COLONNES_MOIS: tuple[str, ...] = (
    "numero_annexe_financiere",
    "id_annexe_financiere",
    "structure_denomination",
    "departement",
    "mois",
    "conventionne",
    "etat",
    "valide",
    "montant_rsa",
    "brsa_cible",
    "nb_salaries_brsa",
    "heures_brsa",
    "etp_realise_brsa",
)

COLONNES_SERIE: tuple[str, ...] = (
    "mois",
    "nb_af",
    "nb_af_valides",
    "brsa_cible",
    "brsa_cible_valide",
    "nb_salaries_brsa",
    "etp_realise_brsa",
)


# --------------------------------------------------------------------------- pure definitions


@dataclass(frozen=True)
class Montant:
    """One ``MT_ME_RSA`` row: amount, validity (``fin`` None = open) and département."""

    valeur: float
    debut: date
    fin: date | None
    code_dpt: str | None


def mois_conventionnes(debut: date, fin: date, annee: int | None = None) -> list[tuple[int, int]]:
    """``(year, month)`` covered at least one day by ``[debut, fin]`` (of ``annee`` if given)."""
    if fin < debut:
        return []
    out = []
    y, m = debut.year, debut.month
    while (y, m) <= (fin.year, fin.month):
        if annee is None or y == annee:
            out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def part_cd(mt_cofinance: float | None, montant_total: float | None) -> float:
    """The CD's share of the AF's aid; 0 when the total is 0 or nothing is co-financed."""
    if not mt_cofinance or not montant_total or _nan(mt_cofinance) or _nan(montant_total):
        return 0.0
    return mt_cofinance / montant_total


def montant_rsa(
    montants: Sequence[Montant], departement: str, annee: int, mois: int
) -> float | None:
    """``MT_ME_RSA`` of a month for an AF of ``departement`` (``None`` when none is known)."""
    propres = [m for m in montants if m.code_dpt == departement]
    candidats = propres if propres else [m for m in montants if m.code_dpt is None]
    premier = date(annee, mois, 1)
    dernier = date(annee, mois, calendar.monthrange(annee, mois)[1])
    valides = [m for m in candidats if m.debut <= dernier and (m.fin is None or m.fin >= premier)]
    if not valides:
        return None
    return max(valides, key=lambda m: m.debut).valeur


def cible_brsa(mt_cofinance: float | None, nb_mois_af: int, montant: float | None) -> float | None:
    """bRSA target of one conventioned month: co-financing / AF months / monthly RSA amount."""
    if montant is None or montant <= 0 or nb_mois_af <= 0:
        return None
    return (mt_cofinance or 0.0) / nb_mois_af / montant


def _nan(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _limite(annee: int, as_of: tuple[int, int] | None) -> int:
    """Last month of ``annee`` that may count as validated (the as-of rule of every figure)."""
    if as_of is None:
        return 12
    return 12 if as_of[0] > annee else 0 if as_of[0] < annee else as_of[1]


def calculer_af(
    af: dict[str, Any],
    etats: dict[int, str],
    brsa: dict[int, tuple[int, float]],
    montant_de: Callable[[str, int, int], float | None],
    annee: int,
    as_of: tuple[int, int] | None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(annual row, 12 monthly rows) of one co-financed AF for ``annee``.

    ``af`` holds the AF's identity plus ``date_debut``, ``date_fin``, ``etp_mensuel_conventionne``
    (C), ``heures_etp`` (H), ``mt_cofinance``, ``montant_total_annuel``; ``etats`` month -> state;
    ``brsa`` month -> (bRSA employees with ≥ 1 hour, their hours); ``montant_de(departement,
    annee, mois)`` the month's ``MT_ME_RSA`` (:func:`montant_rsa` on the stored amounts).
    """
    debut, fin = af["date_debut"], af["date_fin"]
    d = len(mois_conventionnes(debut, fin))
    dans_annee = {m for _, m in mois_conventionnes(debut, fin, annee)}
    m_y = len(dans_annee)
    c = af["etp_mensuel_conventionne"] or 0.0
    h = af["heures_etp"]
    cofinance = af["mt_cofinance"] or 0.0
    total = af["montant_total_annuel"] or 0.0
    part = part_cd(cofinance, total)
    prorata = m_y / d if d else 0.0
    limite = _limite(annee, as_of)

    mois_rows = []
    for mois in MOIS:
        conventionne = mois in dans_annee
        etat = etats.get(mois)
        valide = etat == ETAT_VALIDE and mois <= limite
        montant = montant_de(af["departement"], annee, mois) if conventionne else None
        cible = cible_brsa(cofinance, d, montant) if conventionne else None
        nb, heures = brsa.get(mois, (0, 0.0))
        etp = heures * 12 / h if valide and h else None
        mois_rows.append(
            {
                "numero_annexe_financiere": af["numero_annexe_financiere"],
                "id_annexe_financiere": af["id_annexe_financiere"],
                "structure_denomination": af.get("structure_denomination"),
                "departement": af["departement"],
                "mois": mois,
                "conventionne": conventionne,
                "etat": etat,
                "valide": valide,
                "montant_rsa": montant,
                "brsa_cible": cible,
                "nb_salaries_brsa": nb if valide else None,
                "heures_brsa": heures if valide else None,
                "etp_realise_brsa": etp if valide else None,
            }
        )

    comptes = [r for r in mois_rows if r["conventionne"] and r["valide"]]
    avec_cible = [r for r in comptes if r["brsa_cible"] is not None]
    cibles = [r["brsa_cible"] for r in mois_rows if r["brsa_cible"] is not None]
    somme_cible = sum(r["brsa_cible"] for r in avec_cible)
    somme_brsa = sum(r["nb_salaries_brsa"] for r in avec_cible)
    annuel = {
        k: af.get(k)
        for k in (
            "numero_annexe_financiere",
            "id_annexe_financiere",
            "structure_id",
            "structure_denomination",
            "siret",
            "type_structure",
            "departement",
            "departement_libelle",
            "financeur",
            "date_debut",
            "date_fin",
        )
    }
    annuel.update(
        {
            "annee": annee,
            "etp_mensuel_conventionne": c,
            "nb_mois_conventionnes_af": d,
            "nb_mois_conventionnes": m_y,
            "mt_cofinance": cofinance,
            "montant_total_annuel": total,
            "part_cd": part,
            "montant_total": total * prorata,
            "montant_cd": cofinance * prorata,
            "montant_etat": (total - cofinance) * prorata,
            "etp_annuel_conventionne": c * m_y / 12,
            "etp_annuel_conventionne_cd": c * part * m_y / 12,
            "etp_annuel_conventionne_etat": c * (1 - part) * m_y / 12,
            "nb_mois_valides": len(comptes),
            "brsa_cible_moyenne": sum(cibles) / len(cibles) if cibles else None,
            "brsa_cible_mois_valides": somme_cible / len(avec_cible) if avec_cible else None,
            "nb_salaries_brsa_moyen": somme_brsa / len(avec_cible) if avec_cible else None,
            "ecart_brsa": (somme_brsa - somme_cible) / len(avec_cible) if avec_cible else None,
            "etp_annuel_realise_brsa": sum(r["etp_realise_brsa"] or 0.0 for r in comptes) / 12,
            "nb_mois_sous_cible": sum(
                1 for r in avec_cible if r["nb_salaries_brsa"] < r["brsa_cible"]
            ),
            "sous_cible": bool(avec_cible) and somme_brsa < somme_cible,
        }
    )
    return annuel, mois_rows


def _somme(valeurs: Iterable[Any]) -> float:
    return float(sum(v for v in valeurs if not _nan(v)))


def totaux(par_af: pd.DataFrame) -> dict[str, Any]:
    """The État / CD split of a selection: sums, and ``part_cd`` as a ratio of sums."""
    total = _somme(par_af["montant_total"]) if len(par_af) else 0.0
    cd = _somme(par_af["montant_cd"]) if len(par_af) else 0.0
    return {
        "nb_af": len(par_af),
        "montant_total": total,
        "montant_cd": cd,
        "montant_etat": total - cd,
        "part_cd": cd / total if total else 0.0,
        **{
            k: _somme(par_af[k]) if len(par_af) else 0.0
            for k in (
                "etp_annuel_conventionne",
                "etp_annuel_conventionne_cd",
                "etp_annuel_conventionne_etat",
                "etp_annuel_realise_brsa",
            )
        },
        "nb_af_sous_cible": int(par_af["sous_cible"].sum()) if len(par_af) else 0,
    }


def serie(par_mois: pd.DataFrame) -> pd.DataFrame:
    """Per month of the selection: targets of the conventioned AFs, and the bRSA employees and
    ETP of the validated ones beside the targets of those same AFs (like for like); employees
    and ETP are null for a month that no AF has validated."""
    lignes = []
    for mois in MOIS:
        rows = (
            par_mois[(par_mois["mois"] == mois) & par_mois["conventionne"]]
            if len(par_mois)
            else par_mois
        )
        valides = rows[rows["valide"]] if len(rows) else rows
        nb_valides = len(valides)
        lignes.append(
            {
                "mois": mois,
                "nb_af": len(rows),
                "nb_af_valides": nb_valides,
                "brsa_cible": _somme(rows["brsa_cible"]) if len(rows) else 0.0,
                "brsa_cible_valide": _somme(valides["brsa_cible"]) if nb_valides else None,
                "nb_salaries_brsa": (
                    int(_somme(valides["nb_salaries_brsa"])) if nb_valides else None
                ),
                "etp_realise_brsa": _somme(valides["etp_realise_brsa"]) if nb_valides else None,
            }
        )
    return pd.DataFrame(lignes, columns=list(COLONNES_SERIE))


def afs_sous_cible(par_af: pd.DataFrame) -> pd.DataFrame:
    """The AFs whose bRSA employees stay under target, largest monthly shortfall first."""
    if par_af.empty:
        return par_af
    sous = par_af[par_af["sous_cible"]]
    return sous.sort_values(["ecart_brsa", "numero_annexe_financiere"], kind="stable")


# --------------------------------------------------------------------------- scoped reads


@dataclass(frozen=True)
class DonneesCofinancement:
    """The co-financed AFs of one selection: per AF × year and per AF × month."""

    annee: int
    as_of: tuple[int, int] | None
    par_af: pd.DataFrame
    par_mois: pd.DataFrame

    def totaux(self) -> dict[str, Any]:
        return totaux(self.par_af)

    def serie(self) -> pd.DataFrame:
        return serie(self.par_mois)

    def afs_sous_cible(self) -> pd.DataFrame:
        return afs_sous_cible(self.par_af)


def _selection(scope: Scope, filtres: Filtres):
    af = AnnexeFinanciere
    annee = filtres.annee
    return and_(
        af.compte.is_(True),
        af.mt_cofinance > 0,
        scope.af_condition(af),
        filtres.af_condition(af),
        af.date_debut <= date(annee, 12, 31),
        af.date_fin >= date(annee, 1, 1),
        af.date_fin >= af.date_debut,
    )


def _montants(engine: Engine) -> list[Montant]:
    m = MontantRsa
    with engine.connect() as conn:
        rows = conn.execute(select(m.valeur, m.date_debut, m.date_fin, m.code_dpt)).all()
    return [Montant(*row) for row in rows]


def charger(engine: Engine, scope: Scope, filtres: Filtres) -> DonneesCofinancement:
    """The co-financed, counted AFs of the year inside ``scope`` AND ``filtres``."""
    as_of = filtres.as_of if filtres.as_of is not None else as_of_par_defaut(engine)
    vide = DonneesCofinancement(
        filtres.annee,
        as_of,
        pd.DataFrame(columns=list(COLONNES_AF)),
        pd.DataFrame(columns=list(COLONNES_MOIS)),
    )
    if scope.is_empty():
        return vide
    af = AnnexeFinanciere
    selection = _selection(scope, filtres)
    stmt = (
        select(
            af.id,
            af.numero,
            af.structure_id,
            Structure.denomination,
            Structure.siret,
            af.type_structure,
            af.departement_code,
            Departement.libelle,
            af.id_financeur_code,
            af.date_debut,
            af.date_fin,
            af.etp_postes_insertion,
            af.duree_heure_annuel_etp,
            af.mt_cofinance,
            af.montant_total_annuel,
        )
        .outerjoin(Structure, Structure.id == af.structure_id)
        .outerjoin(Departement, Departement.code == af.departement_code)
        .where(selection)
        .order_by(af.departement_code, af.numero, af.id)
    )
    ea, bm = EtatsAnnee, BrsaMensuel
    # the months packed per AF × year (etp.etats_annee): one row per AF, not one per month
    stmt_etats = (
        select(ea.af_id, ea.etats)
        .join(af, af.id == ea.af_id)
        .where(ea.annee == filtres.annee, selection)
    )
    stmt_brsa = (
        select(bm.af_id, bm.mois, bm.nb_salaries, bm.heures)
        .join(af, af.id == bm.af_id)
        .where(bm.annee == filtres.annee, selection)
    )
    with engine.connect() as conn:
        lignes = conn.execute(stmt).all()
        if not lignes:
            return vide
        etats: dict[int, dict[int, str]] = {}
        for af_id, textes in lignes_brutes(conn, stmt_etats):
            etats[af_id] = {
                m: etat for m, etat in enumerate(textes.split(SEPARATEUR), start=1) if etat
            }
        brsa: dict[int, dict[int, tuple[int, float]]] = {}
        for af_id, mois, nb, heures in lignes_brutes(conn, stmt_brsa):
            brsa.setdefault(af_id, {})[mois] = (nb, heures)
    # one lookup per département and month (a national selection: 12,000 AF-months, some
    # 1,200 distinct départements × months)
    montant_de = cache(partial(montant_rsa, _montants(engine)))
    annuels, mensuels = [], []
    for (
        af_id,
        numero,
        structure_id,
        nom,
        siret,
        type_structure,
        dep,
        dep_nom,
        financeur,
        debut,
        fin,
        c,
        h,
        cofinance,
        total,
    ) in lignes:
        identite = {
            "numero_annexe_financiere": numero,
            "id_annexe_financiere": af_id,
            "structure_id": structure_id,
            "structure_denomination": nom,
            "siret": siret,
            "type_structure": type_structure,
            "departement": dep,
            "departement_libelle": f"{dep} - {dep_nom}" if dep_nom else dep,
            "financeur": financeur,
            "date_debut": debut,
            "date_fin": fin,
            "etp_mensuel_conventionne": c,
            "heures_etp": h,
            "mt_cofinance": cofinance,
            "montant_total_annuel": total,
        }
        annuel, mois_rows = calculer_af(
            identite,
            etats.get(af_id, {}),
            brsa.get(af_id, {}),
            montant_de,
            filtres.annee,
            as_of,
        )
        annuels.append(annuel)
        mensuels.extend(mois_rows)
    par_af = pd.DataFrame(annuels, columns=list(COLONNES_AF))
    par_mois = pd.DataFrame(mensuels, columns=list(COLONNES_MOIS))
    for col in ("nb_salaries_brsa", "heures_brsa", "etp_realise_brsa", "brsa_cible", "montant_rsa"):
        par_mois[col] = par_mois[col].astype("float64")
    return DonneesCofinancement(filtres.annee, as_of, par_af, par_mois)


def _json(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


_ENTIERS_SERIE = ("mois", "nb_af", "nb_af_valides", "nb_salaries_brsa")


def _mois_json(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: _json(v) for k, v in row.items()}
    for k in _ENTIERS_SERIE:
        if out[k] is not None:
            out[k] = int(out[k])
    return out


def figures(engine: Engine, scope: Scope, filtres: Filtres) -> dict[str, Any]:
    """The ``cofinancement`` object of ``suivi-etp figures`` (unrounded, ``null`` for missing):
    ``{montant_cd, part_cd, etp_annuel_conventionne_cd, etp_annuel_conventionne_etat,
    serie: 12 × {mois, brsa_cible, nb_salaries_brsa, etp_realise_brsa}}`` plus a few more keys
    (``montant_total``, ``montant_etat``, ``etp_annuel_conventionne``,
    ``etp_annuel_realise_brsa``, ``nb_af``, ``nb_af_sous_cible``, per month ``nb_af``,
    ``nb_af_valides``, ``brsa_cible_valide``): the ``cofinancement.*`` keys of the catalogue."""
    d = charger(engine, scope, filtres)
    t = d.totaux()
    return {
        "montant_cd": t["montant_cd"],
        "part_cd": t["part_cd"],
        "etp_annuel_conventionne_cd": t["etp_annuel_conventionne_cd"],
        "etp_annuel_conventionne_etat": t["etp_annuel_conventionne_etat"],
        "montant_total": t["montant_total"],
        "montant_etat": t["montant_etat"],
        "etp_annuel_conventionne": t["etp_annuel_conventionne"],
        "etp_annuel_realise_brsa": t["etp_annuel_realise_brsa"],
        "nb_af": t["nb_af"],
        "nb_af_sous_cible": t["nb_af_sous_cible"],
        "serie": [_mois_json(row) for row in d.serie().to_dict("records")],
    }
