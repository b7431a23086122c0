"""The options a filter select shows when its list is long: those matching a search, bounded.

At national scope a select holding every structure and every AF number of France made one
filter answer weigh 479 KB (616 KB on the national demo) and thousands of DOM nodes. The list
is still computed in full on the server (values are validated against it,
:func:`callbacks.filters.resoudre`), but only :data:`LIMITE` options are sent: those whose label
contains the text typed in the search field under the select (accents, case and ligatures
ignored), the chosen value always among them, and a last, disabled option saying how many more
there are.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from etp.chiffres import que_des_chiffres
from etp.collation import sans_accents
from etp.formatting import fmt_compte
from layouts import filters as filter_layout

#: Options sent at most (besides « Toutes les … » and the disabled « more » option).
LIMITE = 100
#: Value of the disabled option that says how many were left out: never a real value (a
#: structure id is an integer, an AF number has no underscore), refused if ever sent back.
VALEUR_PLUS = "__plus__"

#: Per filter: the words counted in the « more » option (singular, plural), and how to find them.
MOTS: dict[str, tuple[str, str, str]] = {
    "structure": (
        "autre structure",
        "autres structures",
        "tapez une partie du nom ou du SIRET dans le champ de recherche",
    ),
    "af": (
        "autre annexe",
        "autres annexes",
        "tapez une partie du numéro dans le champ de recherche",
    ),
}
#: Per filter: what the disabled option says when nothing matches the search.
AUCUNE: dict[str, str] = {
    "structure": "Aucune structure ne correspond à la recherche",
    "af": "Aucune annexe ne correspond à la recherche",
}


@functools.lru_cache(maxsize=50_000)
def _sans_accents_memo(libelle: str) -> str:
    """:func:`sans_accents` of an option's label, remembered: a national list holds ~5,000
    labels, normalised at each search otherwise (~30 ms a search against ~2 ms)."""
    return sans_accents(libelle)


def _normaliser(texte: str) -> str:
    """Accents, ligatures, case and surrounding spaces ignored."""
    return sans_accents(texte).strip()


def correspond(libelle: str, recherche: str) -> bool:
    """True when ``recherche`` is found in ``libelle``, accents and case ignored (« economie »
    finds « Économie »). A search of digits and spaces also finds a SIRET written without its
    spaces (« 123 456 789 » finds « 12345678900011 »)."""
    return _critere(recherche)(libelle)


def _critere(recherche: str) -> Callable[[str], bool]:
    """:func:`correspond` with the search normalised once, for a list of thousands of labels."""
    aiguille = _normaliser(recherche)
    if not aiguille:
        return lambda _libelle: True
    compacte = aiguille.replace(" ", "")
    chiffres = que_des_chiffres(compacte) and compacte != aiguille

    def critere(libelle: str) -> bool:
        botte = _sans_accents_memo(libelle)
        return aiguille in botte or (chiffres and compacte in botte.replace(" ", ""))

    return critere


def options_a_montrer(
    paires: Sequence[tuple[Any, str]],
    recherche: str,
    choisie: Any,
    cle: str,
    tous: str | None,
    limite: int = LIMITE,
) -> list[dict[str, Any]]:
    """The ``dbc.Select`` options to send out of ``paires``, the full ``(value, label)`` list
    of the scope (``etp.queries.options_filtres``), in its order.

    First « Toutes les … » (``tous``, left out when ``None``); then the pairs whose label
    contains ``recherche`` (:func:`correspond`), at most ``limite``, and the chosen value
    (``choisie``) whatever the search, if it is in ``paires``: it never disappears from its
    select; last, when some matching pairs were left out, one disabled option saying in French
    how many and to type in the search field (or, when nothing matches the search, that
    nothing does). An empty search over ``limite`` pairs or fewer changes nothing.
    """
    choisie_str = "" if choisie is None else str(choisie)
    offerte = choisie_str != "" and any(str(v) == choisie_str for v, _ in paires)
    critere = _critere(recherche)
    correspondantes = [str(v) for v, lab in paires if critere(str(lab))]
    premieres = correspondantes[:limite]
    if offerte and choisie_str not in premieres:
        premieres = correspondantes[: max(limite - 1, 0)]  # one place for the chosen value
    gardees = set(premieres) | ({choisie_str} if offerte else set())
    montrees = [(v, lab) for v, lab in paires if str(v) in gardees]
    options = filter_layout.options(montrees, tous)
    laissees = sum(1 for v in correspondantes if v not in gardees)
    if laissees:
        singulier, pluriel, comment = MOTS[cle]
        options.append(
            option_desactivee(f"… et {fmt_compte(laissees, singulier, pluriel)} : {comment}")
        )
    elif not correspondantes and _normaliser(recherche):
        options.append(option_desactivee(AUCUNE[cle]))
    return options


def option_desactivee(texte: str) -> dict[str, Any]:
    """A ``dbc.Select`` option that informs and cannot be chosen."""
    return {"label": texte, "value": VALEUR_PLUS, "disabled": True}
