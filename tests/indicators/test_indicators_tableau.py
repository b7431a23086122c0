"""The array form (etp.indicators_tableau) agrees with the reference, indicateurs_annee."""

from __future__ import annotations

import math
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from etp.indicators import AFInputs, EtatMois, indicateurs_annee, statut_consommation
from etp.indicators_tableau import AUCUN_ETAT, calculer, statuts_consommation

ANNUELS = (
    "etp_mensuel_conventionne",
    "nb_mois_conventionnes",
    "etp_annuel_conventionne",
    "nb_mois_valides",
    "dernier_mois_valide",
    "etp_mensuel_realise_moyen",
    "etp_annuel_realise",
    "taux_realisation_annuel",
    "ecart_etp_mensuel",
    "ecart_pct",
    "projection_etp_annuel",
    "taux_projection_annuel",
    "montant_unitaire_annuel",
    "montant_annuel_conventionne",
    "montant_annuel_realise",
    "montant_annuel_projete",
)
MENSUELS = ("etp_mensuel_conventionne", "heures", "etp_mensuel_realise", "taux_realisation_mensuel")


def _egal(reference, valeur) -> bool:
    """``None`` in the reference is NaN in the arrays; numbers agree to float precision."""
    if reference is None:
        return valeur is None or (isinstance(valeur, float) and math.isnan(valeur))
    if isinstance(reference, str):
        return reference == valeur
    return math.isclose(float(reference), float(valeur), rel_tol=1e-12, abs_tol=1e-12)


une_af = st.tuples(
    st.dates(date(2020, 1, 1), date(2024, 12, 31)),
    st.dates(date(2020, 1, 1), date(2024, 12, 31)),
    st.none() | st.floats(0, 80, allow_nan=False),
    st.none() | st.sampled_from([0.0, 1505.0, 1607.0, 1820.0]),
    st.none() | st.floats(0, 30_000, allow_nan=False),
    st.dictionaries(
        st.integers(1, 12),
        st.builds(
            EtatMois,
            st.sampled_from(["VALIDE", "VALIDE", "SAISI", "BROUILLON", "DEBLOQUE"]),
            st.floats(0, 40_000, allow_nan=False),
            st.integers(0, 60),
        ),
    ),
)


@settings(max_examples=150, deadline=None)
@given(
    afs=st.lists(une_af, max_size=6),
    annee=st.integers(2020, 2024),
    as_of=st.none() | st.tuples(st.integers(2019, 2025), st.integers(1, 12)),
)
def test_array_form_equals_reference(afs, annee, as_of):
    lignes = [
        (i, mois, e.etat, e.heures, e.nb_salaries)
        for i, af in enumerate(afs)
        for mois, e in af[5].items()
    ]
    etats = tuple(zip(*lignes, strict=True)) if lignes else AUCUN_ETAT
    t = calculer(
        [a[0] for a in afs],
        [a[1] for a in afs],
        [a[2] for a in afs],
        [a[3] for a in afs],
        [a[4] for a in afs],
        etats,
        annee,
        as_of,
    )
    for i, (debut, fin, c, h, aide, par_mois) in enumerate(afs):
        ref = indicateurs_annee(AFInputs(debut, fin, c, h, aide), par_mois, annee, as_of)
        for cle in ANNUELS:
            assert _egal(getattr(ref, cle), float(t.annuel[cle][i])), cle
        assert t.statut_consommation[i] == ref.statut_consommation
        for m in ref.mois:
            j = m.mois - 1
            assert bool(t.conventionne[i, j]) == m.conventionne
            assert bool(t.valide[i, j]) == m.valide
            assert t.etat[i, j] == m.etat
            for cle in MENSUELS:
                assert _egal(getattr(m, cle), float(getattr(t, cle)[i, j])), (cle, m.mois)


def test_worked_example_in_array_form():
    h = 1505.0
    realise = {3: 5, 4: 10, 5: 20, 6: 20, 7: 20, 8: 28}
    lignes = [(0, m, "VALIDE", r * h / 12, 3) for m, r in realise.items()]
    lignes.append((0, 9, "SAISI", 1000.0, 3))
    etats = tuple(zip(*lignes, strict=True))
    t = calculer(
        [date(2022, 3, 1)], [date(2022, 12, 31)], [28.0], [h], [10_000.0], etats, 2022, (2022, 10)
    )
    assert round(t.annuel["etp_mensuel_realise_moyen"][0], 2) == 17.17
    assert round(t.annuel["etp_annuel_conventionne"][0], 2) == 23.33
    assert round(t.annuel["etp_annuel_realise"][0], 2) == 8.58
    assert round(t.annuel["projection_etp_annuel"][0], 2) == 14.31
    assert t.statut_consommation == ["sous-consommation"]
    assert t.annuel["dernier_mois_valide"][0] == 8


def test_empty():
    t = calculer([], [], [], [], [], AUCUN_ETAT, 2022, None)
    assert t.conventionne.shape == (0, 12)
    assert t.statut_consommation == []


centimes = st.integers(-100_000, 100_000).map(lambda k: k / 100)
proche = st.tuples(centimes, st.sampled_from([0.0, 1e-12, -1e-12, 1e-9, -1e-9, 0.004, 0.009999]))
valeur = st.floats(-1000, 1000, allow_nan=False) | proche.map(sum) | st.just(float("nan"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(valeur, valeur), max_size=20))
def test_vectorised_status_equals_reference(paires):
    moyen = [m for m, _ in paires]
    conv = [c for _, c in paires]
    attendu = [
        statut_consommation(None if math.isnan(m) else m, None if math.isnan(c) else c)
        for m, c in paires
    ]
    assert statuts_consommation(moyen, conv) == attendu


def test_vectorised_status_edge_cases():
    cas = [(28.004, 28.0), (17.169999999999998, 17.17), (0.1 + 0.2, 0.3), (27.999, 28.0)]
    assert statuts_consommation([m for m, _ in cas], [c for _, c in cas]) == [
        "conforme",
        "conforme",
        "conforme",
        "sous-consommation",
    ]
