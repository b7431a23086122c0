"""French display of numbers and dates — the only place where values are rounded.

Everything upstream (database, DataFrames, JSON, Excel cells) keeps full precision; screens call
these functions at the edge. Babel, not ``locale.setlocale`` (process-wide, not thread-safe).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, parse_pattern

LOCALE = "fr_FR"
#: Parsed once: ``babel.numbers.format_decimal`` parses the locale and the pattern on every
#: call, which was most of the time of a national table's formatting (~50 µs a cell).
_LOCALE = Locale.parse(LOCALE)
VIDE = "–"

MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

ETATS_LIBELLES = {
    "VALIDE": "Validé",
    "DEBLOQUE": "Débloqué",
    "SAISI": "Saisi",
    "BROUILLON": "Brouillon",
    None: "Non saisi",
}

STATUTS_LIBELLES = {
    "sur-consommation": "Sur-consommation",
    "sous-consommation": "Sous-consommation",
    "conforme": "Conforme",
    None: "Aucun mois validé",
}


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def accord(n: float, singulier: str, pluriel: str | None = None) -> str:
    """The word agreeing with ``n``: French puts 0 and 1 (and anything below 2) in the
    singular. ``pluriel`` defaults to ``singulier + "s"``."""
    return singulier if abs(n) < 2 else (pluriel or singulier + "s")


def fmt_compte(n: int, singulier: str, pluriel: str | None = None) -> str:
    """``12 lignes``, ``1 ligne``, ``0 annexe modifiée``: a count and its agreed words (each
    word of ``singulier`` takes an ``s`` unless ``pluriel`` is given)."""
    if pluriel is None:
        pluriel = " ".join(m if m.endswith(("s", "x")) else m + "s" for m in singulier.split())
    return f"{fmt_nombre(n)} {accord(n, singulier, pluriel)}"


def fmt_annexes_validees(valides: int, total: int) -> str:
    """What a month's figures cover: "3 annexes sur 9 validées", "1 annexe sur 9 validée"
    (French puts 0 and 1 in the singular)."""
    accord = "s" if valides >= 2 else ""
    return f"{fmt_nombre(valides)} annexe{accord} sur {fmt_nombre(total)} validée{accord}"


def fmt_liste_mois(mois: list[int] | tuple[int, ...]) -> str:
    """Months in words: consecutive ones as a range ("janvier à septembre"), else a list
    ("janvier, mars et mai")."""
    mois = sorted({int(m) for m in mois})
    if not mois:
        return VIDE
    if len(mois) == 1:
        return MOIS[mois[0] - 1]
    if mois == list(range(mois[0], mois[-1] + 1)):
        return f"{MOIS[mois[0] - 1]} à {MOIS[mois[-1] - 1]}"
    noms = [MOIS[m - 1] for m in mois]
    return ", ".join(noms[:-1]) + " et " + noms[-1]


@lru_cache(maxsize=32)
def _motif(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


def _format(value: float, pattern: str, currency: str | None = None) -> str:
    """What ``babel.numbers.format_decimal`` / ``format_percent`` / ``format_currency`` (with
    ``currency_digits=False``) return for ``pattern`` in French (the reference of
    :func:`_fr`, which the tests compare with it)."""
    if currency is None:
        return _motif(pattern).apply(value, _LOCALE)
    return _motif(pattern).apply(value, _LOCALE, currency=currency, currency_digits=False)


_PAS = tuple(Decimal(1).scaleb(-d) for d in range(7))
#: English marks -> French ones: narrow no-break space between thousands (Babel's fr_FR), comma
_MARQUES = str.maketrans({",": "\u202f", ".": ","})


def _fr(value: float, decimales: int, echelle: int = 0, suffixe: str = "") -> str:
    """Babel's French rendering of ``#,##0.00…`` patterns, without its per-call pattern
    machinery (~30 µs a cell: tens of milliseconds for a national table): the value's
    shortest decimal form (``str``, as Babel reads a float), times ``10 ** echelle``,
    rounded half to even to ``decimales`` places, the sign kept (``-0,00``), digits grouped
    by three. Non-finite values go through Babel."""
    if not math.isfinite(value):
        pattern = "#,##0" + ("." + "0" * decimales if decimales else "")
        return _format(value, pattern) + suffixe
    nombre = Decimal(str(value))
    if echelle:
        nombre = nombre.scaleb(echelle)
    arrondi = nombre.quantize(_PAS[decimales], rounding=ROUND_HALF_EVEN)
    # Decimal's own formatting groups and keeps the sign (-0.00); then the French marks
    return format(arrondi, f",.{decimales}f").translate(_MARQUES) + suffixe


def fmt_etp(value: float | None, decimals: int = 2) -> str:
    """``17,17`` (ETP), ``1 234,50`` with a narrow no-break space between thousands."""
    if _missing(value):
        return VIDE
    return _fr(value, decimals)  # type: ignore[arg-type]


def fmt_nombre(value: float | None) -> str:
    """An integer count: ``1 234``."""
    return VIDE if _missing(value) else _fr(value, 0)  # type: ignore[arg-type]


def fmt_pct(value: float | None, decimals: int = 0) -> str:
    """A fraction as a percentage: ``0.3679`` -> ``37 %``."""
    if _missing(value):
        return VIDE
    return _fr(value, decimals, echelle=2, suffixe="\u00a0%")  # type: ignore[arg-type]


def fmt_euros(value: float | None, decimals: int = 2) -> str:
    """``1 234,50 €``; ``decimals=0`` for envelopes (``1 234 €``)."""
    if _missing(value):
        return VIDE
    return _fr(value, decimals, suffixe="\u00a0€")  # type: ignore[arg-type]


def fmt_ecart(value: float | None, decimals: int = 2) -> str:
    """A signed gap: ``+2,50`` / ``-10,83``."""
    if _missing(value):
        return VIDE
    text = fmt_etp(abs(value), decimals)
    return ("+" if value > 0 else "-" if value < 0 else "") + text


def fmt_date(value: date | datetime | None) -> str:
    """``03/11/2026``."""
    if value is None:
        return VIDE
    return format_date(value, format="dd/MM/yyyy", locale=LOCALE)


def nom_mois(mois: int) -> str:
    """``1`` -> ``janvier``."""
    return MOIS[mois - 1]


def fmt_mois(annee: int, mois: int) -> str:
    """``mars 2022``."""
    return f"{nom_mois(mois)} {annee}"


def libelle_etat(etat: str | None) -> str:
    return ETATS_LIBELLES.get(etat, etat or ETATS_LIBELLES[None])


def libelle_statut(statut: str | None) -> str:
    return STATUTS_LIBELLES.get(statut, statut or STATUTS_LIBELLES[None])
