"""Excel workbook of one or more cards, plus the "Périmètre" sheet that says what it contains.

openpyxl builds the workbook (styles, header, widths, frozen pane, autofilter, "Périmètre");
the data rows are then spliced in as text by :mod:`etp.exports.sheet_rows`, so that a national
table of ~60,000 rows exports in seconds. Cells keep full precision; the display format only
rounds what is shown, exactly like the screen.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from etp.exports.columns import Colonne, ExportSheet, Perimetre
from etp.exports.sheet_rows import rows_xml
from etp.exports.values import XLSX_CONVERTERS, as_date

PARIS = ZoneInfo("Europe/Paris")
PERIMETRE_SHEET = "Périmètre"

NUMBER_FORMATS: dict[str, str] = {
    "etp": "0.00",
    "pct": "0 %",
    "euros": '#,##0.00 "€"',
    "int": "0",
    "date": "dd/mm/yyyy",
    "mois": "mmmm yyyy",  # only applies when the month is given as a date
    "text": "General",
}
EUROS_ENTIERS = '#,##0 "€"'
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
SECTION_FONT = Font(bold=True)

MIN_WIDTH, MAX_WIDTH, WIDTH_SAMPLE = 8, 60, 500
NUMERIC_WIDTH = {"etp": 11, "pct": 8, "euros": 15, "int": 9, "date": 12, "mois": 15, "text": 10}
_DIMENSION = re.compile(r"<dimension [^>]*/>")
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def number_format(colonne: Colonne) -> str:
    """The Excel display format of ``colonne`` (the value itself is never rounded)."""
    if colonne.kind == "euros" and colonne.decimales == 0:
        return EUROS_ENTIERS
    return NUMBER_FORMATS[colonne.kind]


def sheet_names(names: Iterable[str]) -> list[str]:
    """Valid, unique Excel sheet names (31 chars, no ``[]:*?/\\``), never "Périmètre"."""
    used = {PERIMETRE_SHEET.casefold()}
    result = []
    for raw in names:
        base = _FORBIDDEN.sub("-", raw).strip("' ") or "Tableau"
        name, n = base[:31], 1
        while name.casefold() in used:
            n += 1
            suffix = f" ({n})"
            name = base[: 31 - len(suffix)] + suffix
        used.add(name.casefold())
        result.append(name)
    return result


def _width(colonne: Colonne, sample: Sequence[Any]) -> float:
    title = min(len(colonne.titre), 30)  # longer titles wrap in the header row
    if colonne.kind == "text" or (colonne.kind == "mois" and sample):
        longest = max((len(str(v)) for v in sample if v is not None), default=0)
    else:
        longest = NUMERIC_WIDTH[colonne.kind]
    return float(max(MIN_WIDTH, min(MAX_WIDTH, max(title, longest) + 2)))


def _prepare_table(ws: Worksheet, sheet: ExportSheet) -> list[int]:
    """Header, widths, frozen pane and autofilter; returns the style id of each column's cells.

    The style ids are obtained from probe cells in row 2, which are then deleted: the data rows
    are spliced in afterwards (see :mod:`etp.exports.sheet_rows`).
    """
    colonnes = list(sheet.colonnes)
    frame = sheet.frame[[c.key for c in colonnes]]
    head = frame.head(WIDTH_SAMPLE)
    for idx, colonne in enumerate(colonnes, 1):
        convert = XLSX_CONVERTERS[colonne.kind]
        sample = [convert(v) for v in head.iloc[:, idx - 1].tolist()]
        ws.column_dimensions[get_column_letter(idx)].width = _width(colonne, sample)
        cell = ws.cell(row=1, column=idx, value=colonne.titre)
        cell.data_type = "s"
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
    ws.freeze_panes = "A2"
    if colonnes:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(colonnes))}{len(frame) + 1}"
    style_ids = []
    for idx, colonne in enumerate(colonnes, 1):
        probe = ws.cell(row=2, column=idx)
        probe.number_format = number_format(colonne)
        style_ids.append(probe.style_id)
    ws.delete_rows(2)
    return style_ids


def _paris(moment: datetime) -> datetime:
    """Naive Europe/Paris wall time (Excel has no time zones); naive input is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(PARIS).replace(tzinfo=None)


def perimetre_rows(
    perimetre: Perimetre, sheets: Sequence[tuple[str, str]]
) -> list[tuple[str, Any]]:
    """The (label, value) lines of the "Périmètre" sheet; ``""`` labels are section breaks.

    ``sheets`` are (sheet name, card title). Pure, so tests read it without opening a file.
    """
    application = f"{perimetre.application} {perimetre.version}".strip()
    donnees = as_date(perimetre.date_donnees) if perimetre.date_donnees else "inconnue"
    rows: list[tuple[str, Any]] = [
        ("Application", application),
        ("Périmètre de l'utilisateur", perimetre.perimetre_utilisateur or "Aucun périmètre"),
        ("Données à jour au", donnees),
        ("Extraction le (heure de Paris)", _paris(perimetre.extraction)),
        ("", ""),
        ("Filtres", ""),
    ]
    rows += list(perimetre.filtres) or [("Aucun filtre", "")]
    rows += [("", ""), ("Contenu", "")]
    rows += [(f"Onglet « {name} »", titre) for name, titre in sheets]
    rows += [
        ("", ""),
        ("Remarques", ""),
        ("Valeurs", "non arrondies : l'affichage est arrondi, la cellule garde la valeur exacte"),
        ("Mois pris en compte", "seuls les mois validés comptent dans le réalisé"),
        ("Deux derniers mois", "souvent incomplets (déclarations tardives)"),
        *perimetre.remarques,
    ]
    return rows


SECTIONS = {"Filtres", "Contenu", "Remarques"}


def _write_perimetre(ws: Worksheet, rows: list[tuple[str, Any]]) -> None:
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 70
    for number, (label, value) in enumerate(rows, 1):
        if label:
            first = ws.cell(row=number, column=1, value=label)
            first.data_type = "s"
            if label in SECTIONS or label == "Application":
                first.font = SECTION_FONT
        if value is None or value == "":
            continue
        second = ws.cell(row=number, column=2, value=value)
        if isinstance(value, str):
            second.data_type = "s"  # a filter value (a denomination) is never a formula
        elif isinstance(value, datetime):
            second.number_format = DATETIME_FORMAT
        else:
            second.number_format = NUMBER_FORMATS["date"]


def _splice(workbook_bytes: bytes, tables: list[tuple[str, ExportSheet, list[int]]]) -> bytes:
    """Copy the archive, inserting each table's data rows before ``</sheetData>``."""
    by_path = {path: (sheet, styles) for path, sheet, styles in tables}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook_bytes)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename not in by_path:
                target.writestr(info, data)
                continue
            sheet, styles = by_path[info.filename]
            xml = data.decode("utf-8")
            last_col = get_column_letter(max(len(sheet.colonnes), 1))
            xml = _DIMENSION.sub(f'<dimension ref="A1:{last_col}{len(sheet.frame) + 1}"/>', xml, 1)
            xml = xml.replace("<sheetData/>", "<sheetData></sheetData>", 1)
            before, marker, after = xml.partition("</sheetData>")
            if not marker:
                raise ValueError(f"feuille sans <sheetData> : {info.filename}")
            with target.open(info.filename, "w") as stream:
                stream.write(before.encode("utf-8"))
                chunk: list[str] = []
                for row in rows_xml(sheet.frame, sheet.colonnes, styles):
                    chunk.append(row)
                    if len(chunk) == 2000:
                        stream.write("".join(chunk).encode("utf-8"))
                        chunk = []
                stream.write(("".join(chunk) + marker + after).encode("utf-8"))
    return out.getvalue()


def to_xlsx(sheets: Sequence[ExportSheet], perimetre: Perimetre) -> bytes:
    """One sheet per card (frozen bold header, formats, widths, autofilter), then "Périmètre"."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    names = sheet_names(s.nom for s in sheets)
    tables = []
    for name, sheet in zip(names, sheets, strict=True):
        ws = workbook.create_sheet(title=name)
        tables.append((ws, sheet, _prepare_table(ws, sheet)))
    rows = perimetre_rows(perimetre, [(n, s.titre) for n, s in zip(names, sheets, strict=True)])
    _write_perimetre(workbook.create_sheet(title=PERIMETRE_SHEET), rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    # a sheet's path inside the archive is only known once openpyxl has saved it
    paths = [(ws.path.lstrip("/"), sheet, styles) for ws, sheet, styles in tables]
    return _splice(buffer.getvalue(), paths)
