"""Scoped reads of the indicators: SQL selects, :mod:`etp.indicators` computes.

Every public function takes a :class:`~etp.scope.Scope` and puts ``Scope.af_condition()`` in the
SQL ``WHERE`` next to the filters, so a forged filter value can only narrow what the scope
already allows, and an empty scope returns an empty result (with the right columns).

SQL does the selection (scope, filters, year) and the joins (structure, département, région,
the ``etat_mensuel`` rows of the year); the arithmetic then runs on arrays
(:mod:`etp.indicators_tableau`), tested to give exactly what the pure per-AF reference
:func:`etp.indicators.indicateurs_annee` gives, in a few milliseconds for a national table.
Numbers are never rounded here. Aggregates: :mod:`etp.aggregation` (``agreger`` is re-exported
here for callers that expect it next to the reads).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, Connection, Engine, Select, and_, func, select

from etp import referentiel
from etp.aggregation import (
    RealisesParNumero,
    agreger,
    par_numero,
    realises_par_numero,
    serie_mensuelle,
)
from etp.chiffres import que_des_chiffres
from etp.collation import cle_fr
from etp.etats_annee import deballer
from etp.filters import Filtres
from etp.indicators_tableau import AUCUN_ETAT, MOIS, Tableau, calculer
from etp.schema import (
    AnnexeFinanciere,
    Departement,
    EtatMensuel,
    EtatsAnnee,
    ImportLog,
    Region,
    Structure,
)
from etp.scope import Scope

__all__ = [
    "CLES_JSON",
    "COLONNES_ANNUELLES",
    "COLONNES_MENSUELLES",
    "agreger",
    "annees_disponibles",
    "as_of_par_defaut",
    "date_donnees",
    "indicateurs",
    "indicateurs_annuels",
    "indicateurs_json",
    "indicateurs_mensuels",
    "options_filtres",
    "serie_mensuelle",
]

#: Identity columns of an AF, shared by the annual and the monthly frames.
COLONNES_AF: tuple[str, ...] = (
    "numero_annexe_financiere",
    "id_annexe_financiere",
    "version",
    "annee",
    "structure_id",
    "structure_denomination",
    "siret",
    "type_structure",
    "mesure",
    "milieu_penitentiaire",
    "departement",
    "departement_libelle",
    "region",
    "region_libelle",
    "etat_annexe",
    "date_debut",
    "date_fin",
)

#: The figures of one AF × year (the JSON keys of ``suivi-etp indicators`` and a few more).
COLONNES_INDICATEURS: tuple[str, ...] = (
    "etp_mensuel_conventionne",
    "nb_mois_conventionnes",
    "etp_annuel_conventionne",
    "nb_mois_valides",
    "dernier_mois_valide",
    "etp_mensuel_realise_moyen",
    "etp_annuel_realise",
    "taux_realisation_annuel",
    "statut_consommation",
    "ecart_etp_mensuel",
    "ecart_pct",
    "projection_etp_annuel",
    "taux_projection_annuel",
    "montant_unitaire_annuel",
    "montant_annuel_conventionne",
    "montant_annuel_realise",
    "montant_annuel_projete",
    "as_of",
)

COLONNES_ANNUELLES: tuple[str, ...] = COLONNES_AF + COLONNES_INDICATEURS

COLONNES_MOIS: tuple[str, ...] = (
    "mois",
    "conventionne",
    "etp_mensuel_conventionne",
    "etat",
    "heures",
    "nb_salaries",
    "valide",
    "etp_mensuel_realise",
    "taux_realisation_mensuel",
)

COLONNES_MENSUELLES: tuple[str, ...] = (
    *(c for c in COLONNES_AF if c not in ("date_debut", "date_fin")),
    *COLONNES_MOIS,
    "as_of",
)

#: Keys of one object of ``suivi-etp indicators --format json`` (issue 2, item 5), in order.
CLES_JSON: tuple[str, ...] = (
    "numero_annexe_financiere",
    "id_annexe_financiere",
    "version",
    "annee",
    "structure_id",
    "structure_denomination",
    "siret",
    "type_structure",
    "mesure",
    "departement",
    "region",
    "etat_annexe",
    "date_debut",
    "date_fin",
    "etp_mensuel_conventionne",
    "nb_mois_conventionnes",
    "etp_annuel_conventionne",
    "nb_mois_valides",
    "etp_mensuel_realise_moyen",
    "etp_annuel_realise",
    "taux_realisation_annuel",
    "statut_consommation",
    "ecart_etp_mensuel",
    "projection_etp_annuel",
    "taux_projection_annuel",
    "montant_unitaire_annuel",
    "montant_annuel_conventionne",
    "montant_annuel_projete",
)


@dataclass(frozen=True)
class _Donnees:
    """The AFs read for one request and their indicators: ``identites`` holds the identity
    columns (:data:`COLONNES_AF`, one list each, AFs in SQL order)."""

    identites: dict[str, list[Any]]
    tableau: Tableau

    def __len__(self) -> int:
        return len(self.tableau.conventionne)

    @property
    def as_of(self) -> str | None:
        return _as_of_texte(self.tableau.as_of)


# --------------------------------------------------------------------------- SQL conditions


def _annee_condition(annee: int) -> ColumnElement[bool]:
    """AFs whose period covers at least one day of ``annee`` (a conventioned month there)."""
    af = AnnexeFinanciere
    return and_(
        af.date_debut <= date(annee, 12, 31),
        af.date_fin >= date(annee, 1, 1),
        af.date_fin >= af.date_debut,
    )


def _af_selection(scope: Scope, filtres: Filtres) -> ColumnElement[bool]:
    """Counted AFs of the year, inside the scope AND the filters."""
    af = AnnexeFinanciere
    return and_(
        af.compte.is_(True),
        scope.af_condition(af),
        filtres.af_condition(af),
        _annee_condition(filtres.annee),
    )


# --------------------------------------------------------------------------- data date, years


def date_donnees(engine: Engine) -> datetime | None:
    """The data date shown to users: the latest ``emi_date_creation`` imported (or ``None``)."""
    with engine.connect() as conn:
        return conn.execute(select(func.max(EtatMensuel.derniere_creation))).scalar()


def version_donnees(engine: Engine) -> int | None:
    """The id of the latest import (accepted or not): it changes whenever data may have changed,
    so caches key on it."""
    with engine.connect() as conn:
        return conn.execute(select(func.max(ImportLog.id))).scalar()


def as_of_par_defaut(engine: Engine) -> tuple[int, int] | None:
    """The month of the data date: later months are not counted as realised."""
    quand = date_donnees(engine)
    return (quand.year, quand.month) if quand else None


def annees_disponibles(engine: Engine, scope: Scope) -> list[int]:
    """Calendar years (ascending) in which a counted AF of the scope has a conventioned month."""
    af = AnnexeFinanciere
    stmt = (
        select(af.date_debut, af.date_fin)
        .where(af.compte.is_(True), scope.af_condition(af), af.date_fin >= af.date_debut)
        .distinct()
    )
    annees: set[int] = set()
    with engine.connect() as conn:
        for debut, fin in conn.execute(stmt):
            annees.update(range(debut.year, fin.year + 1))
    return sorted(annees)


# --------------------------------------------------------------------------- computation


#: The packed months of an AF × year (:mod:`etp.etats_annee`), read with the AF itself.
_MOIS = (EtatsAnnee.etats, EtatsAnnee.heures, EtatsAnnee.nb_salaries)


def _avec_mois(stmt: Select, annee: int) -> Select:
    """``stmt`` (on ``annexe_financiere``) with the AF's twelve months of ``annee``: one SELECT
    gives the AFs and their monthly states (an AF without any month that year gets nulls)."""
    af = AnnexeFinanciere
    return stmt.outerjoin(EtatsAnnee, and_(EtatsAnnee.af_id == af.id, EtatsAnnee.annee == annee))


def _charger(engine: Engine, scope: Scope, filtres: Filtres) -> _Donnees:
    """Read the AFs of the year with their monthly states, then compute every indicator."""
    if scope.is_empty():
        return _vide(filtres)
    af = AnnexeFinanciere
    annee = filtres.annee
    stmt_af = (
        _avec_mois(
            select(
                af.id,
                af.numero,
                af.numero_avenant_renouvellement,
                af.numero_avenant_modification,
                af.structure_id,
                Structure.denomination,
                Structure.siret,
                af.type_structure,
                af.mesure_code,
                af.milieu_penitentiaire,
                af.departement_code,
                Departement.libelle.label("departement_nom"),
                af.region_code,
                Region.libelle.label("region_nom"),
                af.etat,
                af.date_debut,
                af.date_fin,
                af.etp_postes_insertion,
                af.duree_heure_annuel_etp,
                af.montant_unitaire_annuel,
                *_MOIS,
            )
            .outerjoin(Structure, Structure.id == af.structure_id)
            .outerjoin(Departement, Departement.code == af.departement_code)
            .outerjoin(Region, Region.code == af.region_code),
            annee,
        )
        .where(_af_selection(scope, filtres))
        .order_by(af.departement_code, af.numero, af.id)
    )
    with engine.connect() as conn:
        lignes_af = lignes_brutes(conn, stmt_af)
    if not lignes_af:
        return _vide(filtres)
    as_of = filtres.as_of if filtres.as_of is not None else as_of_par_defaut(engine)
    (
        af_id,
        numero,
        renouvellement,
        modification,
        structure_id,
        denomination,
        siret,
        type_structure,
        mesure,
        penitentiaire,
        dep,
        dep_nom,
        region,
        region_nom,
        etat_annexe,
        debut,
        fin,
        c,
        h,
        aide,
    ) = list(zip(*(ligne[:20] for ligne in lignes_af), strict=True))
    debut, fin = _dates(debut), _dates(fin)
    identites = {
        "numero_annexe_financiere": list(numero),
        "id_annexe_financiere": list(af_id),
        "version": [f"A{r}M{m}" for r, m in zip(renouvellement, modification, strict=True)],
        "annee": [annee] * len(af_id),
        "structure_id": list(structure_id),
        "structure_denomination": list(denomination),
        "siret": list(siret),
        "type_structure": list(type_structure),
        "mesure": list(mesure),
        "milieu_penitentiaire": [bool(p) for p in penitentiaire],
        "departement": list(dep),
        "departement_libelle": [
            f"{d} - {nom}" if nom else d for d, nom in zip(dep, dep_nom, strict=True)
        ],
        "region": list(region),
        "region_libelle": list(region_nom),
        "etat_annexe": list(etat_annexe),
        "date_debut": debut,
        "date_fin": fin,
    }
    mois = deballer([ligne[20:23] for ligne in lignes_af])
    tableau = calculer(debut, fin, c, h, aide, mois, annee, as_of)
    return _Donnees(identites, tableau)


def _dates(valeurs: Sequence[date | str]) -> list[date]:
    """Dates read by the driver: ``date`` objects (PostgreSQL) or ISO text (SQLite)."""
    return [v if isinstance(v, date) else date.fromisoformat(v) for v in valeurs]


def lignes_brutes(conn: Connection, stmt: Select) -> list[tuple]:
    """The rows of ``stmt`` as the driver gives them (plain tuples): for the tens of thousands
    of rows of a national read, SQLAlchemy's row objects cost as much as the query. Only for
    columns whose values need no conversion (integers, floats, text)."""
    result = conn.execute(stmt)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def _vide(filtres: Filtres) -> _Donnees:
    identites: dict[str, list[Any]] = {c: [] for c in COLONNES_AF}
    tableau = calculer([], [], [], [], [], AUCUN_ETAT, filtres.annee, filtres.as_of)
    return _Donnees(identites, tableau)


def _as_of_texte(as_of: tuple[int, int] | None) -> str | None:
    return f"{as_of[0]:04d}-{as_of[1]:02d}" if as_of else None


_FLOATS_ANNUELS = (
    "etp_mensuel_conventionne",
    "etp_annuel_conventionne",
    "etp_mensuel_realise_moyen",
    "etp_annuel_realise",
    "taux_realisation_annuel",
    "ecart_etp_mensuel",
    "ecart_pct",
    "projection_etp_annuel",
    "taux_projection_annuel",
    "montant_unitaire_annuel",
    "montant_annuel_conventionne",
    "montant_annuel_realise",
    "montant_annuel_projete",
)
_ENTIERS_ANNUELS = (
    "id_annexe_financiere",
    "structure_id",
    "annee",
    "nb_mois_conventionnes",
    "nb_mois_valides",
    "dernier_mois_valide",
)
_FLOATS_MENSUELS = ("etp_mensuel_conventionne", "heures", "etp_mensuel_realise")


def _typer(df: pd.DataFrame, floats: tuple[str, ...], entiers: tuple[str, ...]) -> pd.DataFrame:
    """Stable dtypes, also for an empty frame: floats (NaN = null), nullable integers."""
    for col in floats:
        df[col] = df[col].astype("float64")
    for col in entiers:
        df[col] = df[col].astype("Int64")
    return df


# --------------------------------------------------------------------------- public reads


def indicateurs_annuels(engine: Engine, scope: Scope, filtres: Filtres) -> pd.DataFrame:
    """One row per counted AF with a conventioned month in ``filtres.annee``, in scope and filters.

    Columns: :data:`COLONNES_ANNUELLES` (identity, labels, every annual indicator, ``as_of``).
    """
    return _frame_annuel(_charger(engine, scope, filtres))


def _identites(donnees: _Donnees, colonnes: Sequence[str]) -> dict[str, Any]:
    """The identity columns (types inferred by pandas; ``object`` when there is no AF, as an
    empty frame of those columns has)."""
    if len(donnees):
        return {c: donnees.identites[c] for c in colonnes}
    return {c: pd.Series([], dtype=object) for c in colonnes}


def _frame_annuel(donnees: _Donnees) -> pd.DataFrame:
    colonnes: dict[str, Any] = _identites(donnees, COLONNES_AF)
    colonnes.update(donnees.tableau.annuel)
    colonnes["statut_consommation"] = pd.Series(donnees.tableau.statut_consommation, dtype=object)
    colonnes["as_of"] = donnees.as_of
    df = pd.DataFrame(colonnes, columns=list(COLONNES_ANNUELLES))
    return _typer(df, _FLOATS_ANNUELS, _ENTIERS_ANNUELS)


def indicateurs(
    engine: Engine, scope: Scope, filtres: Filtres
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`indicateurs_annuels` and :func:`indicateurs_mensuels` of one read: one SQL pass
    and one computation give both frames (a tab shows annual and monthly figures of the same
    selection)."""
    donnees = _charger(engine, scope, filtres)
    return _frame_annuel(donnees), _frame_mensuel(donnees)


def indicateurs_mensuels(engine: Engine, scope: Scope, filtres: Filtres) -> pd.DataFrame:
    """One row per AF × month (12 per AF) of ``filtres.annee``: :data:`COLONNES_MENSUELLES`.

    ``etat`` is ``None`` for a month with nothing entered (non saisi); ``etp_mensuel_realise``
    is NaN unless the month is validated and not after the as-of month (``valide``).
    """
    return _frame_mensuel(_charger(engine, scope, filtres))


def _frame_mensuel(donnees: _Donnees) -> pd.DataFrame:
    t = donnees.tableau
    colonnes_af = [c for c in COLONNES_MENSUELLES if c not in COLONNES_MOIS and c != "as_of"]
    # the identity frame built once (pandas infers each column's type, as for the annual
    # frame), then each AF's row taken twelve times
    identites = pd.DataFrame(_identites(donnees, colonnes_af), columns=colonnes_af)
    repetees = identites.take(np.repeat(np.arange(len(donnees)), 12)).reset_index(drop=True)
    colonnes: dict[str, Any] = {c: repetees[c] for c in colonnes_af}
    colonnes["mois"] = np.tile(MOIS, len(donnees))
    colonnes["conventionne"] = t.conventionne.ravel()
    colonnes["etp_mensuel_conventionne"] = t.etp_mensuel_conventionne.ravel()
    colonnes["etat"] = pd.Series(t.etat.ravel(), dtype=object)
    colonnes["heures"] = t.heures.ravel()
    colonnes["nb_salaries"] = t.nb_salaries.ravel()
    colonnes["valide"] = t.valide.ravel()
    colonnes["etp_mensuel_realise"] = t.etp_mensuel_realise.ravel()
    colonnes["taux_realisation_mensuel"] = t.taux_realisation_mensuel.ravel()
    colonnes["as_of"] = donnees.as_of
    df = _typer(
        pd.DataFrame(colonnes, columns=list(COLONNES_MENSUELLES)),
        (*_FLOATS_MENSUELS, "taux_realisation_mensuel"),
        ("id_annexe_financiere", "structure_id", "annee", "mois", "nb_salaries"),
    )
    df["conventionne"] = df["conventionne"].astype(bool)
    df["valide"] = df["valide"].astype(bool)
    return df


def lire_realises_par_numero(engine: Engine, scope: Scope, filtres: Filtres) -> RealisesParNumero:
    """What :func:`etp.aggregation.realises_par_numero` gives on :func:`indicateurs_mensuels`
    of the same scope and filters (realised ETP of the validated conventioned months, per AF
    number and month), read and computed as :func:`_charger` does, but narrower: the columns
    the rule needs, no frame, and the kept months in the frame's row order (AF, then month),
    so that the sums are the same to the last bit. The funders' tab needs nothing else of last
    year (N−1 comparison, seasonal profile)."""
    if scope.is_empty():
        return realises_par_numero(pd.DataFrame())
    af = AnnexeFinanciere
    annee = filtres.annee
    as_of = filtres.as_of if filtres.as_of is not None else as_of_par_defaut(engine)
    stmt_af = (
        _avec_mois(
            select(
                af.id, af.numero, af.date_debut, af.date_fin, af.duree_heure_annuel_etp,
                *_MOIS,
            ),
            annee,
        )
        .where(_af_selection(scope, filtres))
        .order_by(af.departement_code, af.numero, af.id)
    )  # fmt: skip
    with engine.connect() as conn:
        lignes_af = lignes_brutes(conn, stmt_af)
    if not lignes_af:
        return realises_par_numero(pd.DataFrame())
    ids, numeros, debuts, fins, h = list(zip(*(ligne[:5] for ligne in lignes_af), strict=True))
    sans = [None] * len(ids)  # C and the aid play no part in the realised ETP
    etats = deballer([ligne[5:8] for ligne in lignes_af])
    t = calculer(_dates(debuts), _dates(fins), sans, h, sans, etats, annee, as_of)
    garde = t.conventionne & ~np.isnan(t.etp_mensuel_realise)
    position, mois = np.nonzero(garde)  # row-major: AF after AF, months in order
    numero = np.asarray(numeros, dtype=object)[position]
    return par_numero(numero, MOIS[mois], t.etp_mensuel_realise[garde])


def _json_value(value: Any) -> Any:
    """A JSON-ready value: ISO date, ``None`` for NaN/NA, plain Python numbers."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    return value


_ENTIERS_JSON = {"nb_mois_conventionnes", "nb_mois_valides", "mois"}


def indicateurs_json(engine: Engine, scope: Scope, filtres: Filtres) -> list[dict[str, Any]]:
    """The list printed by ``suivi-etp indicators --format json`` (issue 2, item 5).

    ISO dates, unrounded numbers, ``null`` for missing values, and ``mois``: twelve objects.
    """
    donnees = _charger(engine, scope, filtres)
    t = donnees.tableau
    annuels = {k: v.tolist() for k, v in t.annuel.items()}
    annuels["statut_consommation"] = t.statut_consommation
    conventionne = t.conventionne.tolist()
    c_mois = t.etp_mensuel_conventionne.tolist()
    etat = t.etat.tolist()
    heures = t.heures.tolist()
    realise = t.etp_mensuel_realise.tolist()
    sortie = []
    for i in range(len(donnees)):
        objet = {}
        for cle in CLES_JSON:
            source = donnees.identites[cle] if cle in donnees.identites else annuels[cle]
            valeur = _json_value(source[i])
            objet[cle] = int(valeur) if cle in _ENTIERS_JSON else valeur
        objet["mois"] = [
            {
                "mois": m + 1,
                "conventionne": conventionne[i][m],
                "etp_mensuel_conventionne": c_mois[i][m],
                "etat": etat[i][m],
                "heures": _json_value(heures[i][m]),
                "etp_mensuel_realise": _json_value(realise[i][m]),
            }
            for m in range(12)
        ]
        sortie.append(objet)
    return sortie


def options_filtres(engine: Engine, scope: Scope, filtres: Filtres) -> dict[str, list[tuple]]:
    """Choices of the filter bar, within the scope and the year, cascading.

    Keys ``regions``, ``departements``, ``types``, ``structures``, ``numeros_af``, each a sorted
    list of ``(value, label)``. A chosen région narrows the départements, a département the
    structures, a structure the AF numbers; the type narrows structures and AF numbers.
    """
    vide: dict[str, list[tuple]] = {
        "regions": [],
        "departements": [],
        "types": [],
        "structures": [],
        "numeros_af": [],
    }
    if scope.is_empty():
        return vide
    af = AnnexeFinanciere
    base = and_(af.compte.is_(True), scope.af_condition(af), _annee_condition(filtres.annee))
    par_region = and_(base, af.region_code == filtres.region) if filtres.region else base
    par_dep = (
        and_(par_region, af.departement_code == filtres.departement)
        if filtres.departement
        else par_region
    )
    par_type = (
        and_(par_dep, af.type_structure == filtres.type_structure)
        if filtres.type_structure
        else par_dep
    )
    par_structure = (
        and_(par_type, af.structure_id == int(filtres.structure_id))
        if filtres.structure_id is not None
        else par_type
    )
    with engine.connect() as conn:
        regions = conn.execute(
            select(af.region_code, Region.libelle)
            .outerjoin(Region, Region.code == af.region_code)
            .where(base, af.region_code.is_not(None))
            .distinct()
        ).all()
        deps = conn.execute(
            select(af.departement_code, Departement.libelle)
            .outerjoin(Departement, Departement.code == af.departement_code)
            .where(par_region)
            .distinct()
        ).all()
        types = conn.execute(select(af.type_structure).where(par_dep).distinct()).scalars().all()
        structures = conn.execute(
            select(af.structure_id, Structure.denomination, Structure.siret)
            .outerjoin(Structure, Structure.id == af.structure_id)
            .where(par_type)
            .distinct()
        ).all()
        numeros = conn.execute(select(af.numero).where(par_structure).distinct()).scalars().all()
    mesures = {
        m.type_structure: m.libelle
        for m in referentiel.mesures().values()
        if not m.milieu_penitentiaire
    }
    return {
        "regions": sorted(((c, lib or c) for c, lib in regions), key=lambda o: cle_fr(o[1])),
        "departements": sorted(
            ((c, f"{c} - {lib}" if lib else c) for c, lib in deps), key=_cle_departement
        ),
        "types": [(t, f"{t} - {mesures[t]}" if t in mesures else t) for t in sorted(types)],
        "structures": sorted(
            (
                (i, f"{nom or i} - {siret}" if siret else f"{nom or i}")
                for i, nom, siret in structures
            ),
            key=lambda o: cle_fr(o[1]),
        ),
        "numeros_af": [(n, n) for n in sorted(numeros)],
    }


def _cle_departement(option: tuple[str, str]) -> tuple[float, str]:
    """Numeric order, ``2A``/``2B`` between 19 and 21, overseas (971...) last."""
    code = option[0]
    corse = {"2A": 20.1, "2B": 20.2}
    if code in corse:
        return (corse[code], code)
    return (float(code) if que_des_chiffres(code) else 9999.0, code)
