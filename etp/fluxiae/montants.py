"""``fluxIAE_RefMontantIae`` -> table ``montant_rsa`` (the ``MT_ME_RSA`` rows).

The ASP's reference of amounts: ``rme_id|rmi_id|rmi_code|rmi_libelle|rmi_valeur|
rmi_date_debut_effet|rmi_date_fin_effet|code_dpt``. Only ``MT_ME_RSA`` (the monthly amount a
département pays per bRSA, 88 % of the RSA) is used; other codes are counted and set aside.
``code_dpt`` is empty except for a département with its own amount (Mayotte, 976).

The file is a whole reference (a few hundred rows): its ``MT_ME_RSA`` rows replace the stored
ones, unless those come from a later extraction. The bRSA targets read this table when they are
computed, so a file arriving after the monthly states changes them at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert

from etp import referentiel
from etp.fluxiae import staging
from etp.fluxiae.reader import Field
from etp.fluxiae.report import FileReport
from etp.fluxiae.values import parse_date, parse_decimal, parse_int, text_of_max_length
from etp.schema import MontantRsa

CODE_RSA = "MT_ME_RSA"
FIELDS = (
    Field("rme_id", parse_int, required=True),
    Field("rmi_code", text_of_max_length(40), required=True),
    Field("rmi_valeur", parse_decimal),
    Field("rmi_date_debut_effet", parse_date, required=True),
    Field("rmi_date_fin_effet", parse_date),
    Field("code_dpt", text_of_max_length(3)),
)
AUTRE_CODE = "autre montant (non utilisé)"
DOUBLON = "rme_id en double dans le fichier"
PLUS_RECENT_EN_BASE = "montants déjà en base depuis une extraction plus récente"


def code_departement(code: str) -> str | None:
    """``976`` -> ``976``, ``035``/``35`` -> ``35``, ``02A`` -> ``2A``; None if unknown."""
    code = code.strip().upper()
    while len(code) > 1 and code.startswith("0"):
        code = code[1:]
    return code if code in referentiel.departements() else None


def import_montants(
    conn: Connection,
    rows: Iterable[tuple[int, tuple[Any, ...], list[str]]],
    report: FileReport,
    import_id: int,
    error,
    extract_date: datetime | None = None,
) -> None:
    """Check every row, keep the ``MT_ME_RSA`` ones, replace the stored reference."""
    gardes: dict[int, dict[str, Any]] = {}
    for line, (rme_id, code, valeur, debut, fin, dpt), _parts in rows:
        report.rows_read += 1
        if code.strip().upper() != CODE_RSA:
            report.skipped[AUTRE_CODE] += 1
            continue
        if valeur is None or valeur <= 0:
            raise error(line, "rmi_valeur", "montant MT_ME_RSA absent ou non positif")
        if fin is not None and fin < debut:
            raise error(line, "rmi_date_fin_effet", "date de fin antérieure à la date de début")
        departement = None
        if dpt:
            departement = code_departement(dpt)
            if departement is None:
                raise error(line, "code_dpt", f"département {dpt!r} inconnu")
        if rme_id in gardes:
            report.skipped[DOUBLON] += 1
            continue
        gardes[rme_id] = {
            "id": rme_id,
            "valeur": valeur,
            "date_debut": debut,
            "date_fin": fin,
            "code_dpt": departement,
            "import_id": import_id,
        }
    if not gardes:
        return
    if staging.later_imports(conn, MontantRsa.import_id, extract_date):
        report.skipped[PLUS_RECENT_EN_BASE] += len(gardes)
        return
    conn.execute(delete(MontantRsa))
    conn.execute(insert(MontantRsa), list(gardes.values()))
    report.rows_kept += len(gardes)
