"""Browser walk of the structure page (issue 14's "done means"), on the shared demo server.

- ddets@demo.test opens a structure from the annual detail table, reads its three years, adds a
  note and downloads the PDF with the notes;
- cd@demo.test (Haute-Garonne) cannot reach a structure of Ille-et-Vilaine nor its notes;
- siae@demo.test opens its own page from the link beside the structure filter, without notes.
"""

from __future__ import annotations

import re

import pytest
from outils_e2e import connecter

pytestmark = pytest.mark.e2e

ANNEES = ["2024", "2025", "2026"]  # demo dated October 2026


def _annees_du_tableau(page) -> list[str]:
    entetes = page.eval_on_selector_all(
        "table.tableau-chiffres thead th", "els => els.map(e => e.textContent.trim())"
    )
    return entetes[1:]


def _sans_violation_grave(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    graves = [
        (v["id"], [n["target"] for n in v["nodes"][:3]])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not graves, graves


def test_ddets_ouvre_une_structure_note_et_telecharge_le_pdf(navigateur, serveur):
    import pypdf

    page = connecter(navigateur, serveur, "ddets@demo.test", attendre="#mensuel-kpis-moyen-valeur")
    page.get_by_role("tab", name="Détail de la consommation annuelle (en ETP)").click()
    lien = page.locator("#detail-annuel-table td[data-dash-column='structure'] a").first
    lien.wait_for()
    nom = lien.inner_text().split(" - ")[0].strip()
    lien.click()
    page.wait_for_url(re.compile(r"/structure/\d+$"))
    assert page.inner_text("#fiche-titre").strip() == nom
    assert _annees_du_tableau(page) == ANNEES
    assert "Effectif annuel conventionné" in page.inner_text("table.tableau-chiffres")

    texte = "Visite e2e : atelier bois relancé, deux encadrants recrutés"
    assert page.is_visible("#notes-vide")  # the empty state says what notes are for
    page.fill("#note-texte", texte)
    page.select_option("#note-categorie", "visite")
    page.click("#note-enregistrer")
    page.wait_for_selector("text=Note enregistrée.")
    assert texte in page.inner_text("#notes-liste")
    _sans_violation_grave(page)  # with the note, its edit form and the PDF form

    # « Imprimer » opens the print dialog (wired by assets/fiche-imprimer.js: CSP, no inline JS)
    page.evaluate(
        "() => { window.__impressions = 0; window.print = () => window.__impressions++; }"
    )
    page.click("#fiche-imprimer")
    assert page.evaluate("window.__impressions") == 1
    # printed (print stylesheet): the figures and the notes, without forms or buttons
    page.emulate_media(media="print")
    assert page.is_visible("table.tableau-chiffres") and page.is_visible("#notes-liste")
    assert not page.is_visible("#note-nouvelle") and not page.is_visible("#pdf-telecharger")
    assert not page.is_visible("header.bandeau")
    page.emulate_media(media="screen")

    page.check("#pdf-notes")
    with page.expect_download() as telechargement:
        page.click("#pdf-telecharger")
    fichier = telechargement.value
    assert re.fullmatch(r"fiche-structure-\d+-[\d-]+\.pdf", fichier.suggested_filename)
    lecteur = pypdf.PdfReader(fichier.path())
    lu = " ".join(p.extract_text() for p in lecteur.pages)
    assert nom in lu and "Chiffres annuels" in lu
    assert "atelier bois relancé" in re.sub(r"\s+", " ", lu)
    page.close()


def test_cd_d_un_autre_departement_ne_l_atteint_pas(navigateur, serveur):
    page = connecter(navigateur, serveur, "cd@demo.test", attendre="#mensuel-kpis-moyen-valeur")
    reponse = page.goto(serveur + "/structure/1001")  # a structure of the DDETS 35's demo
    assert reponse.status == 404
    corps = page.inner_text("body")
    assert "Structure introuvable" in corps
    assert "Notes de terrain" not in corps and "Potager" not in corps
    page.close()


def test_siae_ouvre_sa_page_sans_les_notes(navigateur, serveur):
    page = connecter(navigateur, serveur, "siae@demo.test", attendre="#mensuel-kpis-moyen-valeur")
    lien = page.locator("#filtres-fiche-structure")
    lien.wait_for(state="visible")
    lien.click()
    page.wait_for_url(re.compile(r"/structure/100[12]$"))
    assert _annees_du_tableau(page) == ANNEES
    corps = page.inner_text("body")
    assert "SIRET" in corps and "Identité" in corps
    assert "Notes de terrain" not in corps and "inclure les notes" not in corps
    page.close()
