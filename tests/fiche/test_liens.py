"""Every table naming a structure links to its page, and so does the structure filter."""

from __future__ import annotations

import pytest

from callbacks import financeurs
from callbacks.filters import lien_fiche
from layouts.tables import lien_structure


def test_structures_a_suivre_liees_a_leur_page(comptes, en_tant_que):
    with en_tant_que(comptes["ddets"]):
        rows, _, _, _ = financeurs.suivi(
            {"annee": 2022}, ["sous-consommation", "sur-consommation"], "etp", 0, 100
        )
    noms = {r["structure_denomination"] for r in rows}
    assert "[Alpha](/structure/101)" in noms  # sous-consommation (the guide's example)
    assert "[Bravo](/structure/102)" in noms  # sur-consommation
    assert all(n.startswith("[") and "](/structure/" in n for n in noms)


def test_nom_echappe_dans_le_lien():
    """A name is text, never markup: brackets, emphasis and HTML are escaped."""
    assert lien_structure("A*b* [x](http://e.test) <i>", 7) == (
        r"[A\*b\* \[x\](http://e.test) \<i\>](/structure/7)"
    )
    assert lien_structure("Sans identifiant", None) == "Sans identifiant"


@pytest.mark.parametrize(
    ("etat", "attendu"),
    [
        ({"annee": 2022, "structure": 101}, ("/structure/101", "small mb-1")),
        ({"annee": 2022, "structure": "102"}, ("/structure/102", "small mb-1")),
        ({"annee": 2022}, ("/", "small mb-1 d-none")),
        ({"structure": "javascript:alert(1)"}, ("/", "small mb-1 d-none")),
        ({"structure": True}, ("/", "small mb-1 d-none")),
        ({"structure": [1]}, ("/", "small mb-1 d-none")),
        (None, ("/", "small mb-1 d-none")),
        ("forgé", ("/", "small mb-1 d-none")),
    ],
)
def test_lien_du_filtre_structure(etat, attendu):
    assert lien_fiche(etat) == attendu
