"""Helpers for importer tests: small fluxIAE files written with the real writer."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from etp.fluxiae import write_vue
from etp.schema import AnnexeFinanciere, EtatMensuel, ImportLog, Structure

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "les-emplois"

WHEN = datetime(2022, 3, 1, 6, 30, 0)
DATA_TABLES = (Structure, AnnexeFinanciere, EtatMensuel)


def af_row(**overrides: Any) -> dict[str, Any]:
    """One AnnexeFinanciere row of an ACI in Meurthe-et-Moselle, VALIDE, whole 2022."""
    row: dict[str, Any] = {
        "af_id_structure": 112,
        "af_mesure_dispositif_code": "ACI_DC",
        "af_numero_annexe_financiere": "ACI054220001",
        "af_numero_avenant_renouvellement": 0,
        "af_numero_avenant_modification": 0,
        "af_id_annexe_financiere": 1000,
        "af_id_avenant_modification": 5000,
        "af_etat_annexe_financiere_code": "VALIDE",
        "af_date_debut_effet": date(2022, 1, 1),
        "af_date_fin_effet": date(2022, 12, 31),
        "af_etp_postes_insertion": 12.5,
        "af_duree_heure_annuel_etp_valeur": 1820.0,
        "af_montant_unitaire_annuel_valeur": 21407.0,
        "af_montant_total_annuel": 267587.5,
        "af_mt_cofinance": 0.0,
    }
    row.update(overrides)
    return row


def emi_row(dsm: int, **overrides: Any) -> dict[str, Any]:
    """One EtatMensuelIndiv row (AF 1000, January 2022, VALIDE, 151.67 h)."""
    row: dict[str, Any] = {
        "emi_date_creation": datetime(2022, 2, 3, 9, 15, 0),
        "emi_afi_id": 1000,
        "emi_sme_mois": 1,
        "emi_sme_annee": 2022,
        "emi_esm_etat_code": "VALIDE",
        "emi_pph_id": 70000 + dsm,
        "emi_ctr_id": 90000 + dsm,
        "emi_nb_heures_travail": 151.67,
        "emi_dsm_id": dsm,
    }
    row.update(overrides)
    return row


def structure_row(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "structure_id_siae": 112,
        "structure_siret_actualise": "21540323900019",
        "structure_denomination": "COMMUNE DE LONGWY",
        "structure_adresse_admin_code_insee": "54323",
        "structure_adresse_admin_commune": "LONGWY",
        "structure_date_modification": datetime(2017, 11, 30),
    }
    row.update(overrides)
    return row


def write(directory: Path, vue: str, rows: list[dict[str, Any]], **kwargs: Any) -> Path:
    kwargs.setdefault("extract_date", WHEN)
    return write_vue(directory, vue, rows, **kwargs)


def snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of the data tables, sorted: two snapshots are equal iff nothing changed."""
    with engine.connect() as conn:
        return {
            model.__tablename__: sorted(
                tuple(row) for row in conn.execute(select(*model.__table__.columns))
            )
            for model in DATA_TABLES
        }


def without_import_id(snap: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """The snapshot minus the import_id column (always last), to compare data only."""
    return {name: [row[:-1] for row in rows] for name, rows in snap.items()}


def import_logs(engine: Engine) -> list[Any]:
    """The import_log rows, as mappings, oldest first."""
    table = ImportLog.__table__
    with engine.connect() as conn:
        return list(conn.execute(select(table).order_by(table.c.id)).mappings())
