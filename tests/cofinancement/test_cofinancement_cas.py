"""The hand-computed bRSA case (see tests/cas_cofinancement.py), through the real importer."""

from __future__ import annotations

import pytest
from cas_cofinancement import tous_les_fichiers

from etp.cofinancement import charger, figures
from etp.filters import Filtres
from etp.fluxiae import import_paths
from etp.scope import Scope

FILTRES = Filtres(2022, as_of=(2022, 12))
H = 1820.0
CIBLE_AVANT_AVRIL = 60000 / 12 / 500  # AF 1000, MT_ME_RSA 500 € (January–March)
CIBLE_DEPUIS_AVRIL = 60000 / 12 / 520  # AF 1000, MT_ME_RSA 520 € (from April)
CIBLE_COURTE = 12480 / 6 / 520  # AF 2000: 6 conventioned months, not 12
CIBLE_MAYOTTE = 31200 / 12 / 260


@pytest.fixture
def donnees(engine, tmp_path):
    import_paths(engine, list(tous_les_fichiers(tmp_path / "f").values()))
    return charger(engine, Scope.everything(), FILTRES)


def _af(d, af_id):
    return d.par_af.set_index("id_annexe_financiere").loc[af_id]


def _mois(d, af_id, mois):
    m = d.par_mois
    return m[(m["id_annexe_financiere"] == af_id) & (m["mois"] == mois)].iloc[0]


def test_only_cofinanced_counted_afs(donnees):
    assert sorted(donnees.par_af["id_annexe_financiere"]) == [1000, 2000, 4000]


def test_targets_follow_the_rsa_amount_of_each_month(donnees):
    cibles = [_mois(donnees, 1000, m)["brsa_cible"] for m in range(1, 13)]
    assert cibles[:3] == pytest.approx([CIBLE_AVANT_AVRIL] * 3)
    assert cibles[3:] == pytest.approx([CIBLE_DEPUIS_AVRIL] * 9)
    assert _mois(donnees, 1000, 1)["montant_rsa"] == 500.0
    assert _mois(donnees, 1000, 4)["montant_rsa"] == 520.0


def test_short_af_has_targets_only_in_its_months_over_its_months(donnees):
    cibles = [_mois(donnees, 2000, m)["brsa_cible"] for m in range(1, 13)]
    assert all(c != c for c in cibles[:6])  # NaN: no target outside the AF's months
    assert cibles[6:] == pytest.approx([4.0] * 6)
    assert pytest.approx(4.0) == CIBLE_COURTE  # not 12480 / 12 / 520 = 2 as a yearly sum would


def test_mayotte_uses_its_own_amount(donnees):
    assert _mois(donnees, 4000, 5)["montant_rsa"] == 260.0
    assert _mois(donnees, 4000, 5)["brsa_cible"] == pytest.approx(CIBLE_MAYOTTE)


def test_brsa_employees_with_at_least_one_hour(donnees):
    janvier = _mois(donnees, 1000, 1)
    # p1 (100 h) and p5 (two bRSA contracts, 1,2 h); not p2 (0 h), p4 (0,5 h), p3 (NON),
    # p6 (contract absent from ContratMission), p7 (RSA situation not stated)
    assert janvier["nb_salaries_brsa"] == 2
    assert janvier["heures_brsa"] == pytest.approx(101.2)
    assert janvier["etp_realise_brsa"] == pytest.approx(101.2 * 12 / H)
    assert _mois(donnees, 2000, 7)["nb_salaries_brsa"] == 5
    assert _mois(donnees, 2000, 7)["etp_realise_brsa"] == pytest.approx(400 * 12 / H)


def test_a_month_not_validated_shows_no_realised_brsa(donnees):
    fevrier = _mois(donnees, 1000, 2)
    assert fevrier["etat"] == "SAISI" and not fevrier["valide"]
    assert fevrier["nb_salaries_brsa"] != fevrier["nb_salaries_brsa"]  # NaN
    assert fevrier["etp_realise_brsa"] != fevrier["etp_realise_brsa"]


def test_as_of_month_cuts_validated_months(engine, tmp_path):
    import_paths(engine, list(tous_les_fichiers(tmp_path / "f").values()))
    d = charger(engine, Scope.everything(), Filtres(2022, as_of=(2022, 3)))
    assert not _mois(d, 1000, 4)["valide"]
    assert _af(d, 1000)["nb_mois_valides"] == 1


def test_split_and_under_target_per_af(donnees):
    a = _af(donnees, 1000)
    assert a["part_cd"] == pytest.approx(60000 / 267587.5)
    assert a["montant_cd"] == pytest.approx(60000.0)
    assert a["montant_etat"] == pytest.approx(267587.5 - 60000)
    assert a["etp_annuel_conventionne_cd"] == pytest.approx(12.5 * 60000 / 267587.5)
    assert a["etp_annuel_conventionne_etat"] == pytest.approx(12.5 * (1 - 60000 / 267587.5))
    # validated conventioned months: January (2 vs 10) and April (1 vs 60000/12/520)
    assert a["nb_mois_valides"] == 2
    assert a["nb_mois_sous_cible"] == 2
    assert a["sous_cible"]
    assert a["nb_salaries_brsa_moyen"] == pytest.approx(1.5)
    assert a["ecart_brsa"] == pytest.approx((3 - CIBLE_AVANT_AVRIL - CIBLE_DEPUIS_AVRIL) / 2)
    assert a["brsa_cible_moyenne"] == pytest.approx(
        (3 * CIBLE_AVANT_AVRIL + 9 * CIBLE_DEPUIS_AVRIL) / 12
    )
    assert a["etp_annuel_realise_brsa"] == pytest.approx((101.2 + 120) * 12 / H / 12)

    courte = _af(donnees, 2000)
    assert courte["nb_mois_conventionnes"] == 6
    assert courte["etp_annuel_conventionne_cd"] == pytest.approx(4 * 12480 / 42814 * 6 / 12)
    assert courte["etp_annuel_conventionne_etat"] == pytest.approx(4 * (1 - 12480 / 42814) * 6 / 12)
    # July 5 and August 4 bRSA against 4 + 4: not under target, though August alone is
    assert not courte["sous_cible"]
    assert courte["nb_mois_sous_cible"] == 0

    assert list(donnees.afs_sous_cible()["id_annexe_financiere"]) == [4000, 1000]


def test_selection_sums_and_ratio_of_sums(donnees):
    t = donnees.totaux()
    assert t["nb_af"] == 3
    assert t["montant_cd"] == pytest.approx(60000 + 12480 + 31200)
    assert t["montant_total"] == pytest.approx(267587.5 + 42814 + 267587.5)
    assert t["part_cd"] == pytest.approx((60000 + 12480 + 31200) / (267587.5 + 42814 + 267587.5))
    assert t["etp_annuel_conventionne_cd"] + t["etp_annuel_conventionne_etat"] == pytest.approx(
        12.5 + 4 * 6 / 12 + 12.5
    )
    assert t["nb_af_sous_cible"] == 2


def test_monthly_series_like_for_like(donnees):
    s = donnees.serie().set_index("mois")
    janvier = s.loc[1]
    assert (janvier["nb_af"], janvier["nb_af_valides"]) == (2, 1)  # AF 1000 and Mayotte
    assert janvier["brsa_cible"] == pytest.approx(CIBLE_AVANT_AVRIL + CIBLE_MAYOTTE)
    assert janvier["brsa_cible_valide"] == pytest.approx(CIBLE_AVANT_AVRIL)
    assert janvier["nb_salaries_brsa"] == 2
    fevrier = s.loc[2]
    assert fevrier["nb_af_valides"] == 0
    assert fevrier["nb_salaries_brsa"] is None or fevrier["nb_salaries_brsa"] != 0
    juillet = s.loc[7]
    assert (juillet["nb_af"], juillet["nb_af_valides"]) == (3, 1)
    assert juillet["brsa_cible"] == pytest.approx(CIBLE_DEPUIS_AVRIL + 4.0 + CIBLE_MAYOTTE)
    assert juillet["brsa_cible_valide"] == pytest.approx(4.0)
    assert juillet["etp_realise_brsa"] == pytest.approx(400 * 12 / H)


def test_figures_keys_and_nulls(engine, tmp_path):
    import_paths(engine, list(tous_les_fichiers(tmp_path / "f").values()))
    f = figures(engine, Scope.everything(), FILTRES)
    for key in (
        "montant_cd",
        "part_cd",
        "etp_annuel_conventionne_cd",
        "etp_annuel_conventionne_etat",
    ):
        assert isinstance(f[key], float)
    assert [m["mois"] for m in f["serie"]] == list(range(1, 13))
    for m in f["serie"]:
        assert {"mois", "brsa_cible", "nb_salaries_brsa", "etp_realise_brsa"} <= set(m)
    assert f["serie"][1]["etp_realise_brsa"] is None  # February: no AF validated
    assert f["serie"][1]["nb_salaries_brsa"] is None
    assert f["serie"][0]["nb_salaries_brsa"] == 2 and isinstance(
        f["serie"][0]["nb_salaries_brsa"], int
    )


def test_scope_reads_only_its_afs(engine, tmp_path):
    import_paths(engine, list(tous_les_fichiers(tmp_path / "f").values()))
    cd54 = charger(engine, Scope.of_departements(["54"]), FILTRES)
    assert sorted(cd54.par_af["id_annexe_financiere"]) == [1000, 2000]
    assert set(cd54.par_mois["id_annexe_financiere"]) == {1000, 2000}
    siae = charger(engine, Scope.of_structures([113]), FILTRES)
    assert list(siae.par_af["id_annexe_financiere"]) == [4000]
    rien = charger(engine, Scope.nothing(), FILTRES)
    assert rien.par_af.empty and rien.par_mois.empty and rien.totaux()["montant_cd"] == 0
    # a filter narrows inside the scope, never widens it
    force = charger(engine, Scope.of_departements(["54"]), Filtres(2022, departement="976"))
    assert force.par_af.empty
    assert figures(engine, Scope.nothing(), FILTRES)["serie"][0]["brsa_cible"] == 0
