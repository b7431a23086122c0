"""SpreadsheetML ``<row>`` elements for the data of one table, written as plain text.

openpyxl builds everything structural (styles, header, widths, frozen pane, autofilter, the
"Périmètre" sheet); only the data rows are serialised here, because openpyxl's per-cell objects
take ~30 s for a national table of 60,000 rows × 13 columns on our servers, past a gunicorn
timeout, while this text takes a few seconds. Floats are written in their shortest round-trip
form (``repr``), so a cell reads back as exactly the frame's value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from etp.exports.columns import Colonne
from etp.exports.values import XLSX_CONVERTERS

ILLEGAL_XML = re.compile(r"[\000-\010\013\014\016-\037]")


def _cell(ref: str, style: int, value: Any) -> str:
    if isinstance(value, str):
        text = escape(ILLEGAL_XML.sub("", value))
        # inline string: a leading "=" stays text, never a formula
        return (
            f'<c r="{ref}" s="{style}" t="inlineStr">'
            f'<is><t xml:space="preserve">{text}</t></is></c>'
        )
    if isinstance(value, float):
        return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}" s="{style}"><v>{value}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{style}"><v>{to_excel(value)}</v></c>'
    raise TypeError(f"valeur inattendue pour {ref}: {value!r}")


def rows_xml(
    frame: pd.DataFrame,
    colonnes: Sequence[Colonne],
    style_ids: Sequence[int],
    first_row: int = 2,
) -> Iterator[str]:
    """One ``<row>`` string per frame row, numbered from ``first_row``; missing values are
    left out (empty cells), never written as 0."""
    letters = [get_column_letter(i) for i in range(1, len(colonnes) + 1)]
    converters: list[Callable[[Any], Any]] = [XLSX_CONVERTERS[c.kind] for c in colonnes]
    keys = [c.key for c in colonnes]
    plan = list(zip(letters, style_ids, converters, strict=True))
    for offset, values in enumerate(frame[keys].itertuples(index=False, name=None)):
        number = first_row + offset
        cells = []
        for (letter, style, convert), raw in zip(plan, values, strict=True):
            value = convert(raw)
            if value is not None:
                cells.append(_cell(f"{letter}{number}", style, value))
        yield f'<row r="{number}">{"".join(cells)}</row>'
