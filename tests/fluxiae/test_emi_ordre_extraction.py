"""An older EtatMensuelIndiv extraction imported after a newer one must not roll months back.

The importer skips a file whose content was already imported, but an *older, different* file
(an earlier monthly delivery re-played by mistake, or deliveries imported out of order in
separate calls) used to replace the newer AF-months: a VALIDE month went back to SAISI and
its realised ETP disappeared from the screens.
"""

from __future__ import annotations

from datetime import datetime

from fluxiae_helpers import emi_row, write
from sqlalchemy import select
from sqlalchemy.orm import Session

from etp.fluxiae import import_paths
from etp.schema import EtatMensuel

EMI = "EtatMensuelIndiv"


def _months(engine) -> dict[tuple[int, int, int], tuple[str, float]]:
    with Session(engine) as session:
        return {
            (e.af_id, e.annee, e.mois): (e.etat, e.heures)
            for e in session.scalars(select(EtatMensuel))
        }


def test_older_extraction_after_newer_keeps_newer_months(engine, files):
    (files / "avril").mkdir()
    (files / "mars").mkdir()
    newer = [emi_row(1, emi_nb_heures_travail=100)]  # January VALIDE in April's extraction
    write(files / "avril", EMI, newer, extract_date=datetime(2022, 4, 1))
    older = [
        emi_row(1, emi_esm_etat_code="SAISI", emi_nb_heures_travail=80),  # January, stale
        emi_row(2, emi_sme_mois=2, emi_esm_etat_code="SAISI", emi_nb_heures_travail=7),
    ]
    write(files / "mars", EMI, older, extract_date=datetime(2022, 3, 1))

    import_paths(engine, [files / "avril"])
    report = import_paths(engine, [files / "mars"]).files[0]

    months = _months(engine)
    assert months[(1000, 2022, 1)] == ("VALIDE", 100)
    assert months[(1000, 2022, 2)] == ("SAISI", 7)  # nothing newer for February: imported
    assert report.rows_read == 2
    assert report.rows_kept == 1
    assert sum(report.skipped.values()) == 1  # the stale row is counted, not silently dropped


def test_same_or_later_extraction_still_replaces(engine, files):
    (files / "a").mkdir()
    (files / "b").mkdir()
    write(
        files / "a", EMI, [emi_row(1, emi_esm_etat_code="SAISI")], extract_date=datetime(2022, 3, 1)
    )
    write(
        files / "b", EMI, [emi_row(2, emi_nb_heures_travail=10)], extract_date=datetime(2022, 3, 1)
    )
    import_paths(engine, [files / "a"])
    import_paths(engine, [files / "b"])
    assert _months(engine)[(1000, 2022, 1)] == ("VALIDE", 10)


def test_older_extraction_after_newer_in_one_call_is_order_independent(engine, files):
    newer = write(
        files, EMI, [emi_row(1, emi_nb_heures_travail=100)], extract_date=datetime(2022, 4, 1)
    )
    older = write(
        files, EMI, [emi_row(2, emi_esm_etat_code="SAISI")], extract_date=datetime(2022, 3, 1)
    )
    import_paths(engine, [newer, older])
    assert _months(engine)[(1000, 2022, 1)] == ("VALIDE", 100)
