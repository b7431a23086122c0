"""The writer produces the real fluxIAE format (domain.md §2)."""

from __future__ import annotations

import gzip
import zipfile
from datetime import date, datetime

import pytest

from etp.fluxiae import COLUMNS, write_vue
from etp.fluxiae.writer import format_value

WHEN = datetime(2022, 3, 1, 12, 30, 5)


def test_plain_file_layout(tmp_path):
    path = write_vue(
        tmp_path,
        "Structure",
        [{"structure_id_siae": 190, "structure_denomination": "ACI Test"}],
        extract_date=WHEN,
    )
    assert path.name == "fluxIAE_Structure_01032022_123005.csv"
    lines = path.read_bytes().split(b"\n")
    ncols = len(COLUMNS["Structure"])
    assert lines[0] == b"DEBStructure01032022_123005" + b"|" * (ncols - 1)
    assert lines[1].decode().split("|") == list(COLUMNS["Structure"])
    row = lines[2].decode().split("|")
    assert len(row) == ncols
    assert row[COLUMNS["Structure"].index("structure_id_siae")] == "190"
    assert lines[3] == b"FIN1" + b"|" * (ncols - 1)
    assert lines[4] == b""  # final LF, no CR anywhere
    assert b"\r" not in path.read_bytes()


def test_without_deb_and_fin_and_with_chosen_columns(tmp_path):
    path = write_vue(
        tmp_path / "x.csv",
        "EtatMensuelIndiv",
        [{"emi_dsm_id": 1, "emi_afi_id": 2}],
        columns=["emi_dsm_id", "emi_afi_id"],
        deb=False,
        fin=False,
    )
    assert path.read_text() == "emi_dsm_id|emi_afi_id\n1|2\n"


def test_compressions(tmp_path):
    gz = write_vue(tmp_path, "EtatMensuelIndiv", [], compression="gzip", extract_date=WHEN)
    assert gz.name.endswith(".csv.gz")
    assert gzip.decompress(gz.read_bytes()).startswith(b"DEBEtatMensuelIndiv")
    (tmp_path / "z").mkdir()
    pk = write_vue(tmp_path / "z", "Structure", [], compression="pkzip", extract_date=WHEN)
    assert pk.read_bytes()[:4] == b"PK\x03\x04"
    with zipfile.ZipFile(pk) as archive:
        assert archive.namelist() == ["fluxIAE_Structure_01032022_123005.csv"]


def test_values_as_the_asp_writes_them():
    assert format_value(None) == ""
    assert format_value(date(2022, 1, 31)) == "31/01/2022"
    assert format_value(datetime(2022, 1, 31, 8, 5, 0)) == "31/01/2022 08:05:00"
    assert format_value(151.67) == "151.67"
    assert format_value(1e-7) == "0.0000001"
    assert format_value(True) == "true"
    assert format_value('a "quoted" word') == 'a "quoted" word'
    with pytest.raises(ValueError):
        format_value("a|b")


def test_unknown_column_is_refused(tmp_path):
    with pytest.raises(ValueError, match="emi_typo"):
        write_vue(tmp_path, "EtatMensuelIndiv", [{"emi_typo": 1}])
