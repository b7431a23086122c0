"""Integers too large for their database column (a corrupted or shifted field) must be refused
like any malformed value, with file, line and column, and be recorded as a refusal; they used
to surface as a raw driver error (PostgreSQL "integer out of range", SQLite "Python int too
large") with nothing in ``import_log``."""

from __future__ import annotations

import pytest
from fluxiae_helpers import af_row, emi_row, import_logs, snapshot, write

from etp.fluxiae import FluxIAEError, import_paths


@pytest.mark.parametrize(
    ("vue", "row", "colonne", "ligne"),
    [
        ("EtatMensuelIndiv", emi_row(1, emi_afi_id=3_000_000_000), "emi_afi_id", 3),
        ("EtatMensuelIndiv", emi_row(1, emi_dsm_id=10**20), "emi_dsm_id", 3),
        ("EtatMensuelIndiv", emi_row(1, emi_pph_id=-(10**19)), "emi_pph_id", 3),
        ("AnnexeFinanciere", af_row(af_id_structure=2**31), "af_id_structure", 3),
        ("AnnexeFinanciere", af_row(af_id_annexe_financiere=2**40), "af_id_annexe_financiere", 3),
    ],
)
def test_integer_out_of_column_range_is_refused_with_line_and_column(
    engine, files, vue, row, colonne, ligne
):
    path = write(files, vue, [row])
    before = snapshot(engine)
    with pytest.raises(FluxIAEError) as info:
        import_paths(engine, [path])
    assert str(info.value).startswith(f"{path}:{ligne}: {colonne}: ")
    assert "hors limites" in str(info.value)
    assert snapshot(engine) == before
    assert import_logs(engine)[-1]["statut"] == "refuse"


def test_largest_32_bit_af_id_still_imports(engine, files):
    path = write(files, "AnnexeFinanciere", [af_row(af_id_annexe_financiere=2**31 - 1)])
    assert import_paths(engine, [path]).files[0].rows_kept == 1


def test_hours_too_large_for_the_sum_are_refused_with_line_and_column(engine, files):
    path = write(
        files, "EtatMensuelIndiv", [emi_row(1), emi_row(2, emi_nb_heures_travail=10.0**17)]
    )
    before = snapshot(engine)
    with pytest.raises(FluxIAEError) as info:
        import_paths(engine, [path])
    assert str(info.value).startswith(f"{path}:4: emi_nb_heures_travail: ")
    assert snapshot(engine) == before
