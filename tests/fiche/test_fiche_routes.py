"""``/structure/<id>`` over HTTP: deny by default, forged ids, notes forms, the PDF."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from outils_fiche import chiffres_annuels

from auth.testing import csrf_token_in
from etp import notes
from etp.fiche.presentation import titre_ligne
from etp.scope import Scope

INCONNUES = ["999999", "abc", "0", "-1", "101.0", "1e3", "%27%20OR%201%3D1", "99999999999999999999"]


def _jeton(client) -> str:
    """A valid CSRF token of the client's session, even for a user whose page has no form:
    the dashboard's logout form carries one (a forgery then fails on the scope, not on CSRF)."""
    layout = client.get("/_dash-layout").get_data(as_text=True)
    return re.search(r'"value":"([^"]+)","type":"hidden","name":"csrf_token"', layout).group(1)


def _note(client, structure_id=101, texte="Visite du 3 octobre : équipe stable", **donnees):
    data = {"csrf_token": _jeton(client), "date_note": "2022-10-03", "categorie": "visite"}
    data["texte"] = texte
    data.update(donnees)
    return client.post(f"/structure/{structure_id}/notes", data=data)


def _corps_404(client, chemin: str) -> bytes:
    r = client.get(chemin)
    assert r.status_code == 404, chemin
    return r.data


def test_anonyme_renvoye_a_la_connexion(client, scenario):
    for chemin in ("/structure/101", "/structure/101/fiche.pdf", "/structure/999999"):
        r = client.get(chemin)
        assert r.status_code == 302 and "/connexion" in r.headers["Location"]
    r = client.post("/structure/101/notes", data={"texte": "anonyme", "categorie": "visite"})
    assert r.status_code == 302 and "/connexion" in r.headers["Location"]
    assert notes.lister(scenario, Scope.everything(), 101) == []


def test_hors_perimetre_meme_reponse_qu_inconnue(comptes, connecte):
    """DDETS 57 asks for Alpha (54): exactly the page an unknown or malformed id gets."""
    client = connecte(comptes["ddets_57"])
    attendu = _corps_404(client, "/structure/999999")
    assert "Structure introuvable" in attendu.decode()
    assert _corps_404(client, "/structure/101") == attendu
    assert _corps_404(client, "/structure/101/fiche.pdf") == attendu
    for inconnue in INCONNUES:
        assert _corps_404(client, f"/structure/{inconnue}") == attendu
        assert _corps_404(client, f"/structure/{inconnue}/fiche.pdf") == attendu
    assert client.get("/structure/103").status_code == 200  # its own département: the control


def test_siae_voit_sa_page_sans_les_notes(comptes, connecte, scenario):
    notes.ajouter(
        scenario, Scope.of_departements(["54"]), notes.Auteur(1, "A", "DDETS 54"), 101,
        "2022-10-01", "difficulte", "Texte confidentiel des financeurs",
    )  # fmt: skip
    client = connecte(comptes["siae"])
    page = client.get("/structure/101")
    assert page.status_code == 200
    assert "Alpha" in page.text and "00000000000101" in page.text  # name, SIRET
    assert "Notes de terrain" not in page.text
    assert "Texte confidentiel" not in page.text
    assert "inclure les notes" not in page.text
    # another structure: the same 404 as an unknown one
    assert _corps_404(client, "/structure/102") == _corps_404(client, "/structure/999999")
    # forged note requests: refused, nothing written, nothing read
    assert _note(client).status_code == 404
    assert client.get("/structure/101?q=confidentiel").text.count("confidentiel") == 0
    pdf = client.get("/structure/101/fiche.pdf?notes=1")
    assert pdf.status_code == 200
    assert "confidentiel" not in _texte_pdf(pdf.data)
    assert len(notes.lister(scenario, Scope.everything(), 101)) == 1


def test_financeur_ajoute_recherche_et_modifie_sa_note(comptes, connecte, scenario):
    client = connecte(comptes["ddets"])
    r = _note(client)
    assert r.status_code == 302 and r.headers["Location"].endswith("/structure/101#notes")
    page = client.get("/structure/101").text
    assert "Note enregistrée." in page
    assert "Visite du 3 octobre : équipe stable" in page
    assert "Agent Meurthe" in page
    (note,) = notes.lister(scenario, Scope.everything(), 101)

    assert "Aucune note ne contient" in client.get("/structure/101?q=inexistant").text
    assert "équipe stable" in client.get("/structure/101?q=EQUIPE").text

    jeton = csrf_token_in(page)
    r = client.post(
        f"/structure/101/notes/{note.id}",
        data={"csrf_token": jeton, "date_note": "2022-10-04", "categorie": "contexte",
              "texte": "Nouvelle direction"},
    )  # fmt: skip
    assert r.status_code == 302
    page = client.get("/structure/101").text
    assert "Nouvelle direction" in page
    assert "Historique (2 versions)" in page  # the first text is kept
    assert "Visite du 3 octobre : équipe stable" in page


def test_collegue_lit_mais_ne_modifie_pas(comptes, connecte, scenario):
    _note(connecte(comptes["ddets"]))
    (note,) = notes.lister(scenario, Scope.everything(), 101)
    collegue = connecte(comptes["ddets_collegue"])
    page = collegue.get("/structure/101").text
    assert "équipe stable" in page
    assert f'action="/structure/101/notes/{note.id}"' not in page  # no edit form
    r = collegue.post(
        f"/structure/101/notes/{note.id}",
        data={"csrf_token": csrf_token_in(page), "date_note": "2022-10-03",
              "categorie": "visite", "texte": "réécrite"},
    )  # fmt: skip
    assert r.status_code == 404
    assert notes.lire(scenario, Scope.everything(), note.id).texte.endswith("équipe stable")


@pytest.mark.parametrize("compte", ["cd_autre", "ddets_57", "siae", "vide"])
def test_autres_ne_lisent_ni_n_ecrivent(comptes, connecte, scenario, compte):
    _note(connecte(comptes["ddets"]))
    (note,) = notes.lister(scenario, Scope.everything(), 101)
    client = connecte(comptes[compte])
    page = client.get("/structure/101")
    assert "équipe stable" not in page.text
    jeton = _jeton(client)
    for chemin, texte in (
        ("/structure/101/notes", "forgée"),
        (f"/structure/101/notes/{note.id}", "modifiée"),
        (f"/structure/106/notes/{note.id}", "modifiée"),
    ):
        r = client.post(
            chemin,
            data={"csrf_token": jeton, "date_note": "2022-10-03", "categorie": "visite",
                  "texte": texte},
        )  # fmt: skip
        assert r.status_code == 404, chemin
    lues = notes.lister(scenario, Scope.everything(), 101)
    assert [n.texte for n in lues] == ["Visite du 3 octobre : équipe stable"]


def test_sans_jeton_csrf_refuse(comptes, connecte, scenario):
    client = connecte(comptes["ddets"])
    r = client.post(
        "/structure/101/notes",
        data={"date_note": "2022-10-03", "categorie": "visite", "texte": "sans jeton"},
    )
    assert r.status_code == 400
    assert notes.lister(scenario, Scope.everything(), 101) == []


def test_note_invalide_dit_pourquoi(comptes, connecte, scenario):
    client = connecte(comptes["ddets"])
    r = _note(client, texte="   ")
    assert r.status_code == 302
    assert "Le texte de la note est vide." in client.get("/structure/101").text
    assert notes.lister(scenario, Scope.everything(), 101) == []


def _texte_pdf(contenu: bytes) -> str:
    lecteur = pypdf.PdfReader(io.BytesIO(contenu))
    return "\n".join(p.extract_text() for p in lecteur.pages)


def test_pdf_produit_lisible_avec_nom_siret_et_chiffres(comptes, connecte):
    client = connecte(comptes["ddets"])
    r = client.get("/structure/101/fiche.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert re.search(r'attachment; filename="fiche-structure-101-[0-9-]+\.pdf"', r.headers[
        "Content-Disposition"])  # fmt: skip
    texte = _texte_pdf(r.data)
    assert "Alpha" in texte and "00000000000101" in texte
    lus = chiffres_annuels(client.get("/structure/101").text)
    normalise = re.sub(r"\s+", " ", texte.replace("\u202f", " ").replace("\xa0", " "))
    for annee in (2021, 2022):
        for cle in (
            "conventionne.etp_annuel",
            "realise.etp_annuel",
            "realise.etp_mensuel_moyen",
            "projection.etp_annuel",
        ):
            valeur = lus[annee][titre_ligne(cle)]
            assert valeur in normalise, (annee, cle, valeur)
    assert "23,33" in normalise and "8,58" in normalise  # the guide's example, 2022
    assert "Définitions utilisées" in texte and "Données à jour au 05/10/2022" in normalise
    assert "Notes de terrain" not in texte  # not asked for


def test_pdf_avec_les_notes_seulement_sur_demande(comptes, connecte):
    client = connecte(comptes["ddets"])
    _note(client, texte="Rencontre avec la directrice")
    assert "Rencontre avec la directrice" not in _texte_pdf(
        client.get("/structure/101/fiche.pdf").data
    )
    avec = _texte_pdf(client.get("/structure/101/fiche.pdf?notes=1").data)
    assert "Notes de terrain" in avec and "Rencontre avec la directrice" in avec


def test_pdf_et_notes_au_journal(comptes, connecte, scenario):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from auth.models import EvenementJournal

    client = connecte(comptes["ddets"])
    _note(client, texte="Texte qui ne va pas au journal")
    (note,) = notes.lister(scenario, Scope.everything(), 101)
    page = client.get("/structure/101").text
    client.post(
        f"/structure/101/notes/{note.id}",
        data={"csrf_token": csrf_token_in(page), "date_note": "2022-10-03",
              "categorie": "contexte", "texte": "Seconde version"},
    )  # fmt: skip
    client.get("/structure/101/fiche.pdf?notes=1")
    connecte(comptes["siae"]).get("/structure/101/fiche.pdf")
    with Session(scenario) as session:
        lignes = session.scalars(
            select(EvenementJournal)
            .where(EvenementJournal.action.in_(["note_ajoutee", "note_modifiee", "fiche_pdf"]))
            .order_by(EvenementJournal.id)
        ).all()
    vues = [(e.action, e.acteur_email, e.cible) for e in lignes]
    assert vues == [
        ("note_ajoutee", "ddets54@test.fr", "structure 101"),
        ("note_modifiee", "ddets54@test.fr", "structure 101"),
        ("fiche_pdf", "ddets54@test.fr", "structure 101"),
        ("fiche_pdf", "siae101@test.fr", "structure 101"),
    ]
    assert all("Texte qui ne va pas" not in (e.details or "") for e in lignes)
    assert '"notes incluses": "oui"' in lignes[2].details
    assert '"notes incluses": "non"' in lignes[3].details  # an SIAE never gets notes
