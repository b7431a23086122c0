"""The pure definitions of etp.indicators (domain.md §4), without a database."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_DOWN, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etp.indicators import (
    CONFORME,
    SOUS_CONSOMMATION,
    SUR_CONSOMMATION,
    AFInputs,
    EtatMois,
    indicateurs_annee,
    mois_conventionnes,
    statut_consommation,
    tronque,
)
from etp.indicators import etp_mensuel_realise as realise

H = 1505.0
EXEMPLE = AFInputs(date(2022, 3, 1), date(2022, 12, 31), 28.0, H, 10_000.0)
EXEMPLE_ETATS = {
    **{m: EtatMois("VALIDE", r * H / 12, 4) for m, r in {3: 5, 4: 10, 5: 20, 6: 20, 7: 20}.items()},
    8: EtatMois("VALIDE", 28 * H / 12, 30),
    9: EtatMois("SAISI", 3000.0, 30),
}


def test_worked_example_to_the_cent():
    ind = indicateurs_annee(EXEMPLE, EXEMPLE_ETATS, 2022, as_of=(2022, 10))
    assert ind.nb_mois_conventionnes == 10
    assert ind.nb_mois_valides == 6
    assert ind.dernier_mois_valide == 8
    assert ind.etp_mensuel_conventionne == 28
    assert ind.mois[5].etp_mensuel_realise == pytest.approx(20)
    assert round(ind.etp_mensuel_realise_moyen, 2) == 17.17
    assert round(ind.etp_annuel_conventionne, 2) == 23.33
    assert round(ind.etp_annuel_realise, 2) == 8.58
    assert round(ind.taux_realisation_annuel, 2) == 0.37
    assert ind.statut_consommation == SOUS_CONSOMMATION
    assert round(ind.ecart_etp_mensuel, 2) == -10.83
    assert round(ind.projection_etp_annuel, 2) == 14.31
    assert round(ind.taux_projection_annuel, 2) == 0.61
    assert round(ind.montant_annuel_conventionne, 2) == 233_333.33
    assert round(ind.montant_annuel_realise, 2) == 85_833.33
    assert round(ind.montant_annuel_projete, 2) == 143_055.56
    # unrounded all the way
    assert ind.etp_mensuel_realise_moyen == pytest.approx(103 / 6)
    assert ind.etp_annuel_realise == pytest.approx(103 / 12)


def test_worked_example_months():
    ind = indicateurs_annee(EXEMPLE, EXEMPLE_ETATS, 2022, as_of=(2022, 10))
    assert [m.conventionne for m in ind.mois] == [False, False] + [True] * 10
    assert [m.etp_mensuel_conventionne for m in ind.mois] == [0.0, 0.0] + [28.0] * 10
    assert ind.mois[8].etat == "SAISI"
    assert ind.mois[8].etp_mensuel_realise is None  # not validated: shows its state
    assert ind.mois[9].etat is None  # non saisi
    assert ind.mois[7].taux_realisation_mensuel == pytest.approx(1.0)
    assert ind.mois[2].taux_realisation_mensuel == pytest.approx(5 / 28)
    assert ind.mois[0].taux_realisation_mensuel is None


def test_as_of_cut_ignores_later_validated_months():
    fin_juin = indicateurs_annee(EXEMPLE, EXEMPLE_ETATS, 2022, as_of=(2022, 6))
    assert fin_juin.nb_mois_valides == 4
    assert fin_juin.etp_mensuel_realise_moyen == pytest.approx((5 + 10 + 20 + 20) / 4)
    assert fin_juin.mois[6].etat == "VALIDE" and fin_juin.mois[6].etp_mensuel_realise is None
    assert fin_juin.projection_etp_annuel == pytest.approx(55 / 12 + 13.75 * 6 / 12)
    avant = indicateurs_annee(EXEMPLE, EXEMPLE_ETATS, 2022, as_of=(2021, 12))
    assert avant.nb_mois_valides == 0
    assert avant.statut_consommation is None
    assert avant.projection_etp_annuel is None
    assert avant.etp_annuel_realise == 0
    apres = indicateurs_annee(EXEMPLE, EXEMPLE_ETATS, 2022, as_of=(2023, 2))
    assert apres.nb_mois_valides == 6


@pytest.mark.parametrize("etat", ["DEBLOQUE", "SAISI", "BROUILLON", "ANNULE"])
def test_states_other_than_valide_do_not_count(etat):
    etats = {3: EtatMois("VALIDE", 28 * H / 12), 4: EtatMois(etat, 99 * H / 12)}
    ind = indicateurs_annee(EXEMPLE, etats, 2022)
    assert ind.nb_mois_valides == 1
    assert ind.etp_mensuel_realise_moyen == pytest.approx(28)
    assert ind.statut_consommation == CONFORME
    assert ind.mois[3].etat == etat and ind.mois[3].etp_mensuel_realise is None


def test_mois_conventionnes_partial_and_cross_year():
    assert mois_conventionnes(date(2022, 3, 1), date(2022, 12, 31), 2022) == list(range(3, 13))
    # one day of a month is enough
    assert mois_conventionnes(date(2022, 3, 31), date(2022, 5, 1), 2022) == [3, 4, 5]
    # a cross-year AF belongs to both years
    assert mois_conventionnes(date(2022, 7, 1), date(2023, 6, 30), 2022) == list(range(7, 13))
    assert mois_conventionnes(date(2022, 7, 1), date(2023, 6, 30), 2023) == list(range(1, 7))
    assert mois_conventionnes(date(2022, 7, 1), date(2023, 6, 30), 2024) == []
    assert mois_conventionnes(date(2022, 7, 1), date(2022, 6, 30), 2022) == []
    assert mois_conventionnes(date(2024, 2, 29), date(2024, 2, 29), 2024) == [2]


def test_cross_year_af_second_year():
    af = AFInputs(date(2022, 7, 1), date(2023, 6, 30), 12.0, 1820.0, 20_000.0)
    ind = indicateurs_annee(af, {1: EtatMois("VALIDE", 910.0)}, 2023, as_of=(2023, 3))
    assert ind.nb_mois_conventionnes == 6
    assert ind.etp_annuel_conventionne == pytest.approx(6.0)
    assert ind.mois[0].etp_mensuel_realise == pytest.approx(6.0)
    assert ind.etp_annuel_realise == pytest.approx(0.5)
    assert ind.projection_etp_annuel == pytest.approx(0.5 + 6 * 5 / 12)


def test_realise_uses_the_row_hours():
    assert realise(1820.0 / 12, 1820.0) == pytest.approx(1.0)
    assert realise(1607.0, 1607.0) == pytest.approx(12.0)
    assert realise(100.0, None) is None
    assert realise(100.0, 0.0) is None


@pytest.mark.parametrize(
    ("moyen", "conventionne", "attendu"),
    [
        (28.004, 28.0, CONFORME),  # truncated: 28.00 = 28.00
        (28.009999, 28.0, CONFORME),
        (28.01, 28.0, SUR_CONSOMMATION),
        (27.999, 28.0, SOUS_CONSOMMATION),  # 27.99 < 28.00
        (17.17, 17.17, CONFORME),
        (17.169999999999998, 17.17, CONFORME),  # float artefact must not give 17.16
        (0.1 + 0.2, 0.3, CONFORME),
        (103 / 6, 28.0, SOUS_CONSOMMATION),
        (5.0, 0.0, SUR_CONSOMMATION),
        (None, 28.0, None),
        (5.0, None, None),
    ],
)
def test_statut_consommation(moyen, conventionne, attendu):
    assert statut_consommation(moyen, conventionne) == attendu


def test_tronque():
    assert str(tronque(17.17)) == "17.17"
    assert str(tronque(103 / 6)) == "17.16"
    assert str(tronque(-10.8333)) == "-10.83"


def test_no_validated_month():
    ind = indicateurs_annee(EXEMPLE, {}, 2022)
    assert ind.nb_mois_valides == 0
    assert ind.etp_mensuel_realise_moyen is None
    assert ind.statut_consommation is None
    assert ind.ecart_etp_mensuel is None
    assert ind.taux_realisation_annuel == 0
    assert all(m.etat is None for m in ind.mois)


def test_missing_aid_gives_no_amounts():
    af = AFInputs(date(2022, 1, 1), date(2022, 12, 31), 5.0, H, None)
    ind = indicateurs_annee(af, {1: EtatMois("VALIDE", H / 12)}, 2022)
    assert ind.montant_unitaire_annuel is None
    assert ind.montant_annuel_conventionne is None and ind.montant_annuel_projete is None


# --------------------------------------------------------------------------- properties

jours = st.dates(min_value=date(2020, 1, 1), max_value=date(2025, 12, 31))
etats_mois = st.dictionaries(
    st.integers(1, 12),
    st.builds(
        EtatMois,
        st.sampled_from(["VALIDE", "VALIDE", "SAISI", "BROUILLON", "DEBLOQUE"]),
        st.floats(0, 50_000, allow_nan=False),
    ),
)


def _centimes(x: float) -> int:
    """``x`` truncated to the cent, in cents, float noise below 1e-9 removed first."""
    return int((Decimal(repr(round(x, 9))) * 100).to_integral_value(ROUND_DOWN))


def _statut_attendu(moyen: float, c: float) -> str:
    a, b = _centimes(moyen), _centimes(c)
    return SUR_CONSOMMATION if a > b else SOUS_CONSOMMATION if a < b else CONFORME


def _conventionne(debut: date, fin: date, annee: int, mois: int) -> bool:
    dernier_jour = date(annee, mois, calendar.monthrange(annee, mois)[1])
    return debut <= fin and debut <= dernier_jour and fin >= date(annee, mois, 1)


@settings(max_examples=200, deadline=None)
@given(
    debut=jours,
    fin=jours,
    annee=st.integers(2020, 2025),
    c=st.floats(0, 500, allow_nan=False),
    h=st.sampled_from([1820.0, 1607.0, 1505.0]),
    etats=etats_mois,
    as_of=st.none() | st.tuples(st.integers(2019, 2026), st.integers(1, 12)),
)
def test_properties(debut, fin, annee, c, h, etats, as_of):
    """Every figure recomputed here from the inputs alone: which months are conventioned and
    validated (the AF's period, the month's state, the as-of month), the realised ETP, the
    annual figures, the average and the consumption status."""
    ind = indicateurs_annee(AFInputs(debut, fin, c, h, 1000.0), etats, annee, as_of)
    conventionnes = [m for m in range(1, 13) if _conventionne(debut, fin, annee, m)]
    # a validated month: state VALIDE and not after the as-of month; its realised ETP is shown
    # even outside the convention, but only conventioned ones count in the year's figures
    valides_tous = [
        m
        for m in range(1, 13)
        if m in etats and etats[m].etat == "VALIDE" and (as_of is None or (annee, m) <= as_of)
    ]
    valides = [m for m in valides_tous if m in conventionnes]
    realises = {m: etats[m].heures * 12 / h for m in valides_tous}
    d = len(conventionnes)
    assert ind.nb_mois_conventionnes == d
    assert [m.mois for m in ind.mois if m.conventionne] == conventionnes
    assert ind.nb_mois_valides == len(valides)
    # annual conventioned = C × conventioned months / 12
    assert ind.etp_annuel_conventionne == pytest.approx(c * d / 12)
    # annual realised = Σ monthly realised of validated conventioned months / 12
    somme = sum(realises[m] for m in valides)
    assert ind.etp_annuel_realise == pytest.approx(somme / 12)
    for m in ind.mois:
        if m.mois in realises:
            assert m.etp_mensuel_realise == pytest.approx(realises[m.mois])
        else:
            assert m.etp_mensuel_realise is None, m
    if valides:
        moyen = somme / len(valides)
        assert ind.etp_mensuel_realise_moyen == pytest.approx(moyen)
        assert ind.statut_consommation == _statut_attendu(ind.etp_mensuel_realise_moyen, c)
        assert ind.projection_etp_annuel >= ind.etp_annuel_realise - 1e-9
        assert ind.montant_annuel_projete == pytest.approx(ind.projection_etp_annuel * 1000)
    else:
        assert ind.etp_mensuel_realise_moyen is None and ind.statut_consommation is None


@settings(max_examples=200, deadline=None)
@given(
    c=st.integers(1, 50_000).map(lambda k: k / 100),
    h=st.sampled_from([1820.0, 1607.0, 1505.0]),
    valides=st.sets(st.integers(1, 12), min_size=1),
    decalage=st.sampled_from([-0.01, 0.0, 0.01]),
)
def test_status_around_the_conventioned_level(c, h, valides, decalage):
    """Every validated month at exactly C (± 1 cent of ETP): conforme at C whatever the float
    noise of hours × 12 / H, sur- or sous-consommation one cent away."""
    r = c + decalage
    etats = {m: EtatMois("VALIDE", r * h / 12) for m in valides}
    ind = indicateurs_annee(
        AFInputs(date(2022, 1, 1), date(2022, 12, 31), c, h, 1.0), etats, 2022, None
    )
    attendu = {-0.01: SOUS_CONSOMMATION, 0.0: CONFORME, 0.01: SUR_CONSOMMATION}[decalage]
    assert ind.statut_consommation == attendu
    assert _statut_attendu(ind.etp_mensuel_realise_moyen, c) == attendu


@settings(max_examples=200, deadline=None)
@given(debut=jours, fin=jours, annee=st.integers(2019, 2026))
def test_mois_conventionnes_is_any_day_of_the_month(debut, fin, annee):
    """Reference definition, day by day: a month is conventioned when one of its days is."""
    premier, dernier = max(debut, date(annee, 1, 1)), min(fin, date(annee, 12, 31))
    jours_couverts = range(premier.toordinal(), dernier.toordinal() + 1)
    attendu = sorted({date.fromordinal(j).month for j in jours_couverts})
    assert mois_conventionnes(debut, fin, annee) == attendu
