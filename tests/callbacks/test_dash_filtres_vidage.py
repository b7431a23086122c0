"""A filter never changes another one silently (issue 11, point 4).

Before: an SIAE looking at its ACI that chose Type = EI was switched to its EI structure
without a word. Now a change of région, département or type keeps the chosen structure (and
AF number) and empties the choice that does not match them, with a French message saying what
was emptied and why; a change that empties a filter below it in the cascade says so too.
"""

from __future__ import annotations

import pytest
from outils_dash import textes

from callbacks import filters
from layouts import ids
from layouts.filters import CLES

N = len(CLES)


@pytest.fixture
def siae_deux_structures(monde, make_user):
    """An SIAE member of ``EI Exemple`` (1, EI, 35) and ``Atelier Rennais`` (3, ACI, 35)."""
    return make_user("siae2@test.fr", "siae", structures=[1, 3])


def _changer(monkeypatch, declencheur: str, search: str, **valeurs):
    """The filter callback as the browser calls it when the select ``declencheur`` changed:
    (values, message, etat)."""
    monkeypatch.setattr(filters.context, "declencheur", lambda: declencheur)
    args = [valeurs.get(cle, "") for cle in CLES]
    out = filters.synchroniser(search, None, "mensuel", *args)
    values = dict(zip(CLES, out[N : 2 * N], strict=True))
    return values, out[2 * N + 1], out[2 * N + 2]


def test_siae_choosing_another_type_keeps_its_structure_and_says_so(
    siae_deux_structures, en_tant_que, monkeypatch
):
    with en_tant_que(siae_deux_structures):
        values, message, etat = _changer(
            monkeypatch,
            ids.FILTRES_TYPE,
            "?annee=2022&structure=3",
            annee="2022",
            structure="3",
            type="EI",
        )
    assert etat == {"annee": 2022, "structure": 3}  # not switched to the EI structure (1)
    assert values["structure"] == "3" and values["type"] == ""
    texte = " ".join(textes(message))
    assert "« Type de structure » a été vidé" in texte
    assert "EI - Entreprise d'insertion" in texte
    assert "Atelier Rennais - 11122233300033" in texte
    assert "une autre de vos structures" in texte  # an SIAE has no "Toutes les structures"


def test_a_compatible_type_is_kept_without_a_message(
    siae_deux_structures, en_tant_que, monkeypatch
):
    with en_tant_que(siae_deux_structures):
        _, message, etat = _changer(
            monkeypatch, ids.FILTRES_TYPE, "", annee="2022", structure="3", type="ACI"
        )
    assert etat == {"annee": 2022, "structure": 3, "type": "ACI"}
    assert message is None


def test_funder_choosing_a_departement_keeps_the_structure(users, en_tant_que, monkeypatch):
    with en_tant_que(users["dgefp"]):
        values, message, etat = _changer(
            monkeypatch,
            ids.FILTRES_DEPARTEMENT,
            "",
            annee="2022",
            structure="3",
            departement="31",
        )
    assert etat == {"annee": 2022, "structure": 3}
    assert values["departement"] == ""
    texte = " ".join(textes(message))
    assert "« Département du conventionnement » a été vidé" in texte
    assert "31 - Haute-Garonne" in texte and "Atelier Rennais" in texte
    assert "« Toutes les structures »" in texte


def test_a_parent_change_that_empties_a_child_says_so(users, en_tant_que, monkeypatch):
    """No structure chosen: the newly chosen région wins, the département outside it is
    emptied, and the message names both."""
    with en_tant_que(users["dgefp"]):
        _, message, etat = _changer(
            monkeypatch,
            ids.FILTRES_REGION,
            "",
            annee="2022",
            region="76",
            departement="35",
        )
    assert etat == {"annee": 2022, "region": "76"}
    texte = " ".join(textes(message))
    assert "« Département du conventionnement » a été vidé" in texte
    assert "35 - Ille-et-Vilaine" in texte and "Occitanie" in texte


def test_choosing_a_structure_empties_an_af_number_of_another_one(users, en_tant_que, monkeypatch):
    with en_tant_que(users["ddets"]):
        _, message, etat = _changer(
            monkeypatch,
            ids.FILTRES_STRUCTURE,
            "",
            annee="2022",
            structure="3",
            af="EI035210001",
        )
    assert etat == {"annee": 2022, "structure": 3}
    texte = " ".join(textes(message))
    assert "« Numéro d'annexe financière » a été vidé : « EI035210001 »" in texte
    assert "Atelier Rennais" in texte


def test_an_address_still_reports_refusals_not_emptying(users, en_tant_que, monkeypatch):
    monkeypatch.setattr(filters.context, "declencheur", lambda: ids.URL)
    with en_tant_que(users["ddets"]):
        out = filters.synchroniser("?annee=2022&structure=2", None, None, *[""] * N)
    assert "ont été retirés" in " ".join(textes(out[2 * N + 1]))


def test_a_chosen_af_number_is_kept_too(users, en_tant_que, monkeypatch):
    with en_tant_que(users["ddets"]):
        values, message, etat = _changer(
            monkeypatch, ids.FILTRES_TYPE, "", annee="2022", af="ACI035220003", type="EI"
        )
    assert etat == {"annee": 2022, "af": "ACI035220003"}
    assert values["type"] == ""
    texte = " ".join(textes(message))
    assert "ne correspond pas à l'annexe financière choisie (ACI035220003)" in texte
    assert "L'annexe financière choisie est conservée" in texte
