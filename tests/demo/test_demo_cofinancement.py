"""What the demo promises the "Cofinancement CD" tab: a co-financed ACI in every demo
département that has an ACI, bRSA and non-bRSA contracts, an RSA amount changing during a year,
and, once imported, targets and bRSA employees for a CD."""

from __future__ import annotations

from collections import Counter
from datetime import date

from etp.cofinancement import charger
from etp.demo.generator import contrat_rows, montant_rows
from etp.demo.loader import load_demo
from etp.demo.model import DemoConfig, build_population
from etp.filters import Filtres
from etp.scope import Scope


def test_every_departement_with_an_aci_has_a_cofinanced_one(small_population):
    for config in (small_population.config, DemoConfig(today=date(2026, 12, 1))):
        population = build_population(config)
        avec_aci = {s.departement for s in population.structures if s.mesure == "ACI_DC"}
        cofinances = {
            s.departement
            for s in population.structures
            if s.mesure == "ACI_DC" and s.cofinancement > 0
        }
        assert avec_aci and avec_aci == cofinances


def test_contracts_bRSA_and_not(small_population):
    rows = list(contrat_rows(small_population))
    situations = Counter(r["contrat_salarie_rsa"] for r in rows)
    assert situations["OUI-M"] and situations["OUI-NM"] and situations["NON"]
    assert len({r["contrat_id_ctr"] for r in rows}) == len(rows)
    assert {r["contrat_id_ctr"] for r in rows} == {li.ctr_id for li in small_population.lignes}
    assert not any(k.startswith(("salarie_", "contrat_nom")) for r in rows for k in r)


def test_rsa_amount_changes_during_each_year(small_population):
    rsa = [r for r in montant_rows(small_population) if r["rmi_code"] == "MT_ME_RSA"]
    for annee in small_population.config.annees:
        debuts = [
            r for r in rsa if r["code_dpt"] is None and r["rmi_date_debut_effet"].year == annee
        ]
        assert [r["rmi_date_debut_effet"] for r in debuts] == [date(annee, 4, 1)]
    assert any(r["code_dpt"] == "976" for r in rsa)
    assert any(r["rmi_code"] != "MT_ME_RSA" for r in montant_rows(small_population))


def test_imported_demo_gives_targets_and_brsa(engine, small_config, tmp_path):
    _, _, report = load_demo(engine, small_config, tmp_path / "files")
    assert {f.vue for f in report.files} >= {"ContratMission", "RefMontantIae"}
    annee = small_config.annees[1]
    d = charger(engine, Scope.everything(), Filtres(annee))
    assert not d.par_af.empty
    assert (d.par_af["part_cd"] > 0).all()
    mars, avril = d.par_mois[d.par_mois["mois"] == 3], d.par_mois[d.par_mois["mois"] == 4]
    assert (mars["montant_rsa"].dropna() < avril["montant_rsa"].dropna().max()).all()
    assert d.par_mois["nb_salaries_brsa"].fillna(0).sum() > 0
