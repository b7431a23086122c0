"""CSV for French Excel: UTF-8 with BOM, ``;`` separator, decimal comma, CRLF line ends.

Excel (fr) opens such a file with a double click and reads every number as a number. Values are
written unrounded (``17,166666666666668``); fractions stay fractions (``0,3678…`` for 37 %), so
the column means the same thing as in the xlsx.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from etp.exports.columns import Colonne
from etp.exports.values import CSV_CONVERTERS

BOM = "\ufeff"
SEPARATOR = ";"
LINE_END = "\r\n"


def to_csv(frame: pd.DataFrame, columns: list[Colonne] | tuple[Colonne, ...]) -> bytes:
    """``frame`` restricted to ``columns``, titled as on screen, as UTF-8 (BOM) bytes."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=SEPARATOR, lineterminator=LINE_END)
    writer.writerow([c.titre for c in columns])
    converters = [CSV_CONVERTERS[c.kind] for c in columns]
    keys = [c.key for c in columns]
    for row in frame[keys].itertuples(index=False, name=None):
        writer.writerow([convert(v) for convert, v in zip(converters, row, strict=True)])
    return buffer.getvalue().encode("utf-8")
