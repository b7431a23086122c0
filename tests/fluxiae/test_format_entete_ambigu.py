"""Header ambiguities that used to be read silently or reported misleadingly.

- a column the importer needs appearing twice in the header: reading "by name" is then
  ambiguous (the first one was taken without a word), so the file is refused on the header line;
- a file with CR-only line endings (classic Mac) reads as one huge header: the error must say
  that the line endings are wrong, not that a column is missing.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from fluxiae_helpers import import_logs, snapshot

from etp.fluxiae import FluxIAEError, import_paths
from etp.fluxiae.writer import file_name

EMI = "EtatMensuelIndiv"
HEADER = (
    "emi_date_creation|emi_afi_id|emi_sme_mois|emi_sme_annee|emi_esm_etat_code|emi_pph_id|"
    "emi_nb_heures_travail|emi_dsm_id"
)
ROW = "03/02/2022 09:15:00|1000|1|2022|VALIDE|7|151.67|1"


def _refused(engine, path, message: str) -> None:
    before = snapshot(engine)
    with pytest.raises(FluxIAEError) as info:
        import_paths(engine, [path])
    assert str(info.value) == message
    assert snapshot(engine) == before
    assert import_logs(engine)[-1]["statut"] == "refuse"


def _raw(files, text: str):
    path = files / file_name(EMI, datetime(2022, 3, 1, 6, 30))
    path.write_bytes(text.encode())
    return path


def test_needed_column_twice_in_header_is_refused(engine, files):
    path = _raw(files, f"{HEADER}|emi_afi_id\n{ROW}|9999\n")
    _refused(engine, path, f"{path}:1: emi_afi_id: colonne présente 2 fois dans l'en-tête")


def test_unknown_column_twice_is_still_ignored(engine, files):
    path = _raw(files, f"{HEADER}|emi_inconnue|emi_inconnue\n{ROW}|a|b\n")
    report = import_paths(engine, [path]).files[0]
    assert (report.rows_read, report.rows_kept) == (1, 1)


def test_cr_only_line_endings_are_named(engine, files):
    path = _raw(files, f"{HEADER}\r{ROW}\r")
    _refused(
        engine,
        path,
        f"{path}:1: fichier: fins de ligne CR seules (format Mac) : LF attendu",
    )


def test_crlf_line_endings_are_tolerated(engine, files):
    path = _raw(files, f"{HEADER}\r\n{ROW}\r\nFIN1|||\r\n")
    report = import_paths(engine, [path]).files[0]
    assert (report.rows_read, report.rows_kept) == (1, 1)
