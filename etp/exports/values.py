"""Per-kind conversion of DataFrame values, shared by the xlsx and csv writers.

Missing values (None, NaN, NaT, ±inf from a ratio over zero) become empty cells, never ``0``.
Numbers are never rounded here: the xlsx keeps the float and only formats it; the csv writes the
shortest text that reads back as the same float.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from etp.formatting import fmt_mois, nom_mois

OUI_NON = {True: "Oui", False: "Non"}


def is_missing(value: Any) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float | np.floating):
        return not math.isfinite(value)
    return False


def as_float(value: Any) -> float | None:
    return None if is_missing(value) else float(value)


def as_int(value: Any) -> int | float | None:
    """An integer count; a non-integral float is kept as is rather than rounded away."""
    if is_missing(value):
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def as_text(value: Any) -> str | None:
    if is_missing(value):
        return None
    if isinstance(value, bool | np.bool_):
        return OUI_NON[bool(value)]
    return str(value)


def as_date(value: Any) -> date | None:
    """A calendar date (time of day dropped); ISO strings are accepted."""
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).date()
    return date.fromisoformat(str(value)[:10])


def as_mois(value: Any) -> str | date | None:
    """A month number (``3`` -> ``"mars"``, a label) or a date kept as a date (first of month)."""
    if is_missing(value):
        return None
    if isinstance(value, int | np.integer) or (isinstance(value, float) and value.is_integer()):
        return nom_mois(int(value))
    return as_date(value)


XLSX_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "etp": as_float,
    "pct": as_float,
    "euros": as_float,
    "int": as_int,
    "text": as_text,
    "date": as_date,
    "mois": as_mois,
}


# --- csv --------------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def decimal_fr(number: float) -> str:
    """Shortest round-trip text of ``number`` with a decimal comma and no exponent:
    ``17.166666666666668`` -> ``"17,166666666666668"``, ``5.0`` -> ``"5"``."""
    text = np.format_float_positional(number, unique=True, trim="-")
    return text.replace(".", ",")


def _csv_number(value: Any) -> str:
    number = as_float(value)
    return "" if number is None else decimal_fr(number)


def _csv_int(value: Any) -> str:
    number = as_int(value)
    if number is None:
        return ""
    return str(number) if isinstance(number, int) else decimal_fr(number)


def csv_safe_text(text: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a denomination typed ``=HYPERLINK(…)``
    at the ASP must open as text, so it is prefixed with an apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_text(value: Any) -> str:
    text = as_text(value)
    return "" if text is None else csv_safe_text(text)


def _csv_date(value: Any) -> str:
    day = as_date(value)
    return "" if day is None else day.strftime("%d/%m/%Y")


def _csv_mois(value: Any) -> str:
    mois = as_mois(value)
    if mois is None:
        return ""
    return mois if isinstance(mois, str) else fmt_mois(mois.year, mois.month)


CSV_CONVERTERS: dict[str, Callable[[Any], str]] = {
    "etp": _csv_number,
    "pct": _csv_number,
    "euros": _csv_number,
    "int": _csv_int,
    "text": _csv_text,
    "date": _csv_date,
    "mois": _csv_mois,
}
