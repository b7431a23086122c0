"""``suivi-etp figures``: every catalogue key of a selection, unrounded, in a user's scope."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from app.cli import main
from etp.catalogue import CATALOGUE
from etp.figures import aplatir


def _figures(db_url: str, *args: str) -> tuple[int, str]:
    r = CliRunner().invoke(main, ["figures", "--database-url", db_url, *args])
    return r.exit_code, r.output


@pytest.fixture
def monde(donnees, make_user):
    donnees.trois_structures(af_ids=(101, 102, 103), af_2021_id=100)
    make_user("ddets@test.fr", "ddets", departement="35")
    make_user("siae@test.fr", "siae", structures=[3])


def test_json_has_every_catalogue_key(db_url, monde):
    code, sortie = _figures(db_url, "--annee", "2022", "--format", "json")
    assert code == 0, sortie
    d = json.loads(sortie)
    plat = aplatir(d)
    listes = ("af.", "serie.", "cofinancement.serie.", "remplissage.", "retard.")
    listes += ("bourse.",)  # figures of a scenario (etp.bourse), not of a selection
    attendues = {c for c in CATALOGUE if not c.startswith(listes) and c != "n1.afs"}
    assert attendues <= set(plat), attendues - set(plat)
    for serie, prefixe in (
        (d["serie"], "serie."),
        (d["cofinancement"]["serie"], "cofinancement.serie."),
    ):
        assert len(serie) == 12
        assert all(
            set(o) == {c.removeprefix(prefixe) for c in CATALOGUE if c.startswith(prefixe)}
            for o in serie
        )
    for liste in ("remplissage", "retard"):
        champs = {c.removeprefix(liste + ".") for c in CATALOGUE if c.startswith(liste + ".")}
        assert all(champs <= set(o) for o in d[liste]), liste
    assert d["remplissage"] and all(0 <= o["part_valide"] <= 1 for o in d["remplissage"])
    assert d["nb_af"] == 3
    assert d["conventionne"]["etp_mensuel"] == pytest.approx(28 + 41.5 + 6)
    # unrounded: the sum of the averages, 103/6 + 43.25 + 6, not 17.17 + ...
    assert d["realise"]["etp_mensuel_moyen"] == pytest.approx(103 / 6 + 43.25 + 6, abs=1e-12)


def test_as_user_applies_that_scope(db_url, monde):
    code, sortie = _figures(db_url, "--annee", "2022", "--as-user", "ddets@test.fr")
    assert code == 0, sortie
    d = json.loads(sortie)
    assert d["nb_af"] == 2  # EI Exemple and Atelier Rennais, not the Occitan ACI
    assert d["conventionne"]["etp_mensuel"] == pytest.approx(28 + 6)
    # the 2021 AF of EI Exemple has another number: nothing comparable, left out and counted
    assert d["n1"]["nb_af_exclues"] == 2
    code, sortie = _figures(
        db_url, "--annee", "2022", "--as-user", "siae@test.fr", "--af", "ACI031220002"
    )
    assert code == 0 and json.loads(sortie)["nb_af"] == 0  # a forged AF number: nothing


def test_table_and_errors(db_url, monde):
    code, sortie = _figures(db_url, "--annee", "2022", "--format", "table")
    assert code == 0
    assert "Projection fin d'année" in sortie and "projection.etp_annuel" in sortie
    code, sortie = _figures(db_url, "--annee", "2022", "--as-user", "personne@test.fr")
    assert code == 2 and "compte inconnu" in sortie
    code, _ = _figures(db_url, "--annee", "deux")
    assert code == 2
