"""/bourse/demande (SIAE) and /bourse/simulation (funders): roles, scope, forged requests,
scenario sharing and export (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import re
from html import unescape

import openpyxl
import pytest

from auth.testing import csrf_token_in
from etp import demandes, scenarios
from etp.catalogue import titre
from etp.scope import Scope

DDETS_35 = Scope.of_departements(["35"])


def _token(client, url):
    return csrf_token_in(client.get(url).text)


def _demander(client, af, delta="2", mois="11", justification="Deux embauches en novembre"):
    token = _token(client, "/bourse/demande?annee=2022")  # the form of its own first AF
    return client.post(
        f"/bourse/demande?annee=2022&af={af}",
        data={"csrf_token": token, "delta": delta, "mois": mois, "justification": justification},
    )


def _simuler(client, action, lignes, **champs):
    data = {"csrf_token": _token(client, "/bourse/simulation?annee=2022"), "annee": "2022"}
    data["action"] = action
    for af, (delta, mois) in lignes.items():
        data[f"delta_{af}"] = delta
        data[f"mois_{af}"] = mois
    return client.post("/bourse/simulation", data={**data, **champs})


def test_anonymous_is_sent_to_login(monde):
    anonyme = monde["anonyme"]
    for url in ("/bourse/demande", "/bourse/simulation", "/bourse/scenarios/1/export.xlsx"):
        assert anonyme.get(url).status_code == 302
    assert anonyme.post("/bourse/simulation", data={"action": "enregistrer"}).status_code == 302
    assert (
        anonyme.post("/bourse/demandes/1/reponse", data={"decision": "accepter"}).status_code == 302
    )


def test_each_role_gets_its_own_page(monde):
    assert monde["siae1"].get("/bourse/simulation").status_code == 403
    assert monde["siae1"].post("/bourse/demandes/1/reponse").status_code == 403
    assert monde["ddets35"].get("/bourse/demande").status_code == 403


def test_siae_form_is_prefilled_with_its_af_figures(monde):
    page = monde["siae1"].get("/bourse/demande?annee=2022&af=1").text
    assert "EI035220001" in page and "Atelier Rennais" not in page
    # C 28 from March: 28 × 10 / 12 = 23,33 ETP; realised Mar–Aug 103 / 12 = 8,58 ETP
    assert "28,00 ETP" in page and "23,33 ETP" in page and "8,58 ETP" in page
    # trend: August, the last validated month, 28 ETP, above the 17,17 average
    tendance = page.split('id="tendance"')[1].split("</dd>")[0]
    assert "août 2022 : 28,00 ETP" in tendance and "au-dessus" in tendance
    # data up to October: the first month offered is November
    assert 'value="11"' in page and 'value="10"' not in page.split('id="mois"')[1][:200]


def test_siae_request_seen_by_its_funders_and_answered(monde, engine):
    assert _demander(monde["siae1"], 1).status_code == 302
    page = monde["siae1"].get("/bourse/demande?annee=2022").text
    assert "envoyée" in page and "Deux embauches en novembre" in page
    assert "Deux embauches" not in monde["siae3"].get("/bourse/demande?annee=2022").text
    assert "Deux embauches" in monde["ddets35"].get("/bourse/simulation?annee=2022").text
    assert "Deux embauches" not in monde["ddets31"].get("/bourse/simulation?annee=2022").text
    (d,) = demandes.lister(engine, DDETS_35)
    token = _token(monde["ddets35"], "/bourse/simulation?annee=2022")
    reponse = monde["ddets35"].post(
        f"/bourse/demandes/{d.id}/reponse",
        data={"csrf_token": token, "decision": "accepter", "message": "Accordé pour novembre"},
    )
    assert reponse.status_code == 302
    page = monde["siae1"].get("/bourse/demande?annee=2022").text
    assert "acceptée" in page and "Accordé pour novembre" in page
    document = monde["siae1"].get(f"/bourse/demande/{d.id}/document")
    assert document.status_code == 200 and "Accordé pour novembre" in document.text
    assert monde["siae3"].get(f"/bourse/demande/{d.id}/document").status_code == 404


def test_siae_cannot_request_on_another_structure_af(monde, engine):
    reponse = _demander(monde["siae1"], 3)
    assert reponse.status_code == 400 and "pas dans votre périmètre" in reponse.text
    assert demandes.lister(engine, DDETS_35) == []


def test_request_refusals_in_french_and_csrf(monde, engine):
    passe = _demander(monde["siae1"], 1, mois="9")
    assert passe.status_code == 400 and "déjà passé" in passe.text
    illisible = _demander(monde["siae1"], 1, delta="deux")
    assert illisible.status_code == 400 and "nombre d'ETP" in unescape(illisible.text)
    sans_jeton = monde["siae1"].post(
        "/bourse/demande?af=1", data={"delta": "2", "mois": "11", "justification": "x"}
    )
    assert sans_jeton.status_code == 400
    assert demandes.lister(engine, DDETS_35) == []


def test_forged_answer_outside_the_scope_is_refused(monde, engine):
    _demander(monde["siae1"], 1)
    (d,) = demandes.lister(engine, DDETS_35)
    token = _token(monde["ddets31"], "/bourse/simulation?annee=2022")
    reponse = monde["ddets31"].post(
        f"/bourse/demandes/{d.id}/reponse", data={"csrf_token": token, "decision": "refuser"}
    )
    assert reponse.status_code == 404
    sans_jeton = monde["ddets35"].post(
        f"/bourse/demandes/{d.id}/reponse", data={"decision": "accepter"}
    )
    assert sans_jeton.status_code == 400
    assert demandes.lister(engine, DDETS_35)[0].etat == demandes.ENVOYEE


def test_simulation_recomputes_and_balances(monde):
    # AF 1: +2 from November = 2 months of an AF at 10 000 €: +0,33 ETP, +3 333 €
    # AF 3: −1 from November at 22 000 €: −0,17 ETP, −3 667 €; balance −333 €: within
    page = _simuler(monde["ddets35"], "calculer", {1: ("2", "11"), 3: ("-1", "11")}).text
    bilan = unescape(page.split('id="bilan"')[1])
    assert "29,33 ETP" in bilan  # 23,33 + 6
    assert "29,50 ETP" in bilan  # + 0,33 − 0,17
    assert "Dans l'enveloppe" in bilan
    assert "3\u202f333" in page or "3 333" in page


def test_simulation_refuses_floor_past_month_and_foreign_af(monde, engine):
    page = _simuler(
        monde["ddets35"],
        "enregistrer",
        {1: ("-30", "11"), 3: ("1", "9"), 2: ("1", "11")},
        nom="Interdit",
    )
    assert page.status_code == 400
    assert "négatif" in page.text
    assert "déjà passé" in page.text
    assert "pas dans votre périmètre" in page.text
    assert scenarios.lister(engine, [1, 2, 3, 4, 5]) == []


def test_suggestion_and_requests_fill_the_adjustments(monde):
    _demander(monde["siae1"], 1, delta="1,5", mois="12")
    page = _simuler(monde["ddets35"], "demandes", {}).text
    assert re.search(r'name="delta_1"[^>]*value="1.5"', page)
    suggestion = _simuler(monde["ddets35"], "suggestion", {}).text
    # Atelier Rennais realised exactly its 6 ETP: no gap, no suggestion
    assert re.search(r'name="delta_3"[^>]*value=""', suggestion)


def _enregistrer(client, nom="Bourse 2022"):
    reponse = _simuler(client, "enregistrer", {1: ("2", "11"), 3: ("-1", "11")}, nom=nom)
    assert reponse.status_code == 302, reponse.text
    return int(reponse.headers["Location"].rsplit("=", 1)[1])


def test_scenario_shared_read_only_in_the_organisation(monde):
    sid = _enregistrer(monde["ddets35"])
    page = monde["collegue35"].get(f"/bourse/simulation?scenario={sid}")
    assert page.status_code == 200 and "lecture seule" in page.text
    assert "Bourse 2022" in monde["collegue35"].get("/bourse/simulation?annee=2022").text
    token = _token(monde["collegue35"], "/bourse/simulation")
    assert (
        monde["collegue35"]
        .post(f"/bourse/scenarios/{sid}/supprimer", data={"csrf_token": token})
        .status_code
        == 403
    )
    changer = _simuler(
        monde["collegue35"], "enregistrer", {1: ("1", "12")}, nom="x", scenario_id=str(sid)
    )
    assert changer.status_code == 400 and "Seul l'auteur" in unescape(changer.text)
    copie = monde["collegue35"].post(
        f"/bourse/scenarios/{sid}/dupliquer", data={"csrf_token": token}
    )
    assert copie.status_code == 302
    assert "Copie de Bourse 2022" in monde["collegue35"].get(copie.headers["Location"]).text


def test_another_departement_cannot_open_a_scenario(monde):
    sid = _enregistrer(monde["ddets35"])
    autre = monde["ddets31"]
    assert autre.get(f"/bourse/simulation?scenario={sid}").status_code == 404
    assert autre.get(f"/bourse/scenarios/{sid}/export.xlsx").status_code == 404
    assert "Bourse 2022" not in autre.get("/bourse/simulation").text
    token = _token(autre, "/bourse/simulation")
    for action in ("dupliquer", "supprimer"):
        assert (
            autre.post(f"/bourse/scenarios/{sid}/{action}", data={"csrf_token": token}).status_code
            == 404
        )
    forge = _simuler(autre, "enregistrer", {}, nom="x", scenario_id=str(sid))
    assert forge.status_code == 404


def test_scenario_export(monde):
    sid = _enregistrer(monde["ddets35"])
    xlsx = monde["collegue35"].get(f"/bourse/scenarios/{sid}/export.xlsx")
    assert xlsx.status_code == 200
    classeur = openpyxl.load_workbook(io.BytesIO(xlsx.data))
    assert classeur.sheetnames[-1] == "Périmètre"
    feuille = classeur["Scénario"]
    entetes = [c.value for c in next(feuille.iter_rows())]
    lignes = [
        dict(zip(entetes, r, strict=True))
        for r in feuille.iter_rows(min_row=2, values_only=True)
        if r[0]
    ]
    par_af = {r["Annexe financière"]: r for r in lignes}
    assert set(par_af) == {"EI035220001", "ACI035220003"}
    apres, variation = titre("bourse.etp_annuel_conventionne_apres"), titre("bourse.delta_euros")
    ex = par_af["EI035220001"]
    assert ex["Effectif annuel conventionné avant (ETP)"] == pytest.approx(28 * 10 / 12)
    assert ex[apres] == pytest.approx(28 * 10 / 12 + 2 * 2 / 12)
    assert ex[variation] == pytest.approx(2 * 2 / 12 * 10_000)
    ren = par_af["ACI035220003"]
    assert ren[variation] == pytest.approx(-1 * 2 / 12 * 22_000)
    bilan = {r[0]: r for r in classeur["Bilan"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert bilan["Solde"][2] == pytest.approx(2 * 2 / 12 * 10_000 - 2 / 12 * 22_000)


def test_actions_logged_with_who(monde, engine):
    from auth import journal

    _demander(monde["siae1"], 1)
    (d,) = demandes.lister(engine, DDETS_35)
    sid = _enregistrer(monde["ddets35"])
    token = _token(monde["ddets35"], "/bourse/simulation?annee=2022")
    monde["ddets35"].post(
        f"/bourse/demandes/{d.id}/reponse",
        data={"csrf_token": token, "decision": "refuser", "message": "Enveloppe épuisée"},
    )
    lignes, _ = journal.lire(engine, journal.FiltreJournal())
    faits = {(e.action, e.acteur_email, e.cible) for e in lignes}
    assert ("demande_envoyee", "siae1@x.test", f"demande {d.id}") in faits
    assert ("scenario_enregistre", "ddets35@x.test", f"scénario {sid}") in faits
    assert ("demande_repondue", "ddets35@x.test", f"demande {d.id}") in faits


# --------------------------------------------------------------------------- live recomputation


def _calculer(client, lignes, autres="", token=None, **champs):
    """POST /bourse/simulation/calcul as assets/bourse-simulation.js does (the whole form)."""
    data = {
        "csrf_token": token or _token(client, "/bourse/simulation?annee=2022"),
        "annee": "2022",
        "autres": autres,
    }
    for af, (delta, mois) in lignes.items():
        data[f"delta_{af}"] = delta
        data[f"mois_{af}"] = mois
    return client.post("/bourse/simulation/calcul", data={**data, **champs})


def test_live_recomputation_hand_computed(monde):
    from etp.formatting import fmt_etp, fmt_euros, fmt_pct

    reponse = _calculer(monde["ddets35"], {1: ("2", "11"), 3: ("-1", "11")})
    assert reponse.status_code == 200 and reponse.is_json
    r = reponse.get_json()
    # AF 1: C 28 from March (10 months), +2 from November = 2 months: 280/12 + 4/12 ETP,
    # +4/12 × 10 000 €; projection = realised 103/12 + average 103/6 × 4 months left / 12
    apres_1 = 280 / 12 + 4 / 12
    projection_1 = 103 / 12 + (103 / 6) * 4 / 12
    assert r["lignes"]["1"] == {
        "apres": fmt_etp(apres_1),
        "delta_euros": fmt_euros(4 / 12 * 10_000, 0),
        "taux": fmt_pct(projection_1 / apres_1),
        "statut": r["lignes"]["1"]["statut"],
    }
    assert r["lignes"]["1"]["apres"] == "23,67"
    # AF 3: C 6 all year, −1 from November at 22 000 €; projection 6 ETP against 5,83: over
    assert r["lignes"]["3"]["apres"] == "5,83"
    assert r["lignes"]["3"]["taux"] == fmt_pct(6 / (6 - 2 / 12))
    assert "sur" in r["lignes"]["3"]["statut"].lower()
    # the territory: 29,33 ETP before; +0,33 −0,17 ETP; euros −333 €: within the envelope
    b = r["bilan"]
    assert b["enveloppe_etp_avant"] == "29,33 ETP" and b["enveloppe_etp_apres"] == "29,50 ETP"
    avant = 280 / 12 * 10_000 + 6 * 22_000
    assert b["enveloppe_euros_avant"] == fmt_euros(avant, 0)
    assert b["enveloppe_euros_apres"] == fmt_euros(avant + 4 / 12 * 10_000 - 2 / 12 * 22_000, 0)
    assert r["dans_enveloppe"] is True and b["depassement"] == ""
    assert b["nb_af"] == "2 annexes modifiées"
    assert r["erreurs"] == []


def test_live_recomputation_out_of_envelope_and_refusals(monde):
    r = _calculer(monde["ddets35"], {1: ("3", "11"), 3: ("-60", "11")}).get_json()
    # AF 3 refused (negative level): only AF 1's +6/12 × 10 000 € remains, out of the envelope
    assert r["dans_enveloppe"] is False
    assert r["bilan"]["depassement"].startswith("dépassement de 5")
    assert r["lignes"]["3"] == {"apres": "", "delta_euros": "", "taux": "", "statut": ""}
    assert any("négatif" in e for e in r["erreurs"])
    assert r["bilan"]["nb_af"] == "1 annexe modifiée"


def test_live_recomputation_counts_lines_of_other_pages(monde):
    # AF 3's line is on another page (hidden field « autres »); AF 1 is shown and emptied
    r = _calculer(monde["ddets35"], {1: ("", "11")}, autres="3:-1:11;1:5:11").get_json()
    assert set(r["lignes"]) == {"1"} and r["lignes"]["1"]["apres"] == ""
    assert r["bilan"]["nb_af"] == "1 annexe modifiée"
    assert r["bilan"]["enveloppe_etp_apres"] == "29,17 ETP"  # 29,33 − 2/12


def test_live_recomputation_forged_requests(monde):
    # anonymous: to the login page; an SIAE: forbidden; no CSRF token: refused
    assert monde["anonyme"].post("/bourse/simulation/calcul").status_code == 302
    assert monde["siae1"].post("/bourse/simulation/calcul", data={}).status_code == 403
    sans_jeton = monde["ddets35"].post("/bourse/simulation/calcul", data={"delta_1": "2"})
    assert sans_jeton.status_code == 400 and "expiré" in sans_jeton.get_json()["erreur"]
    # another département: AF 1 is outside its scope, nothing of it comes back
    r = _calculer(monde["ddets31"], {1: ("2", "11"), 2: ("1", "11")}).get_json()
    assert set(r["lignes"]) == {"2"}
    assert any("pas dans votre périmètre" in e for e in r["erreurs"])
    assert "EI035220001" not in str(r) and "EI Exemple" not in str(r)


def test_simulation_page_has_live_script_and_no_inline_script(monde):
    page = monde["ddets35"].get("/bourse/simulation?annee=2022")
    assert '<script src="/assets/bourse-simulation.js" defer></script>' in page.text
    assert not re.search(r"<script(?![^>]*\bsrc=)", page.text)  # CSP: no inline script
    assert re.search(r"\son[a-z]+=", page.text) is None  # no inline handler
    assert (
        "/assets/" in page.headers["Content-Security-Policy"]
        or "'self'" in (page.headers["Content-Security-Policy"])
    )


# --------------------------------------------------------------------------- filters and pages


def test_simulation_filters_and_pages(monde, monkeypatch):
    from app import bourse as pages

    monkeypatch.setattr(pages, "PAR_PAGE", 1)
    client = monde["ddets35"]
    premiere = client.get("/bourse/simulation?annee=2022").text
    # sorted by structure: Atelier Rennais (AF 3) then EI Exemple (AF 1), one per page
    assert 'id="af-3"' in premiere and 'id="af-1"' not in premiere
    assert "page 1 sur 2" in premiere
    # page 2 with AF 3's typed line carried in « autres », and the balance counts it
    page = _simuler(client, "calculer", {3: ("-1", "11")}, aller="2")
    texte = unescape(page.text)
    assert 'id="af-1"' in texte and 'id="af-3"' not in texte
    assert re.search(r'name="autres"[^>]*value="3:-1.0:11"', texte)
    assert "29,17 ETP" in texte.split('id="bilan"')[1]
    recherche = client.get("/bourse/simulation?annee=2022&q=exemple").text
    assert 'id="af-1"' in recherche and 'id="af-3"' not in recherche
    sous = client.get("/bourse/simulation?annee=2022&vue=sous").text  # AF 1 under-consumes
    assert 'id="af-1"' in sous and "1 annexe sur 2" in sous


# --------------------------------------------------------------------------- request PDF


def test_request_pdf_one_page_for_its_siae_and_funders_only(monde, engine):
    from pypdf import PdfReader

    _demander(monde["siae1"], 1, justification="Deux embauches en novembre")
    (d,) = demandes.lister(engine, DDETS_35)
    pdf = monde["siae1"].get(f"/bourse/demande/{d.id}/document.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "attachment" in pdf.headers["Content-Disposition"]
    lecteur = PdfReader(io.BytesIO(pdf.data))
    assert len(lecteur.pages) == 1
    texte = lecteur.pages[0].extract_text()
    assert "EI035220001" in texte and "Deux embauches en novembre" in texte
    assert "+2,00 ETP" in texte and "novembre 2022" in texte
    # 23,33 → 23,67 ETP (2 months), +3 333 € at 10 000 € per ETP
    assert "23,33" in texte and "23,67" in texte
    assert titre("projection.etp_annuel") in texte.replace("\n", " ")
    assert monde["ddets35"].get(f"/bourse/demande/{d.id}/document.pdf").status_code == 200
    for autre in ("siae3", "ddets31"):
        assert monde[autre].get(f"/bourse/demande/{d.id}/document.pdf").status_code == 404
    assert monde["anonyme"].get(f"/bourse/demande/{d.id}/document.pdf").status_code == 302
    assert monde["siae1"].get("/bourse/demande/999/document.pdf").status_code == 404
    from auth import journal

    lignes, _ = journal.lire(engine, journal.FiltreJournal())
    faits = {(e.action, e.acteur_email, e.cible) for e in lignes}
    assert ("export", "siae1@x.test", f"demande {d.id}") in faits
    assert ("export", "ddets35@x.test", f"demande {d.id}") in faits


# --------------------------------------------------------------------------- accept into a scenario


def test_accepting_from_a_scenario_puts_the_request_in_it(monde, engine):
    from etp.bourse import Ajustement

    _demander(monde["siae1"], 1, delta="1,5", mois="12")
    (d,) = demandes.lister(engine, DDETS_35)
    # the scenario has AF 1 at +2 from November and AF 3 at −1
    sid = _enregistrer(monde["ddets35"])
    token = _token(monde["ddets35"], f"/bourse/simulation?scenario={sid}")
    reponse = monde["ddets35"].post(
        f"/bourse/demandes/{d.id}/reponse",
        data={"csrf_token": token, "decision": "accepter", "scenario_id": str(sid)},
    )
    assert reponse.status_code == 302
    assert demandes.lire(engine, DDETS_35, d.id).etat == demandes.ACCEPTEE
    sc = scenarios.ouvrir(engine, [o for o in range(1, 10)], DDETS_35, sid)
    # the request replaced the scenario's line on AF 1; AF 3's line stays
    assert set(sc.lignes) == {Ajustement(1, 1.5, 12), Ajustement(3, -1.0, 11)}
    page = unescape(monde["ddets35"].get(f"/bourse/simulation?scenario={sid}").text)
    assert "reprise dans le scénario" in page
    # the balance: 29,33 + 1,5 × 1/12 − 2/12 = 29,29 ETP
    assert "29,29 ETP" in page.split('id="bilan"')[1]


def test_accepting_from_a_colleague_scenario_is_refused(monde, engine):
    _demander(monde["siae1"], 1)
    (d,) = demandes.lister(engine, DDETS_35)
    sid = _enregistrer(monde["ddets35"])
    avant = scenarios.ouvrir(engine, range(1, 10), DDETS_35, sid)
    token = _token(monde["collegue35"], f"/bourse/simulation?scenario={sid}")
    monde["collegue35"].post(
        f"/bourse/demandes/{d.id}/reponse",
        data={"csrf_token": token, "decision": "accepter", "scenario_id": str(sid)},
    )
    # nothing changed: neither the request nor the colleague's scenario
    assert demandes.lire(engine, DDETS_35, d.id).etat == demandes.ENVOYEE
    assert scenarios.ouvrir(engine, range(1, 10), DDETS_35, sid).lignes == avant.lignes
    # a scenario of another organisation: not found
    token31 = _token(monde["ddets31"], "/bourse/simulation")
    forge = monde["ddets31"].post(
        f"/bourse/demandes/{d.id}/reponse",
        data={"csrf_token": token31, "decision": "accepter", "scenario_id": str(sid)},
    )
    assert forge.status_code == 404
