"""The "Cofinancement CD" tab and its exports through the callbacks: plain calls as a logged-in
user, and forged POSTs to ``/_dash-update-component`` after a real login. The data is the
hand-computed case of tests/cas_cofinancement.py (AFs 1000 and 2000 in département 54,
structure 112; AF 4000 in Mayotte, structure 113)."""

from __future__ import annotations

import base64
import io
import json

import openpyxl
import plotly
import pytest
from cas_cofinancement import tous_les_fichiers
from outils_dash import dash_post

from callbacks import cofinancement, export_sources, exports
from etp.fluxiae import import_paths
from layouts import cofinancement as vue
from layouts import ids

ETAT = {"annee": 2022}
DANS_54 = ("ACI054220001", "ACI054220002")
HORS_54 = ("ACI976220001", "CHANTIER DE MAMOUDZOU", "CD MAYOTTE", "976 - Mayotte")


def texte(obj) -> str:
    return json.dumps(obj, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


@pytest.fixture
def comptes(engine, tmp_path, make_user):
    import_paths(engine, list(tous_les_fichiers(tmp_path / "f").values()))
    return {
        "cd": make_user("cd54@test.fr", "cd", departement="54"),
        "dreets": make_user("dreets44@test.fr", "dreets", region="44"),
        "siae": make_user("siae113@test.fr", "siae", structures=[113]),
        "dgefp": make_user("dgefp@test.fr", "dgefp"),
        "vide": make_user("personne@test.fr", None),
    }


def tableaux(etat) -> str:
    """The first page of every per-AF table of the tab (paginated on the server)."""
    return texte([t.reponse(etat, 0, 100) for t in cofinancement.TABLES.values()])


def test_cd_voit_ses_annexes_cofinancees(comptes, en_tant_que):
    with en_tant_que(comptes["cd"]):
        cartes = cofinancement.contenu(ETAT)
        t = texte(cartes) + tableaux(ETAT)
    for numero in DANS_54:
        assert numero in t
    for hors in HORS_54:
        assert hors not in t
    assert "ACI054220003" not in t  # not co-financed
    # data date: the latest emi_date_creation, 28/08/2022
    assert "Cofinancement 2022 (mois pris en compte jusqu" in t and "août" in t
    assert "72\u202f480\u00a0€" in t or "72\u202f480 €" in t  # 60 000 + 12 480
    assert "Annexes sous la cible bRSA" in t
    # July: 1 of 2 AFs validated, said in the chart's notes
    assert "Juillet : 1 annexe validée sur 2" in t


def test_dreets_voit_sa_region_et_dgefp_tout(comptes, en_tant_que):
    with en_tant_que(comptes["dreets"]):
        t = texte(cofinancement.contenu(ETAT)) + tableaux(ETAT)
    assert all(n in t for n in DANS_54) and "ACI976220001" not in t
    with en_tant_que(comptes["dgefp"]):
        t = texte(cofinancement.contenu(ETAT)) + tableaux(ETAT)
    assert all(n in t for n in (*DANS_54, "ACI976220001"))


def test_siae_ne_voit_que_ses_annexes(comptes, en_tant_que):
    with en_tant_que(comptes["siae"]):
        t = texte(cofinancement.contenu(ETAT)) + tableaux(ETAT)
    assert "ACI976220001" in t
    for numero in DANS_54:
        assert numero not in t


def test_sans_perimetre_rien(comptes, en_tant_que):
    with en_tant_que(comptes["vide"]):
        t = texte(cofinancement.contenu(ETAT)) + tableaux(ETAT)
    for numero in (*DANS_54, "ACI976220001"):
        assert numero not in t


@pytest.mark.parametrize(
    "etat",
    [
        {"annee": 2022, "departement": "976"},
        {"annee": 2022, "region": "06"},
        {"annee": 2022, "structure": 113},
        {"annee": 2022, "af": "ACI976220001"},
        {"annee": 2022, "structure": "113 OR 1=1"},
        {"annee": [2021, 2022]},
        {"annee": {"$gt": 0}},
        None,
    ],
)
def test_filtres_forges_appel_direct(comptes, en_tant_que, etat):
    with en_tant_que(comptes["cd"]):
        t = texte(cofinancement.contenu(etat)) + tableaux(etat)
        fichiers = [exports.fichier(card, "csv", etat) for card in vue.CARTES]
    for hors in HORS_54:
        assert hors not in t
    for f in fichiers:
        if f is not None:
            assert not any(h in base64.b64decode(f["content"]).decode("utf-8-sig") for h in HORS_54)


def _post(client, app, output: str, inputs: dict):
    return dash_post(client, app, output, inputs)


def _contenu(etat) -> dict:
    return {(ids.selection_onglet(vue.TAB_ID), "data"): {"etat": etat}}


def test_post_anonyme_refuse(app, comptes):
    client = app.server.test_client()
    assert _post(client, app, vue.CONTENU, _contenu(ETAT)).status_code == 401


@pytest.mark.parametrize(
    "etat",
    [
        ETAT,
        {"annee": 2022, "departement": "976"},
        {"annee": 2022, "structure": 113},
        {"annee": 2022, "af": "ACI976220001"},
    ],
)
def test_post_forge_ne_sort_pas_du_perimetre(app, comptes, login, etat):
    client = app.server.test_client()
    assert login(client, "cd54@test.fr").status_code == 302
    reponses = [_post(client, app, vue.CONTENU, _contenu(etat))] + [
        _post(
            client,
            app,
            table_id,
            {**_contenu(etat), (table_id, "page_current"): 0, (table_id, "page_size"): 100},
        )
        for table_id in cofinancement.TABLES
    ]
    assert [r.status_code for r in reponses] == [200] * len(reponses)
    t = "".join(r.get_data(as_text=True) for r in reponses)
    for hors in HORS_54:
        assert hors not in t
    if etat == ETAT:
        assert all(n in t for n in DANS_54)


def test_exports_de_chaque_carte(comptes, en_tant_que):
    assert {c: export_sources.SOURCES[c].onglet for c in vue.CARTES} == dict.fromkeys(
        vue.CARTES, vue.TAB_ID
    )
    with en_tant_que(comptes["cd"]):
        repartition = exports.fichier(vue.REPARTITION, "xlsx", ETAT)
        mois = exports.fichier(vue.BRSA_TABLE, "csv", ETAT)
        tout = exports.tout(vue.TAB_ID, ETAT)
    wb = openpyxl.load_workbook(io.BytesIO(base64.b64decode(repartition["content"])))
    feuille = wb.worksheets[0]
    valeurs = [[c.value for c in row] for row in feuille.iter_rows()]
    plat = texte([[str(v) for v in row] for row in valeurs])
    assert all(n in plat for n in DANS_54) and "ACI976220001" not in plat
    # unrounded amounts in the workbook
    assert any(v == 60000.0 for row in valeurs for v in row)
    assert any(
        isinstance(v, float) and abs(v - 12.5 * 60000 / 267587.5) < 1e-9
        for row in valeurs
        for v in row
    )
    csv = base64.b64decode(mois["content"]).decode("utf-8-sig")
    assert "Cible bRSA des annexes validées" in csv and "juillet" in csv
    noms = openpyxl.load_workbook(io.BytesIO(base64.b64decode(tout["content"]))).sheetnames
    assert {"Cofinancement", "Cible bRSA", "Répartition État CD", "Sous la cible"} <= set(noms)


def test_onglet_present_pour_tous(app, comptes, login):
    from layouts.tabs import TABS

    assert vue.TAB_ID in [o.tab_id for o in TABS]
