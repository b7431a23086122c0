"""The options a long filter select shows (callbacks.options_recherche): matching the search
accent- and case-insensitively, at most the limit, the chosen value always kept, and a last
disabled option saying in French how many were left out."""

from __future__ import annotations

import unicodedata

import pytest

from callbacks.options_recherche import (
    LIMITE,
    VALEUR_PLUS,
    correspond,
    options_a_montrer,
)

NOMS = ["Économie Solidaire", "Atelier Rennais", "Chantier Occitan", "Cœur de Bretagne"]


def _paires(n: int) -> list[tuple[int, str]]:
    """``n`` structures « NOM - SIRET », in their order; every third one is in Brest."""
    return [
        (i, f"{'Brest' if i % 3 == 0 else 'Rennes'} Insertion {i:04d} - {10**13 + i}")
        for i in range(1, n + 1)
    ]


def _valeurs(options) -> list[str]:
    return [o["value"] for o in options if not o.get("disabled")]


def _desactivees(options) -> list[dict]:
    return [o for o in options if o.get("disabled")]


def test_a_short_list_without_search_is_unchanged():
    paires = _paires(12)
    options = options_a_montrer(paires, "", None, "structure", "Toutes les structures")
    assert options[0] == {"label": "Toutes les structures", "value": ""}
    assert [(o["value"], o["label"]) for o in options[1:]] == [(str(v), lab) for v, lab in paires]
    assert not _desactivees(options)


def test_a_long_list_is_cut_at_the_limit_with_a_disabled_option_saying_how_many_more():
    paires = _paires(LIMITE + 137)
    options = options_a_montrer(paires, "", None, "structure", "Toutes les structures")
    assert len(options) == LIMITE + 2
    assert _valeurs(options)[1:] == [str(v) for v, _ in paires[:LIMITE]]
    (plus,) = _desactivees(options)
    assert options[-1] is plus and plus["value"] == VALEUR_PLUS
    assert "137 autres structures" in plus["label"]
    assert "nom ou du SIRET" in plus["label"] and "recherche" in plus["label"]


def test_one_left_out_is_said_in_the_singular_and_numbers_in_french():
    un = options_a_montrer(_paires(LIMITE + 1), "", None, "structure", None)
    assert "1 autre structure :" in _desactivees(un)[0]["label"]
    beaucoup = options_a_montrer(
        [(f"ACI{i:09d}", f"ACI{i:09d}") for i in range(1_234 + 10)], "", None, "af", "Toutes", 10
    )
    (plus,) = _desactivees(beaucoup)
    assert "1\u202f234 autres annexes" in plus["label"]  # Babel's narrow no-break space
    assert "numéro" in plus["label"]


@pytest.mark.parametrize("limite", [1, 5, 40])
def test_the_limit_is_respected_and_the_matches_are_kept_in_order(limite):
    paires = _paires(300)
    attendues = [str(v) for v, lab in paires if lab.startswith("Brest")]
    options = options_a_montrer(paires, "brest", None, "structure", "Toutes", limite)
    assert _valeurs(options)[1:] == attendues[:limite]
    assert f"{len(attendues) - limite} autres structures" in _desactivees(options)[0]["label"]


def test_search_ignores_accents_case_ligatures_and_finds_a_siret():
    paires = [(i, f"{nom} - {10**13 + i}") for i, nom in enumerate(NOMS, start=1)]
    trouver = lambda texte: _valeurs(options_a_montrer(paires, texte, None, "structure", None))  # noqa: E731
    assert trouver("economie") == ["1"]
    assert trouver("ÉCONOMIE SOLI") == ["1"]
    assert trouver("coeur") == ["4"]  # the ligature « œ » spelled out
    assert trouver("  rennais ") == ["2"]
    assert trouver(str(10**13 + 3)) == ["3"]
    siret = str(10**13 + 3)
    espaces = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"  # as printed on a Kbis
    assert trouver(espaces) == ["3"]
    # a decomposed « é » (what some keyboards send) matches too
    assert trouver(unicodedata.normalize("NFD", "économie")) == ["1"]
    assert correspond("Île-de-France", "ile-de") and not correspond("Île-de-France", "ile de")


def test_the_chosen_value_is_always_kept_whatever_the_search():
    paires = _paires(LIMITE * 4)
    choisie, _libelle = next(p for p in reversed(paires) if not p[1].startswith("Brest"))
    assert choisie > LIMITE * 3  # far beyond the limit, and not in Brest
    options = options_a_montrer(paires, "brest", choisie, "structure", "Toutes")
    valeurs = _valeurs(options)[1:]
    assert str(choisie) in valeurs and len(valeurs) <= LIMITE
    brest = [str(v) for v, lab in paires if lab.startswith("Brest")]
    assert [v for v in valeurs if v != str(choisie)] == brest[: LIMITE - 1]
    assert f"{len(brest) - (LIMITE - 1)} autres" in _desactivees(options)[0]["label"]
    # chosen and among the matches: counted once, one place of the limit
    sans_recherche = options_a_montrer(paires, "", choisie, "structure", "Toutes")
    assert len(_valeurs(sans_recherche)) == LIMITE + 1  # « Toutes » + LIMITE
    assert f"{len(paires) - LIMITE} autres" in _desactivees(sans_recherche)[0]["label"]


def test_a_value_outside_the_list_is_never_added():
    paires = _paires(5)
    options = options_a_montrer(paires, "", 999, "structure", None)
    assert "999" not in _valeurs(options)


def test_nothing_matching_is_said():
    options = options_a_montrer(_paires(10), "zzz", None, "af", "Toutes les annexes")
    assert _valeurs(options) == [""]
    (aucune,) = _desactivees(options)
    assert aucune["label"] == "Aucune annexe ne correspond à la recherche"
