"""Parsers of fluxIAE field values. Each raises ``ValueError`` with a French message.

Empty field = null. Dates ``dd/mm/yyyy``, timestamps ``dd/mm/yyyy HH:MM:SS`` (a bare date is
accepted where a timestamp is expected), decimals with ``.``. The reader adds file, line and
column to the message.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from etp.chiffres import que_des_chiffres

_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})")
_TIMESTAMP = re.compile(r"(\d{2})/(\d{2})/(\d{4})(?: (\d{2}):(\d{2}):(\d{2}))?")
_INT = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def parse_date(text: str) -> date | None:
    if not text:
        return None
    match = _DATE.fullmatch(text)
    if not match:
        raise ValueError(f"date invalide {text!r} (attendu jj/mm/aaaa)")
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"date inexistante {text!r}") from None


def parse_timestamp(text: str) -> datetime | None:
    if not text:
        return None
    match = _TIMESTAMP.fullmatch(text)
    if not match:
        raise ValueError(f"horodatage invalide {text!r} (attendu jj/mm/aaaa hh:mm:ss)")
    # slicing is cheaper than groups(): this runs once per EMI row
    if len(text) == 10:
        hour = minute = second = 0
    else:
        hour, minute, second = int(text[11:13]), int(text[14:16]), int(text[17:19])
    try:
        return datetime(int(text[6:10]), int(text[3:5]), int(text[0:2]), hour, minute, second)
    except ValueError:
        raise ValueError(f"horodatage inexistant {text!r}") from None


INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)


def _int_between(text: str, bornes: tuple[int, int]) -> int | None:
    """An integer that fits its database column: a value out of range is refused here, with
    the line and column, rather than by the driver (PostgreSQL and SQLite disagree on 32 bits)."""
    if not text:
        return None
    if not que_des_chiffres(text) and not _INT.fullmatch(text):
        raise ValueError(f"nombre entier attendu, trouvé {text!r}")
    value = int(text)
    if not bornes[0] <= value <= bornes[1]:
        raise ValueError(f"nombre entier hors limites {text!r} (de {bornes[0]} à {bornes[1]})")
    return value


def parse_int(text: str) -> int | None:
    """An integer of a 32-bit column (ids of AFs and structures, years, version numbers)."""
    return _int_between(text, INT32)


def parse_bigint(text: str) -> int | None:
    """An integer of a 64-bit column (EMI row and person ids)."""
    return _int_between(text, INT64)


def parse_decimal(text: str) -> float | None:
    if not text:
        return None
    if not _DECIMAL.fullmatch(text):
        raise ValueError(f"nombre décimal attendu (séparateur « . »), trouvé {text!r}")
    return float(text)


def text_of_max_length(length: int):
    """A parser of text no longer than ``length`` (the column width in the database)."""

    def parse(text: str) -> str | None:
        if len(text) > length:
            raise ValueError(f"texte de plus de {length} caractères : {text!r}")
        return text or None

    return parse


def parse_bool(text: str) -> bool | None:
    """``true``/``false`` as the ASP writes them (``1``/``0``, ``oui``/``non`` tolerated)."""
    lowered = text.strip().lower()
    if lowered in ("true", "1", "oui", "t"):
        return True
    if lowered in ("false", "0", "non", "f"):
        return False
    raise ValueError(f"booléen attendu (true/false), trouvé {text!r}")
