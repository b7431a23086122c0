"""Last year's realised ETP per AF number and month, read for the funders' tab without building
the frames (``queries.lire_realises_par_numero``), equals what the frames give
(``aggregation.realises_par_numero(indicateurs_mensuels(...))``) to the last bit."""

from __future__ import annotations

from datetime import date

import pytest
from builders import Donnees

from etp import queries
from etp.aggregation import realises_par_numero
from etp.filters import Filtres
from etp.scope import Scope


@pytest.fixture
def annee_2025(engine) -> Donnees:
    d = Donnees(engine)
    d.structure(1, "EI Rennes")
    d.structure(2, "ACI Brest")
    d.structure(3, "AI Toulouse")
    # a full year, one late month, one month in draft
    a = d.af(numero="EI035250001", structure_id=1, debut=date(2025, 1, 1), fin=date(2025, 12, 31))
    d.etats(
        a, 2025, {m: ("VALIDE", 1000.0 + 37.3 * m) for m in range(1, 10)} | {10: ("SAISI", 9.0)}
    )
    # the same number twice in one year, both AFs conventioned and validated in June
    b1 = d.af(
        numero="AC029250002",
        structure_id=2,
        debut=date(2025, 1, 1),
        fin=date(2025, 6, 30),
        type_structure="ACI",
        departement="29",
        h=1607.0,
    )
    b2 = d.af(
        numero="AC029250002",
        structure_id=2,
        debut=date(2025, 6, 1),
        fin=date(2025, 12, 31),
        type_structure="ACI",
        departement="29",
        h=1607.0,
        c=4.5,
    )
    d.etats(b1, 2025, {m: ("VALIDE", 333.3) for m in range(1, 7)})
    d.etats(b2, 2025, {m: ("VALIDE", 111.1 * m) for m in range(6, 12)})
    # a state outside the AF's period, and an AF without hours per ETP
    c = d.af(
        numero="AI031250003",
        structure_id=3,
        debut=date(2025, 3, 1),
        fin=date(2025, 8, 31),
        type_structure="AI",
        departement="31",
    )
    d.etats(c, 2025, {2: ("VALIDE", 50.0), 3: ("VALIDE", 70.0), 9: ("VALIDE", 80.0)})
    sans_h = d.af(
        numero="AI031250004",
        structure_id=3,
        debut=date(2025, 1, 1),
        fin=date(2025, 12, 31),
        type_structure="AI",
        departement="31",
        h=None,
    )
    d.etats(sans_h, 2025, {1: ("VALIDE", 10.0)})
    # not counted
    nc = d.af(
        numero="EI035250005",
        structure_id=1,
        debut=date(2025, 1, 1),
        fin=date(2025, 12, 31),
        compte=False,
        etat="ANNULE",
    )
    d.etats(nc, 2025, {1: ("VALIDE", 99.0)})
    return d  # fmt: skip


@pytest.mark.parametrize(
    "scope, filtres",
    [
        (Scope.everything(), Filtres(annee=2025)),
        (Scope.everything(), Filtres(annee=2025, as_of=(2025, 7))),
        (Scope.everything(), Filtres(annee=2025, as_of=(2026, 11))),
        (Scope.everything(), Filtres(annee=2025, as_of=(2024, 12))),
        (Scope.of_departements(["29", "31"]), Filtres(annee=2025)),
        (Scope.everything(), Filtres(annee=2025, type_structure="ACI")),
        (Scope.of_structures([1]), Filtres(annee=2025, structure_id=3)),
        (Scope.nothing(), Filtres(annee=2025)),
        (Scope.everything(), Filtres(annee=2024)),
    ],
)
def test_the_lean_read_gives_what_the_frames_give(engine, annee_2025, scope, filtres):
    lu = queries.lire_realises_par_numero(engine, scope, filtres)
    attendu = realises_par_numero(queries.indicateurs_mensuels(engine, scope, filtres))
    assert lu == attendu  # exact: same rows, same order, same sums


def test_what_it_keeps_and_leaves_out(engine, annee_2025):
    lu = queries.lire_realises_par_numero(engine, Scope.everything(), Filtres(annee=2025))
    assert set(lu) == {"EI035250001", "AC029250002", "AI031250003"}  # no h, not counted: out
    assert sorted(lu["EI035250001"]) == list(range(1, 10))  # October is not validated
    assert sorted(lu["AI031250003"]) == [3]  # February and September are outside its period
    juin = (333.3 + 111.1 * 6) * 12 / 1607.0  # both AFs of the number, summed
    assert lu["AC029250002"][6] == pytest.approx(juin, rel=1e-12)
    assert sorted(lu["AC029250002"]) == list(range(1, 12))
