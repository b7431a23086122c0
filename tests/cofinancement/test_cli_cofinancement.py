"""``suivi-etp cofinancement``: the ``cofinancement`` object of a selection, national or for
the scope of ``--as-user``, on the hand-computed case of tests/cas_cofinancement.py."""

from __future__ import annotations

import json

import pytest
from cas_cofinancement import tous_les_fichiers
from click.testing import CliRunner

from app.cli import main
from etp.fluxiae import import_paths

CLES = {"montant_cd", "part_cd", "etp_annuel_conventionne_cd", "etp_annuel_conventionne_etat"}


@pytest.fixture
def base(db_url, engine, tmp_path, make_user):
    import_paths(engine, list(tous_les_fichiers(tmp_path / "f").values()))
    make_user("cd54@test.fr", "cd", departement="54")
    return db_url


def _run(db_url, *args):
    return CliRunner().invoke(main, ["cofinancement", "--database-url", db_url, *args])


def test_json_as_cd_user(base):
    result = _run(base, "--annee", "2022", "--as-of", "2022-12", "--as-user", "cd54@test.fr")
    assert result.exit_code == 0, result.output
    sortie = json.loads(result.output)
    objet = sortie["cofinancement"]
    assert set(objet) >= CLES
    assert objet["montant_cd"] == pytest.approx(60000 + 12480)  # not Mayotte's 31 200
    assert objet["part_cd"] == pytest.approx((60000 + 12480) / (267587.5 + 42814))
    assert len(objet["serie"]) == 12
    juillet = objet["serie"][6]
    assert juillet["mois"] == 7
    assert juillet["brsa_cible"] == pytest.approx(60000 / 12 / 520 + 12480 / 6 / 520)
    assert juillet["nb_salaries_brsa"] == 5
    assert juillet["etp_realise_brsa"] == pytest.approx(400 * 12 / 1820)
    assert objet["serie"][1]["etp_realise_brsa"] is None  # February: not validated
    assert sortie["perimetre"].startswith("CD 54")


def test_national_by_default_and_table(base):
    result = _run(base, "--annee", "2022", "--as-of", "2022-12")
    assert json.loads(result.output)["cofinancement"]["montant_cd"] == pytest.approx(103680.0)
    table = _run(base, "--annee", "2022", "--format", "table")
    assert table.exit_code == 0 and "Montant CD : 103" in table.output


def test_errors(base):
    assert _run(base, "--annee", "2022", "--as-user", "inconnu@test.fr").exit_code == 2
    assert _run(base, "--annee", "deux").exit_code == 2
    assert _run(base, "--annee", "2022", "--format", "xml").exit_code == 2


def test_figures_carries_the_same_cofinancement(base):
    args = ["--annee", "2022", "--as-of", "2022-12", "--as-user", "cd54@test.fr"]
    seul = json.loads(_run(base, *args).output)["cofinancement"]
    r = CliRunner().invoke(main, ["figures", "--database-url", base, *args, "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["cofinancement"] == seul
    table = CliRunner().invoke(
        main, ["figures", "--database-url", base, *args[:4], "--format", "table"]
    )
    assert (
        "Part du conseil départemental" in table.output
        and "cofinancement.montant_cd" in table.output
    )
