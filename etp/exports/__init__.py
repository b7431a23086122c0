"""Downloads of the dashboard's results: xlsx and csv builders, file names (no Dash here).

The callbacks re-run the card's own ``etp`` call on the server, then hand the frame and its
column specs to :func:`to_xlsx` / :func:`to_csv`; the browser never supplies the data.
"""

from etp.exports.columns import KINDS, Colonne, ExportSheet, Kind, Perimetre, du_catalogue
from etp.exports.csv_fr import to_csv
from etp.exports.names import (
    export_filename,
    scope_slug,
    selection_slug,
    slugify,
    structure_slug,
)
from etp.exports.xlsx import PERIMETRE_SHEET, number_format, perimetre_rows, sheet_names, to_xlsx

__all__ = [
    "KINDS",
    "PERIMETRE_SHEET",
    "Colonne",
    "ExportSheet",
    "Kind",
    "Perimetre",
    "du_catalogue",
    "export_filename",
    "number_format",
    "perimetre_rows",
    "scope_slug",
    "selection_slug",
    "sheet_names",
    "slugify",
    "structure_slug",
    "to_csv",
    "to_xlsx",
]
