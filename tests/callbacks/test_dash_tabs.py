"""Every tab called as a plain function, as a logged-in user, on known data (the guide's
worked example: 17,17 / 23,33 / 8,58 / 37 %)."""

from __future__ import annotations

import math

from outils_dash import decode, find_graph, texte_de, textes

from callbacks import annuel, detail_annuel, detail_mensuel, mensuel, page
from layouts import ids

NBSP = "\u00a0"
ETAT_2022 = {"annee": 2022}


def test_mensuel_worked_example(users, en_tant_que):
    with en_tant_que(users["siae"]):
        contenu = mensuel.contenu({"annee": 2022, "structure": 1})
    t = textes(contenu)
    # each figure read from its own tile, so that two tiles showing 28,00 cannot be confused
    assert texte_de(contenu, "mensuel-kpis-conventionne-valeur") == "28,00"
    assert texte_de(contenu, "mensuel-kpis-moyen-valeur") == "17,17"  # (5+10+20+20+20+28)/6
    dernier = texte_de(contenu, "mensuel-kpis-dernier")  # last validated month: August, 28
    assert "28,00" in dernier and "août 2022" in dernier
    assert texte_de(contenu, "mensuel-kpis-statut-valeur") == "Sous-consommation"
    assert any("-10,83 ETP" in s and "-39\u00a0%" in s for s in t)
    assert any("moins de 12 mois" in s for s in t)
    assert any("septembre" in s and "pas encore" in s for s in t)


def test_mensuel_aggregate_last_month_is_the_last_fully_validated(users, en_tant_que, monde):
    # September: Atelier Rennais (AF id 1003) validated, EI Exemple only entered -> the card
    # shows August, the last month validated by every AF, not a half-declared September.
    monde.etats(1003, 2022, {9: ("VALIDE", 6.0 * 1820.0 / 12)})
    with en_tant_que(users["ddets"]):
        t = textes(mensuel.contenu(ETAT_2022))
    assert "34,00" in t  # 28 + 6 conventioned, and 28 + 6 realised in August
    assert "août 2022" in t
    assert "23,17" in t  # group average = sum of averages: 17,17 + 6


def test_mensuel_chart_never_draws_unvalidated_months_as_zero(users, en_tant_que):
    with en_tant_que(users["siae"]):
        contenu = mensuel.contenu({"annee": 2022, "structure": 1})
    fig = decode(find_graph(contenu, ids.graph_id(ids.MENSUEL_GRAPHIQUE)))
    traces = {t["name"]: t for t in fig["data"]}
    realise = traces["Réalisé (annexes validées)"]["y"]
    assert realise[:2] == [None, None]  # not conventioned
    assert [round(v, 6) for v in realise[2:8]] == [5, 10, 20, 20, 20, 28]
    assert realise[8] is None  # September: entered, not validated -> no bar, never 0
    # the conventioned ETP of the AF not validated is stacked on the conventioned bar (issue
    # 9), never on the realised one
    non_valide = traces["Conventionné (annexes non validées)"]
    assert non_valide["offsetgroup"] == "conventionne"
    assert non_valide["y"][8] == 28 and non_valide["text"][8] == "Saisi"
    assert non_valide["text"][9] == "Brouillon"  # October, the as-of month
    taux = traces["Taux de réalisation"]["y"]
    assert math.isclose(taux[7], 1.0) and taux[8] is None
    remplissage = decode(find_graph(contenu, ids.graph_id(ids.MENSUEL_REMPLISSAGE)))
    par_etat = {t["name"]: t["y"] for t in remplissage["data"]}
    assert par_etat["Validé"][2:8] == [1] * 6
    assert par_etat["Saisi"][8] == 1 and par_etat["Brouillon"][9] == 1
    assert par_etat["Non saisi"][10:] == [1, 1]


def test_annuel_worked_example(users, en_tant_que):
    with en_tant_que(users["siae"]):
        contenu = annuel.contenu({"annee": 2022, "structure": 1})
    t = textes(contenu)
    assert "23,33" in t  # 28 × 10 / 12
    assert "8,58" in t  # 103 / 12
    assert f"37{NBSP}%" in t
    assert "14,31" in t  # projection 8,58 + 17,17 × 4 / 12
    assert any(s.startswith(f"61{NBSP}%") for s in t)
    fig = decode(find_graph(contenu, ids.graph_id(ids.ANNUEL_CUMUL)))
    traces = {tr["name"]: tr for tr in fig["data"]}
    cumul = traces["Réalisé cumulé (mois validés)"]["y"]
    assert math.isclose(cumul[7], 103 / 12) and cumul[8] is None
    assert math.isclose(traces["Enveloppe annuelle conventionnée"]["y"][0], 28 * 10 / 12)


def test_annuel_changes_with_the_year(users, en_tant_que):
    with en_tant_que(users["siae"]):
        t2021 = textes(annuel.contenu({"annee": 2021, "structure": 1}))
    assert "12,00" in t2021 and f"100{NBSP}%" in t2021
    assert "23,33" not in t2021


def test_detail_mensuel_rows(users, en_tant_que):
    with en_tant_que(users["siae"]):
        data, page_count, current, _ = detail_mensuel.reponse(
            {"annee": 2022, "structure": 1}, sort_by=[{"column_id": "mois", "direction": "asc"}]
        )
    assert page_count == 1 and current == 0
    assert len(data) == 10  # conventioned months March..December
    mars, septembre = data[0], data[6]
    assert mars["mois"] == "mars 2022" and mars["etat"] == "Validé"
    assert mars["etp_mensuel_realise"] == "5,00" and mars["etp_mensuel_conventionne"] == "28,00"
    assert mars["structure"] == "[EI Exemple - 12345678900011](/structure/1)"  # link to its page
    assert septembre["etat"] == "Saisi" and septembre["etp_mensuel_realise"] == "–"


def test_detail_mensuel_server_side_filter_sort_page(users, en_tant_que):
    with en_tant_que(users["ddets"]):
        data, page_count, _, _ = detail_mensuel.reponse(
            ETAT_2022,
            page_size=5,
            sort_by=[{"column_id": "etp_mensuel_realise", "direction": "desc"}],
        )
        assert page_count == 5  # 10 + 12 conventioned months in 35, 5 per page
        assert data[0]["etp_mensuel_realise"] == "28,00"
        filtre, _, _, _ = detail_mensuel.reponse(
            ETAT_2022, fq='{structure} icontains "rennais" && {etp_mensuel_realise} > 5'
        )
    assert filtre and all(r["structure"].startswith("[Atelier Rennais") for r in filtre)
    assert all(r["etp_mensuel_realise"] == "6,00" for r in filtre)


def test_detail_annuel_sorted_by_gap(users, en_tant_que):
    with en_tant_que(users["ddets"]):
        data, _, _, _ = detail_annuel.reponse(ETAT_2022)
    assert [r["numero_annexe_financiere"] for r in data] == ["EI035220001", "ACI035220003"]
    ex = data[0]
    assert ex["etp_annuel_conventionne"] == "23,33" and ex["etp_annuel_realise"] == "8,58"
    assert ex["taux_realisation_annuel"] == f"37{NBSP}%"
    assert ex["etp_mensuel_realise_moyen"] == "17,17"
    assert ex["statut_consommation"] == "▼ Sous-consommation"
    assert ex["ecart_etp_mensuel"] == "-10,83"
    assert ex["nb_mois_conventionnes"] == "10" and ex["nb_mois_valides"] == "6"
    assert ex["projection_etp_annuel"] == "14,31"
    assert data[1]["statut_consommation"] == "= Conforme"


def test_empty_state_for_a_user_without_scope(users, en_tant_que):
    with en_tant_que(users["vide"]):
        t = textes(mensuel.contenu(ETAT_2022))
        data, _, _, resume = detail_annuel.reponse(ETAT_2022)
    assert "Aucune donnée pour ce périmètre" in t
    assert data == [] and "Aucune donnée pour ce périmètre" in textes(resume)


def test_page_header_shows_user_scope_and_data_date(users, en_tant_que):
    with en_tant_que(users["ddets"]):
        ctx = page.page_context()
        layout = page.layout()
    assert ctx.date_donnees == "12/10/2022"
    assert ctx.show_territoire is True
    t = textes(layout)
    assert "Données à jour au 12/10/2022" in t
    assert any("DDETS 35" in s for s in t)
    with en_tant_que(users["siae"]):
        assert page.page_context().show_territoire is False
