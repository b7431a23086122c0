"""Browser walk of the bourse aux postes (issue 13): ``siae@demo.test`` asks for 2 ETP more
from September; ``ddets@demo.test`` sees it, builds a scenario that also takes ETP from an
under-consuming structure so that the envelope stays balanced, saves it, accepts the request;
the SIAE sees « acceptée ».

Its own demo server (data up to August 2026, so September is still to come), since the walk
writes requests and scenarios. Fixtures in tests/e2e/conftest.py.
"""

from __future__ import annotations

import pytest
from outils_e2e import STRUCTURES, connecter

pytestmark = pytest.mark.e2e

#: Data up to August 2026 (the demo's data date is a few days into its reference month).
TODAY_BOURSE = "2026-08-20"
TABLEAU = "#mensuel-kpis-moyen-valeur"


@pytest.fixture(scope="module")
def base(serveurs_demo, navigateur):
    return serveurs_demo(STRUCTURES, TODAY_BOURSE)


def test_bourse_walk(navigateur, base):
    # --- the SIAE asks for 2 ETP more from September, with a justification
    siae = connecter(navigateur, base, "siae@demo.test", attendre=TABLEAU)
    assert siae.locator("#lien-simulation").count() == 0
    with siae.expect_navigation():
        siae.click("#lien-demande-ajustement")
    siae.wait_for_selector("#chiffres-af")
    af_siae = siae.locator("#af-choix").input_value()
    siae.fill("#delta", "2")
    siae.select_option("#mois", "9")
    siae.fill("#justification", "Deux embauches prévues à la rentrée (chantier espaces verts).")
    with siae.expect_navigation():
        siae.click("#form-demande button[type=submit]")
    siae.wait_for_selector("#mes-demandes")
    assert siae.locator("#mes-demandes .etat-demande").first.inner_text() == "envoyée"

    # --- the DDETS sees it from its header link
    ddets = connecter(navigateur, base, "ddets@demo.test", attendre=TABLEAU)
    assert ddets.locator("#lien-demande-ajustement").count() == 0
    with ddets.expect_navigation():
        ddets.click("#lien-simulation")
    ddets.wait_for_selector("#table-simulation")
    ligne_siae = ddets.locator(f"#af-{af_siae}")
    assert ligne_siae.locator(".demande-attente").inner_text().startswith("+2,00 dès septembre")
    with ddets.expect_navigation():  # the form posts and the page comes back filled
        ddets.click("#reprendre-demandes")
    ddets.wait_for_selector("#table-simulation")
    assert float(ddets.locator(f"#delta_{af_siae}").input_value()) == 2.0
    assert ddets.locator(f"#mois_{af_siae}").input_value() == "9"

    # --- take 2 ETP from September from an under-consuming AF (a projected surplus of at
    # least 2 ETP) whose aid per ETP is not lower, so the euros stay within the envelope
    aide_siae = float(ddets.locator(f"#af-{af_siae}").get_attribute("data-aide"))
    candidats = []
    for ligne in ddets.locator("#table-simulation tbody tr").all():
        af = ligne.get_attribute("id").removeprefix("af-")
        suggestion = ligne.get_attribute("data-suggestion")
        aide = ligne.get_attribute("data-aide")
        surplus = af != af_siae and suggestion and float(suggestion) <= -2
        if surplus and aide and float(aide) >= aide_siae:
            candidats.append((float(suggestion), af))
    assert candidats, "no under-consuming AF with a surplus of 2 ETP in the demo"
    _, af_sous = min(candidats)  # the largest projected surplus
    # the page recomputes as the agent types (assets/bourse-simulation.js asks the server),
    # without a reload: the AF's new annual conventioned ETP and the balance change live
    url_avant = ddets.url
    assert ddets.locator(f"#af-{af_sous} [data-champ=apres]").inner_text() == ""
    with ddets.expect_response("**/bourse/simulation/calcul") as calcul:
        ddets.fill(f"#delta_{af_sous}", "-2")
    assert calcul.value.ok
    with ddets.expect_response("**/bourse/simulation/calcul"):
        ddets.select_option(f"#mois_{af_sous}", "9")
    ddets.wait_for_function(
        "document.getElementById('etat-calcul').textContent === 'Calcul à jour.'"
    )
    assert ddets.url == url_avant
    assert ddets.locator(f"#af-{af_sous} [data-champ=apres]").inner_text() != ""
    assert ddets.locator(".erreur-simulation").count() == 0
    assert "Dans l'enveloppe" in ddets.locator("#dans-enveloppe").inner_text()
    bilan = ddets.locator("#bilan").inner_text()
    avant = bilan.split("Enveloppe avant")[1].split("ETP")[0].strip()
    apres = bilan.split("Enveloppe après ajustements")[1].split("ETP")[0].strip()
    assert avant == apres  # as many ETP given as taken, over the same months

    # --- save, then accept the request from the saved scenario
    ddets.fill("#nom", "Bourse 2026 - rentrée")
    with ddets.expect_navigation():
        ddets.click("#enregistrer")
    ddets.wait_for_selector("#scenario-ouvert")
    assert "Bourse 2026 - rentrée" in ddets.locator("#scenario-ouvert").inner_text()
    assert float(ddets.locator(f"#delta_{af_sous}").input_value()) == -2.0
    demande = ddets.locator("#demandes-siae tbody tr", has_text="Deux embauches")
    demande.locator("input[name=message]").fill("Accordé : 2 ETP dès septembre.")
    with ddets.expect_navigation():
        demande.locator("button[value=accepter]").click()
    ddets.wait_for_selector("#scenario-ouvert")
    assert "acceptée" in ddets.locator("#demandes-siae").inner_text()
    assert "reprise dans le scénario" in ddets.locator("main").inner_text()
    # the accepted request is the scenario's line on the SIAE's AF; still balanced
    assert float(ddets.locator(f"#delta_{af_siae}").input_value()) == 2.0
    assert ddets.locator(f"#mois_{af_siae}").input_value() == "9"
    assert "Dans l'enveloppe" in ddets.locator("#dans-enveloppe").inner_text()
    # the scenario as Excel
    with ddets.expect_download() as telechargement:
        ddets.click("#exporter-scenario")
    assert telechargement.value.suggested_filename.endswith(".xlsx")
    assert (telechargement.value.path().read_bytes())[:2] == b"PK"

    # --- the SIAE sees the answer
    siae.reload()
    siae.wait_for_selector("#mes-demandes")
    assert siae.locator("#mes-demandes .etat-demande").first.inner_text() == "acceptée"
    assert "Accordé : 2 ETP dès septembre." in siae.locator("#mes-demandes").inner_text()
    # the request as a PDF to attach to an e-mail
    with siae.expect_download() as telechargement:
        siae.locator("#mes-demandes .document-pdf").first.click()
    assert telechargement.value.suggested_filename.endswith(".pdf")
    assert telechargement.value.path().read_bytes()[:5] == b"%PDF-"
    siae.close()
    ddets.close()
