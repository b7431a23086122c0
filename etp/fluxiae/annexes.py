"""``fluxIAE_AnnexeFinanciere`` -> table ``annexe_financiere``: one current version per AF.

Rules (domain.md §3): per ``af_id_annexe_financiere``, among rows in ``VALIDE``, ``PROVISOIRE``
or ``CLOTURE`` keep the highest ``af_numero_avenant_modification`` (tie: highest
``af_id_avenant_modification``); an AF without such a row is kept with its latest state and
``compte=False``. That is the maximum of the key ``(compte, numero_avenant_modification,
id_avenant_modification)``, which also decides between a file and the database, so the order
in which files are imported does not matter. Exact duplicate rows, FDI rows, unknown measures
and unknown départements are set aside and counted.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from etp import referentiel
from etp.fluxiae.reader import Field
from etp.fluxiae.report import FileReport
from etp.fluxiae.values import (
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    text_of_max_length,
)
from etp.schema import AnnexeFinanciere

ETATS_COMPTES = frozenset({"VALIDE", "PROVISOIRE", "CLOTURE"})

FIELDS = (
    Field("af_id_annexe_financiere", parse_int, required=True),
    Field("af_id_avenant_modification", parse_int, required=True),
    Field("af_numero_annexe_financiere", text_of_max_length(20), required=True),
    Field("af_numero_avenant_renouvellement", parse_int, required=True),
    Field("af_numero_avenant_modification", parse_int, required=True),
    Field("af_id_structure", parse_int, required=True),
    Field("af_mesure_dispositif_code", text_of_max_length(12), required=True),
    Field("af_etat_annexe_financiere_code", text_of_max_length(16), required=True),
    Field("af_date_debut_effet", parse_date, required=True),
    Field("af_date_fin_effet", parse_date, required=True),
    Field("af_etp_postes_insertion", parse_decimal),
    Field("af_duree_heure_annuel_etp_valeur", parse_decimal),
    Field("af_montant_unitaire_annuel_valeur", parse_decimal),
    Field("af_montant_total_annuel", parse_decimal),
    Field("af_mt_cofinance", parse_decimal),
    Field("af_id_financeur_code", text_of_max_length(60), optional_column=True),
    Field("af_indic_cofinancement", parse_bool, optional_column=True),
)
(
    ID,
    ID_AVENANT,
    NUMERO,
    NUM_RENOUV,
    NUM_MODIF,
    STRUCTURE,
    MESURE,
    ETAT,
    DEBUT,
    FIN,
    ETP,
    DUREE,
    MONTANT_UNITAIRE,
    MONTANT_TOTAL,
    COFINANCE,
    FINANCEUR,
    INDIC_COFINANCEMENT,
) = range(len(FIELDS))

CHUNK = 1000
DOUBLON = "doublon exact"
FDI = "mesure FDI exclue"
MESURE_INCONNUE = "mesure inconnue"
DEPARTEMENT_INCONNU = "département inconnu"
REMPLACEE = "version remplacée"
PLUS_RECENTE_EN_BASE = "version plus récente déjà en base"
PERIODE_INVERSEE = "date de fin antérieure à la date de début (aucun mois conventionné)"

_PREFIX = re.compile(r"[A-Za-z]+")


def departement_from_numero(numero: str) -> str | None:
    """Département du conventionnement from an AF number (``ACI054180019`` -> ``54``).

    Strip the letter prefix (the type), take 3 characters, drop one leading ``0``
    (``054`` -> ``54``, ``02A`` -> ``2A``, ``971`` -> ``971``); None unless it is a known
    département of the référentiel.
    """
    prefix = _PREFIX.match(numero)
    rest = numero[prefix.end() :] if prefix else numero
    code = rest[:3].upper()
    if len(code) != 3:
        return None
    if code.startswith("0"):
        code = code[1:]
    return code if code in referentiel.departements() else None


def version_key(compte: bool, numero_modification: int, id_avenant: int) -> tuple[int, int, int]:
    """The order between versions of one AF: counted first, then latest modification."""
    return (int(compte), numero_modification, id_avenant)


def _record(values: tuple[Any, ...], departement: str, import_id: int) -> dict[str, Any]:
    mesure = referentiel.mesures()[values[MESURE]]
    return {
        "id": values[ID],
        "id_avenant_modification": values[ID_AVENANT],
        "numero": values[NUMERO],
        "numero_avenant_renouvellement": values[NUM_RENOUV],
        "numero_avenant_modification": values[NUM_MODIF],
        "structure_id": values[STRUCTURE],
        "mesure_code": mesure.code,
        "type_structure": mesure.type_structure,
        "milieu_penitentiaire": mesure.milieu_penitentiaire,
        "etat": values[ETAT],
        "compte": values[ETAT] in ETATS_COMPTES,
        "date_debut": values[DEBUT],
        "date_fin": values[FIN],
        "annee_debut": values[DEBUT].year,
        "annee_fin": values[FIN].year,
        "etp_postes_insertion": values[ETP],
        "duree_heure_annuel_etp": values[DUREE],
        "montant_unitaire_annuel": values[MONTANT_UNITAIRE],
        "montant_total_annuel": values[MONTANT_TOTAL],
        "mt_cofinance": values[COFINANCE],
        "id_financeur_code": values[FINANCEUR],
        "indic_cofinancement": values[INDIC_COFINANCEMENT],
        "departement_code": departement,
        "region_code": referentiel.region_of(departement),
        "import_id": import_id,
    }


def import_annexes(
    conn: Connection,
    rows: Iterable[tuple[int, tuple[Any, ...], list[str]]],
    report: FileReport,
    import_id: int,
) -> None:
    """Choose the current version of each AF in the file, then merge it with the database."""
    seen: set[bytes] = set()
    best: dict[int, tuple[tuple[int, int, int], dict[str, Any]]] = {}
    for _line, values, parts in rows:
        report.rows_read += 1
        digest = hashlib.sha1("|".join(parts).encode()).digest()
        if digest in seen:
            report.skipped[DOUBLON] += 1
            continue
        seen.add(digest)
        mesure = referentiel.mesures().get(values[MESURE])
        if mesure is None:
            report.skipped[MESURE_INCONNUE] += 1
            continue
        if mesure.exclue:
            report.skipped[FDI] += 1
            continue
        departement = departement_from_numero(values[NUMERO])
        if departement is None:
            report.skipped[DEPARTEMENT_INCONNU] += 1
            continue
        key = version_key(values[ETAT] in ETATS_COMPTES, values[NUM_MODIF], values[ID_AVENANT])
        current = best.get(values[ID])
        if current is not None:
            report.skipped[REMPLACEE] += 1
            if key <= current[0]:
                continue
        best[values[ID]] = (key, _record(values, departement, import_id))

    ids = sorted(best)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        stored = {
            row.id: version_key(row.compte, row.numero_avenant_modification, row.id_avenant)
            for row in conn.execute(
                select(
                    AnnexeFinanciere.id,
                    AnnexeFinanciere.compte,
                    AnnexeFinanciere.numero_avenant_modification,
                    AnnexeFinanciere.id_avenant_modification.label("id_avenant"),
                ).where(AnnexeFinanciere.id.in_(chunk))
            )
        }
        keep = []
        for af_id in chunk:
            key, record = best[af_id]
            if af_id in stored and stored[af_id] > key:
                report.skipped[PLUS_RECENTE_EN_BASE] += 1
                continue
            if record["date_fin"] < record["date_debut"]:
                report.anomalies[PERIODE_INVERSEE] += 1
            keep.append(record)
        if keep:
            conn.execute(
                delete(AnnexeFinanciere).where(AnnexeFinanciere.id.in_([r["id"] for r in keep]))
            )
            conn.execute(insert(AnnexeFinanciere), keep)
        report.rows_kept += len(keep)
