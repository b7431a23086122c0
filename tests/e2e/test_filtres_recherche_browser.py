"""In chromium (issue 12, item 4): a DGEFP user types part of a structure's name, without its
accents, in the search field under « Dénomination structure », presses Entrée, and the select
then holds only the matching structures; choosing one filters the page. A SIRET finds its
structure the same way; an SIAE has no search field."""

from __future__ import annotations

import re

import pytest
from outils_e2e import connecter

from etp.collation import sans_accents

pytestmark = pytest.mark.e2e

SELECT = "#filtres-structure"
RECHERCHE = "#filtres-structure-recherche"


def _structures(page) -> list[tuple[str, str]]:
    """(value, label) of the select's structures (neither « Toutes » nor the hidden placeholder
    nor a disabled line)."""
    paires = page.eval_on_selector_all(
        f"{SELECT} option:not([hidden]):not([disabled])",
        "els => els.filter(e => e.value).map(e => [e.value, e.textContent])",
    )
    return [(v, lab) for v, lab in paires]


def _chercher(page, texte: str, attendues: int) -> list[tuple[str, str]]:
    page.fill(RECHERCHE, texte)
    page.press(RECHERCHE, "Enter")  # debounce: the text is sent on Entrée (or when leaving)
    page.wait_for_function(
        """([sel, n]) => [...document.querySelectorAll(sel + ' option:not([hidden])')]
            .filter(e => e.value && !e.disabled).length === n""",
        arg=[SELECT, attendues],
    )
    return _structures(page)


def test_a_funder_narrows_the_structure_select_by_typing(navigateur, serveur):
    page = connecter(navigateur, serveur, "dgefp@demo.test", attendre="#mensuel-kpis-moyen-valeur")
    page.wait_for_function(f"() => document.querySelectorAll('{SELECT} option').length > 3")
    toutes = _structures(page)
    assert len(toutes) > 3
    # the search field is labelled for screen readers
    assert page.get_by_label("Rechercher une structure (nom ou SIRET)").count() == 1

    # A word of a name with an accent, typed without it and in capitals.
    mot = next(
        m
        for _, label in toutes
        for m in re.findall(r"\w+", label.split(" - ")[0])
        if sans_accents(m) != m.lower() and len(m) > 3
    )
    cherche = sans_accents(mot).upper()
    attendues = [(v, lab) for v, lab in toutes if sans_accents(cherche) in sans_accents(lab)]
    assert 0 < len(attendues) < len(toutes)
    trouvees = _chercher(page, cherche, len(attendues))
    assert trouvees == attendues
    toutes_les = page.eval_on_selector_all(
        f"{SELECT} option:not([hidden])", "els => els.filter(e => !e.value).map(e => e.textContent)"
    )
    assert toutes_les == ["Toutes les structures"]  # « all » stays first

    # Choosing one filters the page as before, and the select still shows it.
    valeur, libelle = trouvees[0]
    page.select_option(SELECT, valeur)
    page.wait_for_url(f"**structure={valeur}**")
    assert page.eval_on_selector(SELECT, "s => s.options[s.selectedIndex].textContent") == libelle

    # A SIRET finds its structure; the chosen one stays in the list.
    autre_valeur, autre_libelle = next(p for p in toutes if p[0] != valeur)
    siret = autre_libelle.rsplit(" - ", 1)[1]
    trouvees = _chercher(page, siret, 2)
    assert sorted(trouvees) == sorted([(valeur, libelle), (autre_valeur, autre_libelle)])
    assert page.input_value(SELECT) == valeur

    # Emptying the search gives the whole list back.
    assert len(_chercher(page, "", len(toutes))) == len(toutes)
    page.close()


def test_an_siae_has_no_search_field(navigateur, serveur):
    page = connecter(navigateur, serveur, "siae@demo.test", attendre="#mensuel-kpis-moyen-valeur")
    assert page.locator(RECHERCHE).count() == 0
    assert page.locator("#filtres-af-recherche").count() == 0
    page.close()
