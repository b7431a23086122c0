"""The four definitions settled by issue 9, on figures computed by hand (to the cent).

Each case is built so that the old definition gives another answer: the N−1 comparison at the
same date read a drop for an AF whose ETP did not change, the monthly rate compared 3 AFs'
realised ETP with 9 AFs' conventioned ETP, one late AF froze a group's last validated month,
and the projection differed between tabs for AFs without a validated month.
"""

from __future__ import annotations

from datetime import date

import pytest
from builders import H_EI, Donnees

from etp import selection, synthese
from etp.figures import figures
from etp.filters import Filtres
from etp.pilotage import charger as charger_pilotage
from etp.scope import Scope
from layouts.figures import figure_mensuelle

TOUT = Scope.everything()
DEBUT, FIN = date(2026, 1, 1), date(2026, 12, 31)


def _valides(etp: float, mois) -> dict[int, tuple[str, float]]:
    """Months validated at ``etp`` realised ETP (EI, H 1505)."""
    return {m: ("VALIDE", etp * H_EI / 12) for m in mois}


def test_n1_meme_effectif_deux_mois_en_retard_evolution_nulle(engine, donnees: Donnees):
    """10 ETP every month in 2025 and in 2026; as of November 2026, September and October 2026
    are not validated yet. Same months compared (January–August): evolution 0, not −27 %."""
    donnees.structure(1, "EI Stable")
    a25 = donnees.af(numero="EI035250001", debut=date(2025, 1, 1), fin=date(2025, 12, 31), id=1)
    donnees.etats(a25, 2025, _valides(10.0, range(1, 13)))
    a26 = donnees.af(numero="EI035250001", debut=date(2026, 1, 1), fin=date(2026, 12, 31), id=2)
    donnees.etats(a26, 2026, {**_valides(10.0, range(1, 9)), 9: ("SAISI", 1500.0)})
    s = selection.charger(engine, TOUT, Filtres(annee=2026, as_of=(2026, 11)))
    n1 = selection.comparaison_n1(s.annuel, s.mensuel, s.realises_n1)
    assert n1.mois_compares == list(range(1, 9))
    assert round(n1.realise_n, 2) == round(n1.realise_n1, 2) == 6.67  # 80 / 12
    assert n1.evolution_etp == pytest.approx(0, abs=1e-9)
    assert n1.evolution_pct == pytest.approx(0, abs=1e-9)
    assert (n1.nb_af_comparees, n1.nb_af_exclues) == (1, 0)
    f = figures(engine, TOUT, Filtres(annee=2026, as_of=(2026, 11)))["n1"]
    assert f["evolution_etp"] == pytest.approx(0, abs=1e-9)
    assert f["mois_compares"] == list(range(1, 9))
    assert f["afs"][0]["numero_annexe_financiere"] == "EI035250001"


def _neuf_afs(donnees: Donnees, valides_novembre: int) -> None:
    """9 EI of 10 ETP (2026, full year), January–October validated at 10 ETP; in November the
    first ``valides_novembre`` are validated at 12 ETP, the others only entered."""
    for i in range(1, 10):
        donnees.structure(i, f"EI {i}")
        af = donnees.af(
            numero=f"EI0352600{i:02d}",
            structure_id=i,
            debut=date(2026, 1, 1),
            fin=date(2026, 12, 31),
            id=i,
        )
        novembre = ("VALIDE", 12.0 * H_EI / 12) if i <= valides_novembre else ("SAISI", 1.0)
        donnees.etats(af, 2026, {**_valides(10.0, range(1, 11)), 11: novembre})


def test_mois_valide_par_3_annexes_sur_9(engine, donnees: Donnees):
    """November: 3 AFs of 9 validated at 12 ETP each. The month compares 36 realised ETP with
    the 30 conventioned ETP of those 3 AFs (120 %), says "3 annexes sur 9 validées", and the 60
    conventioned ETP of the 6 others are stacked on the conventioned bar, not on the realised."""
    _neuf_afs(donnees, valides_novembre=3)
    filtres = Filtres(annee=2026, as_of=(2026, 12))
    s = selection.charger(engine, TOUT, filtres)
    nov = selection.serie_mensuelle(s.mensuel).set_index("mois").loc[11]
    assert (nov["nb_af_conventionnees"], nov["nb_af_valides"]) == (9, 3)
    assert nov["etp_mensuel_conventionne"] == pytest.approx(90)
    assert nov["etp_mensuel_conventionne_valide"] == pytest.approx(30)
    assert nov["etp_mensuel_realise"] == pytest.approx(36)
    assert nov["taux_realisation_mensuel"] == pytest.approx(1.2)
    serie = synthese.serie_mensuelle(s.mensuel, 2026)
    fig = figure_mensuelle(serie, 2026)
    traces = {t["name"]: t for t in fig.to_plotly_json()["data"]}
    assert traces["Conventionné (annexes validées)"]["y"][10] == pytest.approx(30)
    assert "3 annexes sur 9 validées" in traces["Conventionné (annexes validées)"]["customdata"][10]
    reste = traces["Conventionné (annexes non validées)"]
    assert reste["offsetgroup"] == "conventionne"  # stacked on the conventioned bar
    assert (reste["base"][10], reste["y"][10]) == (pytest.approx(30), pytest.approx(60))
    assert traces["Réalisé (annexes validées)"]["y"][10] == pytest.approx(36)
    realise_group = [t for t in traces.values() if t.get("offsetgroup") == "realise"]
    assert [t["name"] for t in realise_group] == ["Réalisé (annexes validées)"]
    assert "3 annexes sur 9 validées" in traces["Taux de réalisation"]["customdata"][10]
    f = figures(engine, TOUT, filtres)["serie"][10]
    assert f == {
        "mois": 11,
        "nb_af": 9,
        "nb_af_valides": 3,
        "etp_conventionne": pytest.approx(90),
        "etp_conventionne_valide": pytest.approx(30),
        "etp_realise": pytest.approx(36),
        "taux_realisation": pytest.approx(1.2),
    }
    # 3 AFs (30 of 90 ETP) do not make November the selection's last validated month
    assert figures(engine, TOUT, filtres)["dernier_mois_valide"]["mois"] == 10


def test_une_annexe_en_retard_de_cinq_mois_ne_fige_pas_le_dernier_mois(engine, donnees):
    """4 EI of 10 ETP; three validated January–October, one only January–May. As of November
    the last validated month of the group is October (30 of 40 ETP), covering 3 AFs of 4 —
    not May."""
    for i in range(1, 5):
        donnees.structure(i, f"EI {i}")
        af = donnees.af(numero=f"EI03526000{i}", structure_id=i, debut=DEBUT, fin=FIN, id=i)
        donnees.etats(af, 2026, _valides(10.0, range(1, 6 if i == 4 else 11)))
    f = figures(engine, TOUT, Filtres(annee=2026, as_of=(2026, 11)))
    assert f["dernier_mois_valide"] == {
        "mois": 10,
        "etp_realise": pytest.approx(30),
        "etp_conventionne": pytest.approx(30),
        "nb_af_valides": 3,
        "nb_af": 4,
    }


def test_projection_melant_annexes_avec_et_sans_mois_valide(engine, donnees):
    """As of July 2026: X (C 12, full year) validated January–June at 9 ETP: 54/12 + 9 × 6/12
    = 9,00; Y (C 6, July–December, nothing validated): its envelope 6 × 6/12 = 3,00; Z (C 24,
    full year, only entered): its envelope 24,00. Projection 36,00 ETP, 92,31 % of 39,00,
    360 000 € at 10 000 € per ETP — the same on the "Effectif annuel" tab, the funders' tab and
    ``suivi-etp figures``."""
    for i in (1, 2, 3):
        donnees.structure(i, f"EI {i}")
    x = donnees.af(numero="EI035260001", structure_id=1, c=12.0, debut=DEBUT, fin=FIN, id=1)
    donnees.etats(x, 2026, _valides(9.0, range(1, 7)))
    donnees.af(numero="EI035260002", structure_id=2, c=6.0, debut=date(2026, 7, 1), fin=FIN)
    z = donnees.af(numero="EI035260003", structure_id=3, c=24.0, debut=DEBUT, fin=FIN, id=3)
    donnees.etats(z, 2026, {m: ("SAISI", 100.0) for m in range(1, 7)})
    filtres = Filtres(annee=2026, as_of=(2026, 7))
    s = selection.charger(engine, TOUT, filtres)
    p = selection.projection_fin_annee(s.annuel)
    assert round(p.etp_annuel, 2) == 36.00
    assert round(p.taux, 4) == 0.9231
    assert round(p.montant, 2) == 360_000.00
    assert (p.nb_af_sans_mois_valide, round(p.etp_sans_mois_valide, 2)) == (2, 27.00)
    tb = synthese.tableau_de_bord(s.annuel, s.mensuel, 2026)
    assert tb.totaux.projection_etp_annuel == pytest.approx(p.etp_annuel)
    d = charger_pilotage(engine, TOUT, filtres)
    assert d.synthese().iloc[0]["projection_etp"] == pytest.approx(p.etp_annuel)
    assert d.projections_totales()["projection_etp_annuel"] == pytest.approx(p.etp_annuel)
    f = figures(engine, TOUT, filtres)["projection"]
    assert f["etp_annuel"] == pytest.approx(36.0) and f["nb_af_sans_mois_valide"] == 2


def test_exemple_du_guide_dans_suivi_etp_figures(engine, donnees):
    """domain.md §4: 17,17 / 23,33 / 8,58 / 37 % / projection 14,31 in ``figures``."""
    donnees.exemple()
    f = figures(engine, TOUT, Filtres(annee=2022))
    assert f["as_of"] == "2022-10"
    assert round(f["realise"]["etp_mensuel_moyen"], 2) == 17.17
    assert round(f["conventionne"]["etp_annuel"], 2) == 23.33
    assert round(f["realise"]["etp_annuel"], 2) == 8.58
    assert round(f["realise"]["taux"], 2) == 0.37
    assert round(f["projection"]["etp_annuel"], 2) == 14.31
    assert f["statut_consommation"] == "sous-consommation"
    assert f["dernier_mois_valide"]["mois"] == 8
    assert f["dernier_mois_valide"]["etp_realise"] == pytest.approx(28)
    assert len(f["serie"]) == 12 and f["serie"][8]["etp_realise"] is None
