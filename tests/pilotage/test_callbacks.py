"""The "Synthèse financeur" tab through its callbacks: plain calls as a logged-in user, and
forged POSTs to ``/_dash-update-component`` after a real login. Whatever the browser sends,
nothing out of the user's scope comes back."""

from __future__ import annotations

import json

import plotly
import pytest

from callbacks import financeurs
from layouts import financeurs as vue
from layouts import ids

ETAT = {"annee": 2022}
NBSP = "\u202f"  # Babel's thousands separator in fr_FR
# AF numbers, structures and départements outside DDETS 54.
HORS_54 = ("AI057200003", "Charlie", "57 - Moselle", "ACI035220006", "Foxtrot", "35 - Ille")
HORS_SIAE = ("ACI054220002", "Bravo", "ETTI054220004", "EI054190005", *HORS_54)


def texte(obj) -> str:
    """Everything a component tree or answer carries, as JSON text (tables' rows included)."""
    return json.dumps(obj, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def tableaux(etat) -> str:
    """The first page of every per-AF table under the cards (paginated on the server)."""
    return texte([t.reponse(etat, 0, 100) for t in financeurs.TABLES.values()])


def test_ddets_voit_sa_synthese(comptes, en_tant_que):
    with en_tant_que(comptes["ddets"]):
        haut, bas = financeurs.contenu(ETAT)
        t = texte(haut) + texte(bas) + tableaux(ETAT)
    assert "40,33 ETP" in t  # 23,33 + 10 + 4 + 3
    assert "Synthèse 2022 (mois pris en compte jusqu'à octobre 2022)" in t
    assert "Enveloppe par statut de consommation" in t  # one département: by type
    assert "type de structure" in t
    assert "EI054210001" in t and "16,31" in t  # seasonal projection of A, shown (14 % apart)
    assert f"51{NBSP}333" in t  # short-AF difference of A, in euros
    assert "EI054190005" in t  # late by 9 months
    for hors in HORS_54:
        assert hors not in t


def test_siae_ne_voit_que_ses_annexes_sans_decoupage_territorial(comptes, en_tant_que):
    with en_tant_que(comptes["siae"]):
        haut, bas = financeurs.contenu(ETAT)
        rows, _, _, _ = financeurs.suivi(ETAT, ["sous-consommation", "sur-consommation"], "etp")
        t = texte(haut) + texte(bas) + texte(rows) + tableaux(ETAT)
    assert "EI054210001" in t
    assert "Enveloppe par statut" not in t
    for hors in HORS_SIAE:
        assert hors not in t
    assert [r["numero_annexe_financiere"] for r in rows] == ["EI054210001"]


def test_dreets_decoupe_par_departement(comptes, en_tant_que):
    with en_tant_que(comptes["dreets"]):
        haut, _ = financeurs.contenu(ETAT)
    t = texte(haut)
    assert "par département" in t and "57 - Moselle" in t and "54 - Meurthe-et-Moselle" in t
    assert "ACI035220006" not in t and "35 - Ille" not in t


def test_suivi_classe_et_filtre_par_statut(comptes, en_tant_que):
    with en_tant_que(comptes["ddets"]):
        rows, _, _, resume = financeurs.suivi(
            ETAT, ["sous-consommation", "sur-consommation"], "etp"
        )
        sous, _, _, _ = financeurs.suivi(ETAT, ["sous-consommation"], "euros")
        forge, _, _, _ = financeurs.suivi(ETAT, ["<script>", 3, {"a": 1}], "etp")
    assert [r["numero_annexe_financiere"] for r in rows] == [
        "EI054210001",
        "ACI054220002",
        "ETTI054220004",
    ]
    assert rows[0]["statut"] == "Sous-consommation"
    assert rows[0]["ecart_projection_etp"] == "-9,03"
    assert rows[1]["ecart_projection_euros"].startswith("+44" + NBSP + "000")
    assert "3 annexes" in resume
    assert [r["numero_annexe_financiere"] for r in sous] == ["EI054210001", "ETTI054220004"]
    assert forge == []


@pytest.mark.parametrize(
    "etat",
    [
        {"annee": 2022, "departement": "57"},
        {"annee": 2022, "region": "53"},
        {"annee": 2022, "structure": 106},
        {"annee": 2022, "af": "AI057200003"},
        {"annee": 2022, "structure": "103 OR 1=1"},
        {"annee": [2021, 2022]},
        None,
    ],
)
def test_filtres_forges_appel_direct(comptes, en_tant_que, etat):
    with en_tant_que(comptes["ddets"]):
        haut, bas = financeurs.contenu(etat)
        rows, _, _, _ = financeurs.suivi(etat, ["sous-consommation", "sur-consommation"], "etp")
        t = texte(haut) + texte(bas) + texte(rows) + tableaux(etat)
    for hors in HORS_54:
        assert hors not in t
    assert rows == []


def test_sans_perimetre_rien(comptes, en_tant_que):
    with en_tant_que(comptes["vide"]):
        haut, bas = financeurs.contenu(ETAT)
        rows, _, _, _ = financeurs.suivi(ETAT, ["sous-consommation"], "etp")
    assert "Aucune donnée pour ce périmètre" in texte(haut)
    assert bas == [] and rows == []


def _post(client, app, output: str, inputs: dict):
    key = next(k for k in app.callback_map if f"{output}." in k)
    spec = app.callback_map[key]
    sent = [
        {"id": i["id"], "property": i["property"], "value": inputs[(i["id"], i["property"])]}
        for i in spec["inputs"]
    ]
    outputs = [
        {"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]}
        for o in key.strip(".").split("...")
    ]
    payload = {
        "output": key,
        "outputs": outputs,
        "inputs": sent,
        "changedPropIds": [f"{sent[0]['id']}.{sent[0]['property']}"],
        "state": [],
    }
    return client.post("/_dash-update-component", json=payload)


def _contenu(etat) -> dict:
    return {(ids.selection_onglet("financeurs"), "data"): {"etat": etat}}


def _suivi(etat) -> dict:
    return {
        **_contenu(etat),
        (vue.SUIVI_STATUTS, "value"): ["sur-consommation", "sous-consommation", "conforme"],
        (vue.SUIVI_TRI, "value"): "etp",
        (vue.SUIVI_TABLE, "page_current"): 0,
        (vue.SUIVI_TABLE, "page_size"): vue.LIGNES_PAR_PAGE,
    }


def _page(table_id: str) -> dict:
    return {(table_id, "page_current"): 0, (table_id, "page_size"): 100}


def test_post_anonyme_refuse(app, comptes):
    client = app.server.test_client()
    assert _post(client, app, vue.HAUT, _contenu(ETAT)).status_code == 401


@pytest.mark.parametrize(
    "etat",
    [
        ETAT,
        {"annee": 2022, "departement": "57"},
        {"annee": 2022, "departement": "35", "region": "53"},
        {"annee": 2022, "structure": 103},
        {"annee": 2022, "af": "ACI035220006"},
    ],
)
def test_post_forge_ne_sort_pas_du_perimetre(app, comptes, login, etat):
    client = app.server.test_client()
    assert login(client, "ddets54@test.fr").status_code == 302
    haut = _post(client, app, vue.HAUT, _contenu(etat))
    suivi = _post(client, app, vue.SUIVI_TABLE, _suivi(etat))
    pages = [
        _post(client, app, table_id, {**_contenu(etat), **_page(table_id)})
        for table_id in financeurs.TABLES
    ]
    assert [r.status_code for r in (haut, suivi, *pages)] == [200] * (2 + len(pages))
    t = "".join(r.get_data(as_text=True) for r in (haut, suivi, *pages))
    for hors in HORS_54:
        assert hors not in t
    if etat == ETAT:  # own scope: the data is there
        assert "EI054210001" in t and "40,33 ETP" in t


def test_sources_export_dans_le_perimetre(scenario):
    from etp.filters import Filtres
    from etp.scope import Scope

    scope = Scope.of_departements(["54"])
    for carte, (slug, source) in financeurs.EXPORTS.items():
        for etat in ({}, {"departement": "57"}):
            feuilles = source(scenario, scope, Filtres(annee=2022, as_of=(2022, 10), **etat))
            t = "".join(f.frame.to_csv() for f in feuilles)
            for hors in HORS_54:
                assert hors not in t, (carte, slug, etat)
    feuilles = financeurs.EXPORTS[vue.SUIVI][1](scenario, scope, Filtres(2022, as_of=(2022, 10)))
    frame = feuilles[0].frame
    assert frame["numero_annexe_financiere"].tolist()[0] == "EI054210001"
    a_proj = 103 / 12 + 103 / 6 * 4 / 12
    assert frame["projection_etp_annuel"].iloc[0] == pytest.approx(a_proj, abs=1e-9)  # unrounded
    assert frame["statut"].tolist()[-1] == "Aucun mois validé"
