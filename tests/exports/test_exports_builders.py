"""The xlsx and csv builders, read back with openpyxl and the csv module."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, date, datetime

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etp.exports import (
    PERIMETRE_SHEET,
    Colonne,
    ExportSheet,
    Perimetre,
    export_filename,
    sheet_names,
    slugify,
    to_csv,
    to_xlsx,
)
from etp.exports.values import decimal_fr

# The user guide's worked example (domain.md §4): EI 1, 28 ETP conventioned March-December.
REALISE = [5.0, 10.0, 20.0, 20.0, 20.0, 28.0]
MOYENNE = sum(REALISE) / 6  # 17.166666666666668
ANNUEL_CONV = 28 * 10 / 12  # 23.333333333333332
ANNUEL_REAL = sum(REALISE) / 12  # 8.583333333333334

COLONNES = (
    Colonne("numero", "Numéro d'annexe financière"),
    Colonne("denomination", "Dénomination structure"),
    Colonne("mois", "Mois", "mois"),
    Colonne("etp_conv", "Effectif mensuel conventionné (en ETP)", "etp"),
    Colonne("etp_real", "Effectif mensuel réalisé moyen (en ETP)", "etp"),
    Colonne("taux", "% de réalisation", "pct"),
    Colonne("montant", "Montant (€)", "euros"),
    Colonne("nb", "Salariés", "int"),
    Colonne("debut", "Début d'effet", "date"),
)


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "numero": ["EI035260001", "ACI035260002", "AI035260003"],
            "denomination": ["EI 1", '=HYPERLINK("http://x";"clic")', "-moins"],
            "mois": [8, 9, 12],
            "etp_conv": [28.0, ANNUEL_CONV, 4.0],
            "etp_real": [MOYENNE, ANNUEL_REAL, float("nan")],
            "taux": [ANNUEL_REAL / ANNUEL_CONV, 1 / 3, None],
            "montant": [ANNUEL_CONV * 10_999.99, 1234.5, None],
            "nb": [12, 3, 0],
            "debut": [pd.Timestamp("2022-03-01"), date(2022, 1, 1), pd.NaT],
            "ignored": ["not", "exported", "!"],
        }
    )


PERIMETRE = Perimetre(
    filtres=(("Année", "2022"), ("Département du conventionnement", "35 - Ille-et-Vilaine")),
    perimetre_utilisateur="DDETS 35 - Ille-et-Vilaine",
    date_donnees=datetime(2022, 10, 14, 8, 30),
    extraction=datetime(2026, 11, 29, 10, 5, tzinfo=UTC),
    version="9.9.9",
)


def workbook(sheets: list[ExportSheet]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(to_xlsx(sheets, PERIMETRE)))


def test_xlsx_cells_equal_the_frame_unrounded() -> None:
    df = frame()
    wb = workbook([ExportSheet("Effectif mensuel", "Effectif mensuel (en ETP)", df, COLONNES)])
    ws = wb["Effectif mensuel"]
    assert [c.value for c in ws[1]] == [c.titre for c in COLONNES]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(df)
    got = pd.DataFrame(rows, columns=[c.key for c in COLONNES])
    for key in ("etp_conv", "etp_real", "taux", "montant"):
        expected = df[key].astype(float).tolist()
        actual = [float("nan") if v is None else v for v in got[key]]
        assert pd.Series(actual).equals(pd.Series(expected)), key  # exact, NaN == NaN
    assert got.loc[0, "etp_real"] == 17.166666666666668
    assert got.loc[1, "etp_real"] == 8.583333333333334
    assert got["nb"].tolist() == [12, 3, 0]
    assert got["mois"].tolist() == ["août", "septembre", "décembre"]
    assert got["debut"].tolist()[:2] == [datetime(2022, 3, 1), datetime(2022, 1, 1)]
    assert rows[2][8] is None  # NaT -> empty cell
    assert got["numero"].tolist() == df["numero"].tolist()


def test_xlsx_formats_header_and_layout() -> None:
    wb = workbook([ExportSheet("Effectif mensuel", "Effectif mensuel", frame(), COLONNES)])
    ws = wb["Effectif mensuel"]
    formats = {c.key: ws.cell(row=2, column=i).number_format for i, c in enumerate(COLONNES, 1)}
    assert formats["etp_conv"] == formats["etp_real"] == "0.00"
    assert formats["taux"] == "0 %"
    assert formats["montant"] == '#,##0.00 "€"'
    assert formats["nb"] == "0"
    assert formats["debut"] == "dd/mm/yyyy"
    assert ws.cell(row=2, column=9).is_date
    assert all(cell.font.b for cell in ws[1])
    assert not ws.cell(row=2, column=1).font.b
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:I4"
    widths = [ws.column_dimensions[chr(ord("A") + i)].width for i in range(len(COLONNES))]
    assert all(8 <= w <= 60 for w in widths)
    assert widths[1] > widths[7]  # a denomination is wider than a head count


def test_xlsx_euros_without_decimals() -> None:
    cols = (Colonne("montant", "Enveloppe (€)", "euros", decimales=0),)
    ws = workbook([ExportSheet("A", "A", frame(), cols)])["A"]
    assert ws["A2"].number_format == '#,##0 "€"'
    assert ws["A2"].value == frame()["montant"][0]


def test_xlsx_text_that_looks_like_a_formula_stays_text() -> None:
    data = to_xlsx([ExportSheet("A", "A", frame(), COLONNES)], PERIMETRE)
    ws = openpyxl.load_workbook(io.BytesIO(data))["A"]
    assert ws["B3"].value == '=HYPERLINK("http://x";"clic")'
    assert ws["B3"].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name)


def test_xlsx_perimetre_sheet() -> None:
    wb = workbook(
        [
            ExportSheet("Effectif mensuel", "Effectif mensuel (en ETP)", frame(), COLONNES),
            ExportSheet("Annuel", "Effectif annuel (en ETP)", frame(), COLONNES[:2]),
        ]
    )
    assert wb.sheetnames == ["Effectif mensuel", "Annuel", PERIMETRE_SHEET]
    ws = wb[PERIMETRE_SHEET]
    lines = {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row[0]}
    assert lines["Application"] == "Suivi ETP 9.9.9"
    assert lines["Périmètre de l'utilisateur"] == "DDETS 35 - Ille-et-Vilaine"
    assert lines["Données à jour au"] == datetime(2022, 10, 14)
    # 10:05 UTC on 29 November is 11:05 in Paris (winter time)
    assert lines["Extraction le (heure de Paris)"] == datetime(2026, 11, 29, 11, 5)
    assert lines["Année"] == "2022"
    assert lines["Département du conventionnement"] == "35 - Ille-et-Vilaine"
    assert lines["Onglet « Effectif mensuel »"] == "Effectif mensuel (en ETP)"
    assert lines["Onglet « Annuel »"] == "Effectif annuel (en ETP)"
    date_cell = next(r[1] for r in ws.iter_rows() if r[0].value == "Données à jour au")
    assert date_cell.number_format == "dd/mm/yyyy"


def test_xlsx_perimetre_summer_time_and_no_filter() -> None:
    perimetre = Perimetre((), "", None, datetime(2026, 7, 1, 10, 0, tzinfo=UTC))
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx([], perimetre)))
    lines = {r[0]: r[1] for r in wb[PERIMETRE_SHEET].iter_rows(values_only=True) if r[0]}
    assert lines["Extraction le (heure de Paris)"] == datetime(2026, 7, 1, 12, 0)
    assert lines["Données à jour au"] == "inconnue"
    assert lines["Périmètre de l'utilisateur"] == "Aucun périmètre"
    assert "Aucun filtre" in lines


def test_xlsx_empty_table_keeps_its_header() -> None:
    ws = workbook([ExportSheet("Vide", "Vide", frame().iloc[0:0], COLONNES)])["Vide"]
    assert ws.max_row == 1
    assert [c.value for c in ws[1]] == [c.titre for c in COLONNES]
    assert ws.auto_filter.ref == "A1:I1"


def test_xlsx_many_rows_read_back_in_order() -> None:
    n = 3_000
    df = pd.DataFrame(
        {"numero": [f"AF{i}" for i in range(n)], "etp_real": [i / 7 for i in range(n)]}
    )
    cols = (COLONNES[0], COLONNES[4])
    ws = workbook([ExportSheet("Gros", "Gros", df, cols)])["Gros"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert rows == list(zip(df["numero"], df["etp_real"], strict=True))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=1, max_size=20))
def test_xlsx_any_float_round_trips(values: list[float]) -> None:
    df = pd.DataFrame({"v": values})
    ws = workbook([ExportSheet("F", "F", df, (Colonne("v", "V", "etp"),))])["F"]
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == values


def test_sheet_names_are_valid_and_unique() -> None:
    names = sheet_names(["Détail: conso/mois [ETP]", "x" * 40, "x" * 40, "périmètre", ""])
    assert names[0] == "Détail- conso-mois -ETP-"
    assert names[1] == "x" * 31
    assert names[2] == "x" * 27 + " (2)"
    assert names[3] == "périmètre (2)"
    assert names[4] == "Tableau"
    assert all(len(n) <= 31 for n in names)


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_csv_french_excel_format() -> None:
    data = to_csv(frame(), COLONNES)
    assert data.count(b"\r\n") == 4 and data.count(b"\n") == 4  # CRLF everywhere
    rows = read_csv(data)
    assert rows[0] == [c.titre for c in COLONNES]
    first = dict(zip([c.key for c in COLONNES], rows[1], strict=True))
    assert first["etp_real"] == "17,166666666666668"
    assert first["etp_conv"] == "28"
    assert first["mois"] == "août"
    assert first["nb"] == "12"
    assert first["debut"] == "01/03/2022"
    third = dict(zip([c.key for c in COLONNES], rows[3], strict=True))
    assert third["etp_real"] == third["taux"] == third["montant"] == third["debut"] == ""
    assert third["nb"] == "0"


def test_csv_values_read_back_equal_the_frame() -> None:
    df = frame()
    rows = read_csv(to_csv(df, COLONNES))
    keys = [c.key for c in COLONNES]
    for line, (_, expected) in zip(rows[1:], df.iterrows(), strict=True):
        got = dict(zip(keys, line, strict=True))
        for key in ("etp_conv", "etp_real", "taux", "montant"):
            if pd.isna(expected[key]):
                assert got[key] == ""
            else:
                assert float(got[key].replace(",", ".")) == expected[key]


def test_csv_neutralises_formulas() -> None:
    rows = read_csv(to_csv(frame(), COLONNES))
    assert rows[2][1] == '\'=HYPERLINK("http://x";"clic")'
    assert rows[3][1] == "'-moins"


def test_csv_and_xlsx_share_titles() -> None:
    ws = workbook([ExportSheet("A", "A", frame(), COLONNES)])["A"]
    assert read_csv(to_csv(frame(), COLONNES))[0] == [c.value for c in ws[1]]


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_decimal_comma_round_trips_without_exponent(value: float) -> None:
    text = decimal_fr(value)
    assert "e" not in text.lower() and "." not in text
    assert float(text.replace(",", ".")) == value


def test_export_filename() -> None:
    today = date(2026, 11, 29)
    assert (
        export_filename("effectif-mensuel", 2026, "ddets-35", today, "xlsx")
        == "suivi-etp_effectif-mensuel_2026_ddets-35_2026-11-29.xlsx"
    )
    assert (
        export_filename("Détail consommation annuelle", 2025, "DREETS Île-de-France", today, "csv")
        == "suivi-etp_detail-consommation-annuelle_2025_dreets-ile-de-france_2026-11-29.csv"
    )
    assert export_filename("Tableau", None, "", today, "png") == "suivi-etp_tableau_2026-11-29.png"
    assert slugify("L'Œuvre d'Insertion – 35") == "l-oeuvre-d-insertion-35"


def test_specs_are_checked() -> None:
    with pytest.raises(ValueError):
        Colonne("x", "X", "pourcent")  # type: ignore[arg-type]
    with pytest.raises(KeyError):
        ExportSheet("A", "A", frame(), (Colonne("absente", "Absente"),))
