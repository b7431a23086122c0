"""The funders' cards on known data (tests/pilotage/conftest.py), both databases.

Every expected figure is computed by hand below from the lines of the scenario.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from donnees_pilotage import AS_OF

from etp import selection
from etp.filters import Filtres
from etp.pilotage import projection as proj
from etp.pilotage.service import charger
from etp.scope import Scope

DDETS_54 = Scope.of_departements(["54"], label="DDETS 54")
EPS = 1e-6  # far below the cent

# AF A (the guide's example): envelope 28 × 10 / 12, realised 103 / 12, average 103 / 6.
A_ENV = 28 * 10 / 12
A_REAL = (5 + 10 + 20 + 20 + 20 + 28) / 12
A_MOY = (5 + 10 + 20 + 20 + 20 + 28) / 6
A_PROJ = A_REAL + A_MOY * 4 / 12
# AF B: 12 ETP on Jan–Sep against 10.
B_ENV, B_REAL, B_PROJ = 10.0, 12 * 9 / 12, 12 * 9 / 12 + 12 * 3 / 12
# AF D: 6 months at 8, realised 4 on Jul–Sep.
D_ENV, D_REAL, D_PROJ = 8 * 6 / 12, 4 * 3 / 12, 4 * 3 / 12 + 4 * 3 / 12
# AF E: nothing validated, envelope 3.
E_ENV = 3.0


def donnees(engine, scope=DDETS_54, **filtres):
    return charger(engine, scope, Filtres(annee=2022, as_of=AS_OF, **filtres))


def test_synthese_territoire(scenario):
    s = donnees(scenario).synthese().iloc[0]
    assert s["nb_af"] == 4
    assert s["enveloppe_etp"] == pytest.approx(A_ENV + B_ENV + D_ENV + E_ENV, abs=EPS)
    enveloppe_euros = A_ENV * 11_000 + B_ENV * 22_000 + D_ENV * 4_500 + E_ENV * 11_000
    assert s["enveloppe_euros"] == pytest.approx(enveloppe_euros, abs=EPS)
    assert round(s["enveloppe_euros"], 2) == 527_666.67
    assert s["realise_etp"] == pytest.approx(A_REAL + B_REAL + D_REAL, abs=EPS)
    assert s["realise_euros"] == pytest.approx(
        A_REAL * 11_000 + B_REAL * 22_000 + D_REAL * 4_500, abs=EPS
    )
    # E has no projection: counted at its envelope.
    assert s["projection_etp"] == pytest.approx(A_PROJ + B_PROJ + D_PROJ + E_ENV, abs=EPS)
    ecart = (A_PROJ - A_ENV) + (B_PROJ - B_ENV) + (D_PROJ - D_ENV)
    assert s["ecart_projection_etp"] == pytest.approx(ecart, abs=EPS)
    ecart_euros = (A_PROJ - A_ENV) * 11_000 + (B_PROJ - B_ENV) * 22_000 + (D_PROJ - D_ENV) * 4_500
    assert s["ecart_projection_euros"] == pytest.approx(ecart_euros, abs=EPS)
    assert round(s["ecart_projection_euros"], 2) == -64_305.56
    assert s["etp_non_consommes"] == pytest.approx((A_ENV - A_PROJ) + (D_ENV - D_PROJ), abs=EPS)
    assert s["etp_au_dela"] == pytest.approx(B_PROJ - B_ENV, abs=EPS)
    # Over-consumption is not financed: B is paid its envelope only.
    finance = A_PROJ * 11_000 + B_ENV * 22_000 + D_PROJ * 4_500 + E_ENV * 11_000
    assert s["montant_projete_finance"] == pytest.approx(finance, abs=EPS)
    assert s["credits_non_consommes"] == pytest.approx(enveloppe_euros - finance, abs=EPS)
    assert s["taux_realisation"] == pytest.approx(
        (A_REAL + B_REAL + D_REAL) / (A_ENV + B_ENV + D_ENV + E_ENV), abs=EPS
    )
    assert (s["nb_af_sur"], s["nb_af_sous"], s["nb_af_conforme"], s["nb_af_sans_statut"]) == (
        1,
        2,
        0,
        1,
    )
    assert s["enveloppe_sous_etp"] == pytest.approx(A_ENV + D_ENV, abs=EPS)
    assert s["enveloppe_sur_etp"] == pytest.approx(B_ENV, abs=EPS)
    assert (s["nb_af_sans_projection"], s["enveloppe_sans_projection_etp"]) == (1, E_ENV)


def test_synthese_par_type_et_departement(scenario):
    d = donnees(scenario, Scope.everything())
    par_type = d.synthese(["type_structure"]).set_index("type_structure")
    assert list(par_type.index) == ["ACI", "AI", "EI", "ETTI"]
    assert par_type.loc["EI", "nb_af"] == 2
    assert par_type.loc["EI", "enveloppe_etp"] == pytest.approx(A_ENV + E_ENV, abs=EPS)
    # ACI: B (10) and F (6, 54 ETP realised over 9 months at 6: conforme).
    assert par_type.loc["ACI", "enveloppe_euros"] == pytest.approx(16 * 22_000, abs=EPS)
    assert par_type.loc["ACI", "nb_af_conforme"] == 1
    assert par_type.loc["AI", "nb_af_conforme"] == 1  # C: 5 ETP against 5
    par_dep = d.synthese(["departement"]).set_index("departement")
    assert par_dep["nb_af"].to_dict() == {"35": 1, "54": 4, "57": 1}
    # the parts add up to the whole
    total = d.synthese().iloc[0]
    for colonne in ("enveloppe_etp", "projection_euros", "ecart_projection_etp"):
        assert par_dep[colonne].sum() == pytest.approx(total[colonne], abs=EPS)
    rep = d.repartition_statuts(["departement"])
    dep54 = rep[rep["departement"] == "54"].set_index("statut")
    assert list(dep54.index) == ["sur-consommation", "sous-consommation", "sans mois validé"]
    assert dep54.loc["sous-consommation", "nb_af"] == 2


def test_structures_a_suivre_classees_par_ecart(scenario):
    d = donnees(scenario)
    t = d.structures_a_suivre()
    # |gap|: A 9,03; B 2; D 2 (tie broken by number); E has no projection: last.
    assert list(t["numero_annexe_financiere"]) == [
        "EI054210001",
        "ACI054220002",
        "ETTI054220004",
        "EI054190005",
    ]
    a = t.iloc[0]
    assert a["statut"] == "sous-consommation"
    assert a["etp_mensuel_realise_moyen"] == pytest.approx(A_MOY, abs=EPS)
    assert round(a["etp_mensuel_realise_moyen"], 2) == 17.17
    assert a["projection_etp_annuel"] == pytest.approx(A_PROJ, abs=EPS)
    assert round(a["projection_etp_annuel"], 2) == 14.31
    assert round(a["taux_projection"], 2) == 0.61
    assert a["montant_annuel_projete"] == pytest.approx(A_PROJ * 11_000, abs=EPS)
    assert a["ecart_projection_euros"] == pytest.approx((A_PROJ - A_ENV) * 11_000, abs=EPS)
    assert (a["nb_mois_valides"], a["dernier_mois_valide"], a["mois_en_retard"]) == (6, 8, 1)
    assert not a["alerte_retard"]
    e = t.iloc[3]
    assert e["statut"] == "sans mois validé"
    assert math.isnan(e["projection_etp_annuel"])
    assert (e["mois_en_retard"], bool(e["alerte_retard"])) == (9, True)
    euros = d.structures_a_suivre(tri="euros")
    assert list(euros["numero_annexe_financiere"])[:3] == [
        "EI054210001",  # -99 305,56 €
        "ACI054220002",  # +44 000 €
        "ETTI054220004",  # -9 000 €
    ]
    sous = d.structures_a_suivre(statuts=["sous-consommation"])
    assert list(sous["numero_annexe_financiere"]) == ["EI054210001", "ETTI054220004"]
    assert d.structures_a_suivre(types=["ACI"])["numero_annexe_financiere"].tolist() == [
        "ACI054220002"
    ]


def test_afs_courtes_et_poids(scenario):
    d = donnees(scenario)
    t = d.afs_courtes()
    assert list(t["numero_annexe_financiere"]) == ["EI054210001", "ETTI054220004"]
    assert t.loc[0, "difference_etp"] == pytest.approx(28 - 28 * 10 / 12, abs=EPS)
    assert round(t.loc[0, "difference_euros"], 2) == 51_333.33
    assert t.loc[1, "difference_etp"] == pytest.approx(8 - 8 * 6 / 12, abs=EPS)
    assert t.loc[1, "difference_euros"] == pytest.approx(4 * 4_500, abs=EPS)
    p = d.courtes()
    diff = (28 - A_ENV) + (8 - D_ENV)
    diff_euros = (28 - A_ENV) * 11_000 + (8 - D_ENV) * 4_500
    enveloppe = A_ENV + B_ENV + D_ENV + E_ENV
    assert (p.nb_af_selection, p.nb_af) == (4, 2)
    assert p.etp_mensuel_conventionne == pytest.approx(28 + 8, abs=EPS)
    assert p.etp_annuel_conventionne == pytest.approx(A_ENV + D_ENV, abs=EPS)
    assert p.montant == pytest.approx(A_ENV * 11_000 + D_ENV * 4_500, abs=EPS)
    assert p.difference_etp == pytest.approx(diff, abs=EPS)
    assert p.difference_euros == pytest.approx(diff_euros, abs=EPS)
    assert p.poids_etp == pytest.approx(diff / enveloppe, abs=EPS)
    enveloppe_euros = A_ENV * 11_000 + B_ENV * 22_000 + D_ENV * 4_500 + E_ENV * 11_000
    assert p.poids_euros == pytest.approx(diff_euros / enveloppe_euros, abs=EPS)


def test_projections_lineaire_et_saisonniere(scenario):
    d = donnees(scenario, Scope.everything())
    t = d.projections.set_index("numero_annexe_financiere")
    a = t.loc["EI054210001"]
    assert a["projection_etp_annuel"] == pytest.approx(A_PROJ, abs=EPS)
    assert a["projection_fin_annee_etp"] == pytest.approx(A_PROJ, abs=EPS)
    # 2021 profile: validated months Mar–Aug sum to 100 against 103 this year; Sep–Dec sum to 90.
    k = 103 / (10 + 10 + 20 + 20 + 20 + 20)
    saison = 103 / 12 + k * (25 + 25 + 25 + 15) / 12
    assert a["coefficient_saisonnier"] == pytest.approx(1.03, abs=EPS)
    assert a["projection_saisonniere_etp"] == pytest.approx(saison, abs=EPS)
    assert round(a["projection_saisonniere_etp"], 2) == 16.31
    assert a["montant_projete_saisonnier"] == pytest.approx(saison * 11_000, abs=EPS)
    assert a["ecart_methodes"] == pytest.approx((saison - A_PROJ) / A_PROJ, abs=EPS)
    assert bool(a["methodes_divergent"])  # 14 % > 5 %
    assert t.loc["ACI054220002", "motif_sans_saisonniere"] == proj.SANS_HISTORIQUE
    assert t.loc["AI057200003", "motif_sans_saisonniere"] == proj.PROFIL_INCOMPLET
    assert t.loc["EI054190005", "motif_sans_saisonniere"] == proj.SANS_MOIS_VALIDE
    # E has nothing validated: no linear projection of its own, its envelope in the total
    assert math.isnan(t.loc["EI054190005", "projection_etp_annuel"])
    assert t.loc["EI054190005", "projection_fin_annee_etp"] == pytest.approx(E_ENV, abs=EPS)
    assert not bool(t.loc["ACI054220002", "methodes_divergent"])
    tot = d.projections_totales()
    assert (tot["nb_af_sans_mois_valide"], tot["nb_af_saisonnieres"]) == (1, 1)
    assert tot["nb_af_divergentes"] == 1
    c_proj = 5 * 7 / 12 + 5 * 5 / 12
    f_proj = 6 * 9 / 12 + 6 * 3 / 12
    fin_annee = A_PROJ + B_PROJ + c_proj + D_PROJ + f_proj + E_ENV
    # The one "Projection fin d'année" (issue 9): never mixed with the seasonal method.
    assert tot["projection_etp_annuel"] == pytest.approx(fin_annee, abs=EPS)
    assert tot["projection_etp_annuel"] == pytest.approx(
        d.synthese().iloc[0]["projection_etp"], abs=EPS
    )
    assert tot["projection_saisonniere_etp"] == pytest.approx(saison, abs=EPS)
    assert tot["projection_memes_af_etp"] == pytest.approx(A_PROJ, abs=EPS)
    assert tot["ecart_methodes"] == pytest.approx((saison - A_PROJ) / A_PROJ, abs=EPS)


def test_comparaison_n1_memes_mois(scenario):
    """N−1 like for like (issue 9): A is compared over March–August, its months validated in
    both years (2022 as of October: Mar–Aug; 2021: Mar–Dec); B, D and E are new numbers."""
    n1 = donnees(scenario).comparaison_n1
    t = n1.afs.set_index("numero_annexe_financiere")
    a = t.loc["EI054210001"]
    assert a["mois_compares"] == [3, 4, 5, 6, 7, 8]
    assert a["realise_n"] == pytest.approx(103 / 12, abs=EPS)
    assert a["realise_n1"] == pytest.approx((10 + 10 + 20 + 20 + 20 + 20) / 12, abs=EPS)
    assert a["evolution_etp"] == pytest.approx(3 / 12, abs=EPS)
    assert a["evolution_pct"] == pytest.approx(3 / 100, abs=EPS)
    assert not bool(t.loc["ACI054220002", "comparee"])
    assert t.loc["ACI054220002", "motif_exclusion"] == selection.NOUVELLE
    assert math.isnan(t.loc["ACI054220002", "realise_n1"])
    assert (n1.nb_af_comparees, n1.nb_af_exclues) == (1, 3)
    assert n1.mois_compares == [3, 4, 5, 6, 7, 8]
    assert (n1.realise_n, n1.realise_n1) == (pytest.approx(103 / 12), pytest.approx(100 / 12))
    assert n1.evolution_pct == pytest.approx(0.03, abs=EPS)


def test_comparaison_n1_annee_close(scenario):
    """As of a later year: C is compared over January–July (2022 validated Jan–Jul; 2021 every
    month but November)."""
    d = charger(scenario, Scope.everything(), Filtres(annee=2022, as_of=(2023, 2)))
    c = d.comparaison_n1.afs.set_index("numero_annexe_financiere").loc["AI057200003"]
    assert c["mois_compares"] == list(range(1, 8))
    assert c["realise_n"] == pytest.approx(5 * 7 / 12, abs=EPS)
    assert c["realise_n1"] == pytest.approx(4 * 7 / 12, abs=EPS)


def test_remplissage_par_mois(scenario):
    r = donnees(scenario).remplissage().set_index("mois")
    assert list(r.index) == list(range(1, 11))
    assert r.loc[1, ["nb_af_conventionnees", "nb_valide", "nb_saisi"]].tolist() == [2, 1, 1]
    assert r.loc[3, ["nb_af_conventionnees", "nb_valide", "nb_saisi"]].tolist() == [3, 2, 1]
    assert r.loc[9, ["nb_af_conventionnees", "nb_valide", "nb_saisi"]].tolist() == [4, 2, 2]
    assert r.loc[10, "nb_non_saisi"] == 4
    assert r.loc[9, "part_valide"] == pytest.approx(0.5)
    n = donnees(scenario, Scope.everything()).remplissage().set_index("mois")
    etats = ["nb_af_conventionnees", "nb_valide", "nb_debloque", "nb_saisi", "nb_brouillon"]
    assert n.loc[8, etats].tolist() == [6, 4, 0, 1, 1]
    assert n.loc[9, etats].tolist() == [6, 3, 1, 2, 0]
    parts = [c for c in n.columns if c.startswith("part_")]
    assert n[parts].sum(axis=1).tolist() == pytest.approx([1.0] * 10)


def test_afs_en_retard(scenario):
    assert donnees(scenario).afs_en_retard()["numero_annexe_financiere"].tolist() == ["EI054190005"]
    t = donnees(scenario, Scope.everything()).afs_en_retard()
    assert t["numero_annexe_financiere"].tolist() == ["EI054190005", "AI057200003"]
    assert t["mois_en_retard"].tolist() == [9, 2]  # C: August and September missing
    assert t["dernier_mois_valide_avant"].tolist() == [0, 7]


def _numeros(d) -> set[str]:
    """Every AF number present in any frame or card of ``d``."""
    frames = [
        d.annuel,
        d.mensuel,
        pd.DataFrame({"numero_annexe_financiere": list(d.realises_n1)}, dtype=object),
        d.structures_a_suivre(),
        d.afs_courtes(),
        d.projections,
        d.comparaison_n1.afs,
        d.afs_en_retard(),
    ]
    return set().union(*(set(f["numero_annexe_financiere"]) for f in frames))


def test_scope_departement_ne_voit_que_le_sien(scenario):
    assert _numeros(donnees(scenario)) == {
        "EI054210001",
        "ACI054220002",
        "ETTI054220004",
        "EI054190005",
    }


@pytest.mark.parametrize(
    "filtres",
    [
        {"departement": "35"},
        {"departement": "57"},
        {"structure_id": 106},
        {"numero_af": "ACI035220006"},
        {"region": "53"},
    ],
)
def test_filtres_ne_sortent_pas_du_perimetre(scenario, filtres):
    d = donnees(scenario, **filtres)
    assert _numeros(d) == set()
    assert d.synthese().empty
    assert d.remplissage().empty
    assert d.comparaison_n1.nb_af_comparees == 0 and d.comparaison_n1.realise_n1 == 0


def test_scope_vide_ne_donne_rien(scenario):
    d = donnees(scenario, Scope.nothing())
    assert _numeros(d) == set()
    assert d.synthese().empty
    assert d.courtes().nb_af == 0


def test_siae_ne_voit_que_sa_structure(scenario):
    d = donnees(scenario, Scope.of_structures([101]))
    assert _numeros(d) == {"EI054210001"}
    assert d.synthese().iloc[0]["nb_af"] == 1
    assert d.projections.iloc[0]["projection_saisonniere_etp"] == pytest.approx(
        103 / 12 + 1.03 * 90 / 12, abs=EPS
    )


def test_as_of_par_defaut_mois_de_la_date_des_donnees(scenario):
    d = charger(scenario, DDETS_54, Filtres(annee=2022))
    assert d.as_of == (2022, 10)  # data date 05/10/2022
