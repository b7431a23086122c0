"""The demo population and its files: determinism and the features the demo must show."""

from __future__ import annotations

import gzip
import re
from collections import Counter, defaultdict
from datetime import date

from etp.demo import DEMO_SIAE_STRUCTURE_IDS
from etp.demo.generator import annexe_rows, emi_rows, generate_files
from etp.demo.model import HEURES_ETP, DemoConfig, build_population, montant_unitaire
from etp.demo.names import luhn_valid
from etp.referentiel import departements

BRETAGNE = {"22", "29", "35", "56"}
OCCITANIE = {"09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"}


def test_same_seed_and_date_give_byte_identical_files(tmp_path, small_config):
    _, first = generate_files(small_config, tmp_path / "a")
    _, second = generate_files(small_config, tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_another_seed_gives_other_data(tmp_path, small_config):
    other = DemoConfig(seed=small_config.seed + 1, today=small_config.today, structures=30)
    _, first = generate_files(small_config, tmp_path / "a")
    _, second = generate_files(other, tmp_path / "b")
    assert first[1].read_bytes() != second[1].read_bytes()


def test_files_are_real_fluxiae_files(tmp_path, small_config):
    _, paths = generate_files(small_config, tmp_path)
    names = [p.name for p in paths]
    assert names == [
        "fluxIAE_Structure_05102025_073000.csv",
        "fluxIAE_AnnexeFinanciere_05102025_073007.csv",
        "fluxIAE_EtatMensuelIndiv_05102025_073019.csv.gz",
        "fluxIAE_ContratMission_05102025_073023.csv.gz",
        "fluxIAE_RefMontantIae_05102025_073029.csv",
    ]
    lines = gzip.decompress(paths[2].read_bytes()).decode("utf-8").splitlines()
    assert lines[0].startswith("DEBEtatMensuelIndiv05102025_073019|")
    assert lines[1].split("|")[0] == "emi_date_creation"
    assert lines[-1].startswith(f"FIN{len(lines) - 3}|")


def test_structures_types_places_and_sirets(small_population):
    structures = small_population.structures
    assert len(structures) == 30
    mesures = {s.mesure for s in structures}
    assert {"ACI_DC", "AI_DC", "EI_DC", "ETTI_DC", "EITI_DC"} <= mesures
    assert mesures & {"ACI_MP", "EI_MP"}
    counts = Counter(s.type_structure for s in structures)
    assert counts["ACI"] == max(counts.values())
    deps = {s.departement for s in structures}
    assert deps >= BRETAGNE | OCCITANIE
    assert deps - BRETAGNE - OCCITANIE  # a handful elsewhere
    for s in structures:
        assert len(s.siret) == 14 and luhn_valid(s.siret) and luhn_valid(s.siret[:9])
        assert s.commune.code_insee.startswith(s.departement[:2])
        assert s.departement in departements()
    assert len({s.denomination for s in structures}) == len(structures)
    assert len({s.siret for s in structures}) == len(structures)


def test_demo_siae_structures_are_in_35_with_an_af_each_year(small_population):
    by_id = {s.id: s for s in small_population.structures}
    for sid in DEMO_SIAE_STRUCTURE_IDS:
        assert by_id[sid].departement == "35"
        years = {a.annee for a in small_population.annexes if a.structure.id == sid and a.compte}
        assert years == set(small_population.config.annees)


def test_af_numbers_versions_and_amounts(small_population):
    config = small_population.config
    rows = list(annexe_rows(small_population))
    pattern = re.compile(r"(ACI|AI|EI|ETTI|EITI|FDI)(\d{3})(\d{2})(\d{4})")
    per_af = defaultdict(list)
    departement_of = {s.id: s.departement for s in small_population.structures}
    for row in rows:
        match = pattern.fullmatch(row["af_numero_annexe_financiere"])
        assert match, row["af_numero_annexe_financiere"]
        # the 3 characters after the type are the structure's département, zero-padded
        # (35 -> 035, 9 -> 009): the importer reads the département du conventionnement there
        assert match.group(2) == departement_of[row["af_id_structure"]].zfill(3)
        per_af[row["af_id_annexe_financiere"]].append(row)
    # one AF per structure and year; renewals keep the number and increment the renewal
    numbers = defaultdict(dict)
    for af in small_population.annexes:
        assert af.annee not in numbers[af.structure.id]
        numbers[af.structure.id][af.annee] = af
    for years in numbers.values():
        ordered = sorted(years.values(), key=lambda a: a.annee)
        assert len({a.structure.numero_af for a in ordered}) == 1
        renewals = [a.renouvellement for a in ordered]
        assert renewals == sorted(renewals) and len(set(renewals)) == len(renewals)
    siae = [r for r in rows if r["af_mesure_dispositif_code"] != "FDI_DC"]
    for row in siae:
        t = row["af_mesure_dispositif_code"].split("_")[0]
        assert row["af_duree_heure_annuel_etp_valeur"] == HEURES_ETP[t]
        debut, fin = row["af_date_debut_effet"], row["af_date_fin_effet"]
        mois = (fin.year - debut.year) * 12 + fin.month - debut.month + 1
        expected = row["af_etp_postes_insertion"] * row["af_montant_unitaire_annuel_valeur"]
        assert abs(row["af_montant_total_annuel"] - expected * mois / 12) < 0.01
    assert (
        21000
        <= montant_unitaire("ACI", config.annees[0])
        < montant_unitaire("ACI", config.annees[2])
        <= 24000
    )
    assert any(r["af_mt_cofinance"] for r in siae if r["af_mesure_dispositif_code"] == "ACI_DC")
    # superseded versions: a HISTORISE row with a lower modification number and another ETP
    modified = [v for v in per_af.values() if len({r["af_id_avenant_modification"] for r in v}) > 1]
    assert modified
    for versions in modified:
        current = max(versions, key=lambda r: r["af_numero_avenant_modification"])
        assert current["af_etat_annexe_financiere_code"] != "HISTORISE"
        for old in versions:
            if (
                old is not current
                and old["af_id_avenant_modification"] != current["af_id_avenant_modification"]
            ):
                assert old["af_etat_annexe_financiere_code"] == "HISTORISE"
                assert old["af_etp_postes_insertion"] != current["af_etp_postes_insertion"]
    # a few exact duplicates and a few FDI rows
    keys = Counter(tuple(sorted((k, str(v)) for k, v in r.items())) for r in rows)
    assert any(n > 1 for n in keys.values())
    assert any(r["af_mesure_dispositif_code"] == "FDI_DC" for r in rows)


def test_short_afs(small_population):
    short = [a for a in small_population.annexes if a.nb_mois() < 12]
    assert short
    assert any(a.debut.month > 1 for a in short) and any(a.fin.month < 12 for a in short)


def test_emi_rows_states_and_late_months(small_population):
    config = small_population.config
    rows = list(emi_rows(small_population))
    assert len({r["emi_dsm_id"] for r in rows}) == len(rows)
    states = defaultdict(set)
    for r in rows:
        states[(r["emi_afi_id"], r["emi_sme_annee"], r["emi_sme_mois"])].add(r["emi_esm_etat_code"])
        assert (r["emi_sme_annee"], r["emi_sme_mois"]) <= config.dernier_mois
        assert 0 < r["emi_nb_heures_travail"] <= 200
    assert all(len(s) == 1 for s in states.values())
    last = [s.pop() for k, s in states.items() if k[1:] == config.dernier_mois]
    assert "VALIDE" in last and set(last) - {"VALIDE"}
    conventioned_last = [
        a for a in small_population.annexes if a.compte and a.couvre(*config.dernier_mois)
    ]
    assert len(last) < len(conventioned_last)  # some AF-months not entered at all
    assert max(r["emi_date_creation"] for r in rows) == config.date_donnees
    assert config.date_donnees.date() == date(2025, 10, 5)
    assert any(r["emi_date_fin_reelle"] for r in rows)  # exits
    assert len({r["emi_nb_heures_travail"] for r in rows}) > 100  # part-time, not one value


def test_summer_dip(small_population):
    hours = Counter()
    for li in small_population.lignes:
        if li.annee == small_population.config.annees[1]:
            hours[li.mois] += li.heures
    assert hours[8] < 0.9 * hours[6]


def test_default_size_is_modest():
    population = build_population(DemoConfig(seed=2024, today=date(2025, 10, 15)))
    assert len(population.structures) == 150
    assert 40_000 < len(population.lignes) < 200_000
