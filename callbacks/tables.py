"""Server-side filtering, sorting and pagination of the detail tables.

The browser sends the DataTable's ``filter_query`` / ``sort_by`` / ``page_current``; we apply
them to the unrounded DataFrame from ``etp`` and format only the rows of the page (French
formatting through ``etp.formatting``). The query text is parsed, never evaluated.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from callbacks.bornes import MAX_FILTRE, MAX_TRIS, RequeteInvalide, texte_borne
from etp.collation import cle_serie_fr, par_valeur_distincte
from etp.formatting import VIDE, fmt_mois, libelle_etat, libelle_statut
from layouts.tables import FORMATS_NOMBRES, POURCENTAGES, Colonne, lien_structure, manquant

STATUT_SYMBOLES = {"sur-consommation": "▲ ", "sous-consommation": "▼ ", "conforme": "= "}
_OPS = {"eq": "=", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
MAX_PAGE = 200
#: Rows a forged request may ask for in one page of the funders' and co-financing per-AF
#: tables (the widest, "Structures à suivre", weighs about 1 KB a row): far below 150 KB.
MAX_PAGE_CARTE = 100
_CONNUS = {*_OPS, *_OPS.values(), "contains", "datestartswith"}
_QUOTES = "\"'"


@dataclass(frozen=True)
class Page:
    data: list[dict[str, str]]
    page_count: int
    nb_lignes: int
    page_current: int = 0


def formateur(col: Colonne, annee: int) -> Callable[[Any], str]:
    """The French display of one cell of ``col``."""
    if col.kind in FORMATS_NOMBRES:
        return FORMATS_NOMBRES[col.kind]
    if col.kind == "mois":
        return lambda v: VIDE if manquant(v) else fmt_mois(annee, int(v))
    if col.kind == "etat":
        return lambda v: libelle_etat(None if manquant(v) else v)
    if col.kind == "statut":
        return lambda v: (
            libelle_statut(None) if manquant(v) else STATUT_SYMBOLES.get(v, "") + libelle_statut(v)
        )
    return lambda v: VIDE if manquant(v) else str(v)


def parse_nombre(text: str) -> float | None:
    """``"17,5"``, ``"1 234,5"``, ``"37 %"`` -> float; ``None`` when not a number."""
    cleaned = re.sub(r"[\s\u00a0\u202f%€]", "", text).replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


def entier_borne(value: Any, defaut: int, minimum: int, maximum: int) -> int:
    """A page number or size sent by the browser (so possibly forged: text, list, huge): an
    integer within [minimum, maximum], ``defaut`` when it is not a plain integer."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return defaut
    try:
        nombre = int(value)
    except ValueError:
        return defaut
    return min(max(nombre, minimum), maximum)


@dataclass(frozen=True)
class Tranche:
    """The rows of one page of a frame (unformatted), the page count and the page shown."""

    lignes: pd.DataFrame
    page_count: int
    page_current: int
    nb_lignes: int


def tranche(
    vue: pd.DataFrame,
    page_current: Any,
    page_size: Any,
    taille_defaut: int = 25,
    taille_max: int = MAX_PAGE,
) -> Tranche:
    """Page ``page_current`` of ``vue`` (rows kept in their order), ``page_size`` rows a page.

    Both numbers come from the browser (so possibly forged): the size is bounded to
    [1, ``taille_max``], the page to the existing ones (the last one beyond the end)."""
    size = entier_borne(page_size, taille_defaut, 1, taille_max)
    nb = len(vue)
    count = max(math.ceil(nb / size), 1)
    current = entier_borne(page_current, 0, 0, count - 1)
    return Tranche(vue.iloc[current * size : (current + 1) * size], count, current, nb)


def _clause(part: str) -> tuple[str, str, str] | None:
    """One ``{col} op value`` clause, read left to right in one pass (no backtracking)."""
    debut = part.find("{")
    fin = part.find("}", debut + 1) if debut >= 0 else -1
    if fin <= debut + 1:
        return None
    col = part[debut + 1 : fin]
    reste = part[fin + 1 :]
    if not reste[:1].isspace():
        return None
    mots = reste.split(None, 1)
    if len(mots) != 2:
        return None
    op, val = mots
    if op[0] in "si" and op[1:] in _CONNUS:
        op = op[1:]  # case prefix: every text match here is case-insensitive
    if op not in _CONNUS:
        return None
    return col, _OPS.get(op, op), _valeur(val)


def _valeur(texte: str) -> str:
    """A quoted value without its quotes and escapes (``"a \\"b\\""`` -> ``a "b"``); an
    unquoted one up to the first blank."""
    if texte[0] not in _QUOTES:
        return texte.split(None, 1)[0]
    quote = texte[0]
    out: list[str] = []
    i = 1
    while i < len(texte):
        ch = texte[i]
        if ch == "\\" and i + 1 < len(texte):
            out.append(texte[i + 1])
            i += 2
            continue
        if ch == quote:
            return "".join(out)
        out.append(ch)
        i += 1
    return texte.split(None, 1)[0]  # no closing quote: the raw word, as typed


def parse_filter_query(query: Any) -> list[tuple[str, str, str]]:
    """``{a} icontains "x" && {b} > 3`` -> ``[("a", "contains", "x"), ("b", ">", "3")]``.

    Linear in the length of the query (each character is looked at a bounded number of
    times), and refused beyond :data:`callbacks.bornes.MAX_FILTRE` characters. Anything but a
    string (a forged request) filters nothing."""
    if not isinstance(query, str):
        return []
    texte_borne(query, MAX_FILTRE, "filtre du tableau")
    clauses = []
    for part in query.split(" && "):
        clause = _clause(part.strip())
        if clause is not None:
            clauses.append(clause)
    return clauses


def tris(sort_by: Any) -> list[dict[str, Any]]:
    """The sort keys sent by the table: a list of at most :data:`MAX_TRIS` entries (400
    beyond), anything else sorts nothing."""
    if not isinstance(sort_by, list):
        return []
    if len(sort_by) > MAX_TRIS:
        raise RequeteInvalide(f"trop de colonnes de tri ({len(sort_by)}, {MAX_TRIS} au plus)")
    return [t for t in sort_by if isinstance(t, dict)]


def _apply_clause(df: pd.DataFrame, col: Colonne, op: str, val: str, annee: int) -> pd.Series:
    if col.numerique and op in ("<", "<=", ">", ">=", "=", "!="):
        nombre = parse_nombre(val)
        if nombre is not None:
            raw = pd.to_numeric(df[col.key], errors="coerce")
            if col.kind in POURCENTAGES:
                raw = raw * 100  # users type "37" for 37 %
            ops = {
                "<": raw < nombre,
                "<=": raw <= nombre,
                ">": raw > nombre,
                ">=": raw >= nombre,
                "=": (raw - nombre).abs() < 0.005,
                "!=": (raw - nombre).abs() >= 0.005,
            }
            return ops[op].fillna(False).astype(bool)
    fmt = formateur(col, annee)
    texte = df[col.key].map(fmt).str.casefold()
    cible = val.casefold()
    if op == "!=":
        return texte != cible
    if op == "=":
        return texte == cible
    if op == "datestartswith":
        return texte.str.startswith(cible)
    return texte.str.contains(cible, regex=False)


def filtrer_trier(
    df: pd.DataFrame,
    colonnes: Sequence[Colonne],
    annee: int,
    filter_query: Any,
    sort_by: Any,
) -> pd.DataFrame:
    """The rows the table shows for ``filter_query`` and ``sort_by`` (every page, in the
    order shown), unrounded: the screen's pages and the downloads both come from here."""
    par_cle = {c.key: c for c in colonnes}
    masque = pd.Series(True, index=df.index)
    for key, op, val in parse_filter_query(filter_query):
        if key in par_cle:
            masque &= _apply_clause(df, par_cle[key], op, val, annee)
    vue = df[masque]
    if not tri_normalise(colonnes, sort_by):  # unsorted: the rows as they are, not a copy
        return vue
    return vue.iloc[ordre_de_tri(vue, colonnes, annee, sort_by)]


def ordre_de_tri(
    df: pd.DataFrame, colonnes: Sequence[Colonne], annee: int, sort_by: Any
) -> np.ndarray:
    """Positions of ``df``'s rows in the order of ``sort_by`` (its known columns,
    :func:`tri_normalise`; stable, missing values last; text in French order). Only the sorted
    columns are reordered on the way, not the whole frame (a national monthly table: 58,000
    rows × 30 columns)."""
    par_cle = {c.key: c for c in colonnes}
    cles = tri_normalise(colonnes, sort_by)
    if not cles:
        return np.arange(len(df), dtype=np.int32)
    noms = list(dict.fromkeys(key for key, _ in cles))
    cadre = df[noms].set_axis(np.arange(len(df), dtype=np.int32))
    for key, direction in reversed(cles):
        col = par_cle[key]
        cle_tri = None
        if col.kind in ("etat", "statut", "text", "structure"):
            fmt = formateur(col, annee)
            cle_tri = lambda s, fmt=fmt: cle_serie_fr(par_valeur_distincte(s, fmt))  # noqa: E731
        cadre = cadre.sort_values(
            key, ascending=direction != "desc", na_position="last", kind="stable", key=cle_tri
        )
    return cadre.index.to_numpy(dtype=np.int32)


OPERATEURS_LUS = {
    "contains": "contient",
    "=": "=",
    "!=": "≠",
    "<": "<",
    "<=": "≤",
    ">": ">",
    ">=": "≥",
    "datestartswith": "commence par",
}


def decrire_filtres(colonnes: Sequence[Colonne], filter_query: Any) -> list[str]:
    """The table's column filters in words: ``Consommation contient « sous »``, one per
    clause that applies (an unknown column filters nothing and is not named)."""
    par_cle = {c.key: c for c in colonnes}
    return [
        f"{par_cle[key].titre} {OPERATEURS_LUS[op]} « {val} »"
        for key, op, val in parse_filter_query(filter_query)
        if key in par_cle
    ]


def decrire_tri(colonnes: Sequence[Colonne], sort_by: Any) -> list[str]:
    """The table's sort in words: ``Écart (ETP), décroissant``, first key first."""
    par_cle = {c.key: c for c in colonnes}
    out = []
    for tri in tris(sort_by):
        key = tri.get("column_id")
        if isinstance(key, str) and key in par_cle:
            sens = "décroissant" if tri.get("direction") == "desc" else "croissant"
            out.append(f"{par_cle[key].titre}, {sens}")
    return out


def page(
    df: pd.DataFrame,
    colonnes: Sequence[Colonne],
    annee: int,
    filter_query: str | None,
    sort_by: Sequence[dict[str, str]] | None,
    page_current: int | None,
    page_size: int | None,
) -> Page:
    """Filter, sort, cut one page and format it."""
    vue = filtrer_trier(df, colonnes, annee, filter_query, sort_by)
    return page_de(vue, colonnes, annee, page_current, page_size)


def tri_normalise(colonnes: Sequence[Colonne], sort_by: Any) -> tuple[tuple[str, str], ...]:
    """``sort_by`` reduced to what :func:`ordre_de_tri` applies: (known column, asc|desc)
    pairs. Two requests sorting the same way give the same value (a cache key part that no
    forged request can multiply)."""
    cles = {c.key for c in colonnes}
    return tuple(
        (t["column_id"], "desc" if t.get("direction") == "desc" else "asc")
        for t in tris(sort_by)
        if isinstance(t.get("column_id"), str) and t["column_id"] in cles
    )


def page_de(
    vue: pd.DataFrame,
    colonnes: Sequence[Colonne],
    annee: int,
    page_current: int | None,
    page_size: int | None,
) -> Page:
    """One page of rows already filtered and sorted (:func:`filtrer_trier`), formatted."""
    t = tranche(vue, page_current, page_size)
    morceau = t.lignes
    fmts = {c.key: formateur(c, annee) for c in colonnes}
    data = [
        {
            c.key: lien_structure(fmts[c.key](row[c.key]), row.get("structure_id"))
            if c.kind == "structure"
            else fmts[c.key](row[c.key])
            for c in colonnes
        }
        for _, row in morceau.iterrows()
    ]
    return Page(data, t.page_count, t.nb_lignes, t.page_current)
