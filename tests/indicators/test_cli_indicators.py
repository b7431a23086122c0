"""``suivi-etp indicators`` on a database filled by importing real-format fluxIAE files."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import main
from etp.fluxiae import import_paths, write_vue

H = 1505.0
REALISE = {3: 5.0, 4: 10.0, 5: 20.0, 6: 20.0, 7: 20.0, 8: 28.0}


def _fichiers_exemple(dossier: Path) -> None:
    """The guide's EI 1 as fluxIAE files: AF (with a superseded version), structure, EMI."""
    quand = datetime(2022, 10, 15, 6, 0, 0)
    af = {
        "af_id_structure": 501,
        "af_mesure_dispositif_code": "EI_DC",
        "af_numero_annexe_financiere": "EI035220001",
        "af_numero_avenant_renouvellement": 0,
        "af_id_annexe_financiere": 7001,
        "af_etat_annexe_financiere_code": "VALIDE",
        "af_date_debut_effet": date(2022, 3, 1),
        "af_date_fin_effet": date(2022, 12, 31),
        "af_etp_postes_insertion": 28.0,
        "af_duree_heure_annuel_etp_valeur": H,
        "af_montant_unitaire_annuel_valeur": 10_000.0,
    }
    ancienne = {**af, "af_numero_avenant_modification": 0, "af_id_avenant_modification": 1}
    ancienne["af_etp_postes_insertion"] = 20.0
    courante = {**af, "af_numero_avenant_modification": 1, "af_id_avenant_modification": 2}
    write_vue(dossier, "AnnexeFinanciere", [ancienne, courante], extract_date=quand)
    structure = {
        "structure_id_siae": 501,
        "structure_siret_actualise": "12345678900011",
        "structure_denomination": "EI 1",
    }
    write_vue(dossier, "Structure", [structure], extract_date=quand)
    emi = []
    dsm = 1
    mois_etats = {m: ("VALIDE", r * H / 12) for m, r in REALISE.items()}
    mois_etats[9] = ("SAISI", 3000.0)
    for mois, (etat, heures) in mois_etats.items():
        creation = datetime(2022, mois + 1, 5, 9, 0) if mois < 9 else datetime(2022, 10, 10)
        for salarie in (1, 2):  # two employees share the hours of the month
            emi.append(
                {
                    "emi_date_creation": creation,
                    "emi_afi_id": 7001,
                    "emi_sme_mois": mois,
                    "emi_sme_annee": 2022,
                    "emi_esm_etat_code": etat,
                    "emi_pph_id": 100 + salarie,
                    "emi_ctr_id": 200 + salarie,
                    "emi_nb_heures_travail": heures / 2,
                    "emi_dsm_id": dsm,
                }
            )
            dsm += 1
    write_vue(dossier, "EtatMensuelIndiv", emi, extract_date=quand)


@pytest.fixture
def base_exemple(engine, db_url, tmp_path) -> str:
    dossier = tmp_path / "flux"
    dossier.mkdir()
    _fichiers_exemple(dossier)
    import_paths(engine, [dossier])
    return db_url


def _run(db_url: str, *args: str):
    return CliRunner().invoke(main, ["indicators", *args, "--database-url", db_url])


def test_worked_example_through_import_and_cli_json(base_exemple):
    result = _run(base_exemple, "--annee", "2022", "--format", "json")
    assert result.exit_code == 0, result.output
    (af,) = json.loads(result.output)
    assert af["numero_annexe_financiere"] == "EI035220001"
    assert af["version"] == "A0M1"  # the current modification, not the superseded one
    assert af["etp_mensuel_conventionne"] == 28.0
    assert af["departement"] == "35" and af["region"] == "53"
    assert af["nb_mois_conventionnes"] == 10 and af["nb_mois_valides"] == 6
    assert round(af["etp_mensuel_realise_moyen"], 2) == 17.17
    assert round(af["etp_annuel_conventionne"], 2) == 23.33
    assert round(af["etp_annuel_realise"], 2) == 8.58
    assert round(af["taux_realisation_annuel"], 2) == 0.37
    assert af["statut_consommation"] == "sous-consommation"
    assert round(af["projection_etp_annuel"], 2) == 14.31
    assert round(af["taux_projection_annuel"], 2) == 0.61
    # the importer sums hours in thousandths of an hour: 10,000 € × 14.3 ETP moves by < 5 cents
    assert af["montant_annuel_projete"] == pytest.approx(143_055.56, abs=0.05)
    assert af["etp_mensuel_realise_moyen"] == pytest.approx(103 / 6)  # unrounded
    juin, septembre = af["mois"][5], af["mois"][8]
    assert round(juin["etp_mensuel_realise"], 2) == 20.0 and juin["etat"] == "VALIDE"
    assert septembre["etat"] == "SAISI" and septembre["etp_mensuel_realise"] is None
    assert af["mois"][10]["etat"] is None


def test_worked_example_table_in_french(base_exemple):
    result = _run(base_exemple, "--annee", "2022")
    assert result.exit_code == 0, result.output
    for attendu in ("17,17", "23,33", "8,58", "37\u00a0%", "14,31", "61\u00a0%", "-10,83"):
        assert attendu in result.output
    assert "Sous-consommation" in result.output
    assert "octobre 2022" in result.output  # as-of = month of the data date


def test_csv_and_as_of(base_exemple):
    result = _run(base_exemple, "--annee", "2022", "--format", "csv", "--as-of", "2022-06")
    assert result.exit_code == 0, result.output
    (ligne,) = csv.DictReader(io.StringIO(result.output))
    assert ligne["as_of"] == "2022-06"
    assert ligne["nb_mois_valides"] == "4"
    assert float(ligne["etp_mensuel_realise_moyen"]) == pytest.approx(55 / 4)


@pytest.mark.parametrize(
    ("options", "vide"),
    [
        (["--departement", "35"], False),
        (["--departement", "035"], False),
        (["--region", "Bretagne"], False),
        (["--region", "53"], False),
        (["--region", "occitanie"], True),
        (["--type", "ei"], False),
        (["--type", "ACI"], True),
        (["--af", "EI035220001"], False),
        (["--af", "ACI054180019"], True),
        (["--structure", "501"], False),
        (["--structure", "502"], True),
    ],
)
def test_filters(base_exemple, options, vide):
    result = _run(base_exemple, "--annee", "2022", "--format", "json", *options)
    assert result.exit_code == 0, result.output
    assert (json.loads(result.output) == []) is vide


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--region", "Atlantide"], "région inconnue"),
        (["--as-of", "2022-13"], "mois de référence invalide"),
        (["--as-of", "octobre"], "mois de référence invalide"),
        (["--departement", "99"], "département inconnu"),
        (["--type", "FDI"], "type de structure inconnu"),
        (["--structure", "abc"], "identifiant ASP"),
        (["--format", "xml"], "format inconnu"),
        (["--af", "n'importe quoi"], "numéro d'annexe financière invalide"),
    ],
)
def test_bad_values_exit_2_in_french(base_exemple, options, message):
    result = _run(base_exemple, "--annee", "2022", *options)
    assert result.exit_code == 2
    assert message in result.output


def test_annee_required(base_exemple):
    result = _run(base_exemple)
    assert result.exit_code == 2 and "--annee est obligatoire" in result.output
    result = _run(base_exemple, "--annee", "deux-mille")
    assert result.exit_code == 2 and "année invalide" in result.output


def test_other_year_is_empty(base_exemple):
    result = _run(base_exemple, "--annee", "2023")
    assert result.exit_code == 0
    assert "Aucune annexe financière" in result.output


def test_table_total_line(db_url, donnees):
    donnees.exemple()
    autre = donnees.af(numero="ACI029220002", departement="29", type_structure="ACI", c=12.0)
    donnees.etats(autre, 2022, {1: ("VALIDE", 1505.0)})
    result = _run(db_url, "--annee", "2022")
    assert result.exit_code == 0, result.output
    total = next(ligne for ligne in result.output.splitlines() if ligne.startswith("Total"))
    assert "Total (2 AF)" in total
    assert "35,33" in total  # 23,33 + 12,00 annual conventioned ETP
    assert "40,00" in total  # 28 + 12 monthly conventioned ETP
