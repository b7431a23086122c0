"""Fixtures of the dashboard callback tests: the three-structure world of ``tests/builders.py``
and one account per kind of organisation (``en_tant_que`` is in tests/conftest.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from builders import Donnees
from sqlalchemy import Engine


@pytest.fixture
def monde(engine: Engine) -> Donnees:
    """``Donnees.trois_structures`` with the 2021 AF of ``EI Exemple``; AF ids: worked example
    1000, its 2021 AF 1001, ``Chantier Occitan`` 1002, ``Atelier Rennais`` 1003.
    Data date: 12/10/2022."""
    d = Donnees(engine)
    d.trois_structures(af_ids=(1000, 1002, 1003), af_2021_id=1001)
    return d


@pytest.fixture
def users(monde, make_user) -> dict[str, Any]:
    return {
        "siae": make_user("siae@test.fr", "siae", structures=[1], nom="Directrice EI"),
        "ddets": make_user("ddets@test.fr", "ddets", departement="35"),
        "dreets": make_user("dreets@test.fr", "dreets", region="76"),
        "dgefp": make_user("dgefp@test.fr", "dgefp"),
        "vide": make_user("personne@test.fr", None),
    }


# --- the forged-request count, printed at the end of the run ------------------------------------

#: Name of the test-report property that carries one fuzzing run's counts to the summary.
PROPRIETE_FUZZ = "requetes_forgees"


class _RapportFuzz(list):
    """The list the fuzzing test appends ``(backend, counter)`` to; each entry is also recorded
    on the test's report, so the summary reads it from the reports, also when the test ran in a
    pytest-xdist worker process (``make test`` runs the suite on several workers)."""

    def __init__(self, node: pytest.Item) -> None:
        super().__init__()
        self._node = node

    def append(self, entree: tuple[str, Any]) -> None:
        super().append(entree)
        backend, compteur = entree
        self._node.user_properties.append(
            (
                PROPRIETE_FUZZ,
                json.dumps(
                    {
                        "backend": backend,
                        "requetes": compteur.requetes,
                        "statuts": {str(k): v for k, v in compteur.statuts.items()},
                        "plus_lent": compteur.plus_lent,
                    }
                ),
            )
        )


@pytest.fixture
def fuzz_rapport(request: pytest.FixtureRequest) -> list[tuple[str, Any]]:
    """Where the fuzzing test leaves (backend, counter) once every request has passed."""
    return _RapportFuzz(request.node)


def pytest_terminal_summary(terminalreporter) -> None:
    for report in terminalreporter.stats.get("passed", []):
        for nom, valeur in getattr(report, "user_properties", ()):
            if nom != PROPRIETE_FUZZ:
                continue
            r = json.loads(valeur)
            statuts = ", ".join(
                f"{code} : {n}" for code, n in sorted(r["statuts"].items(), key=lambda c: int(c[0]))
            )
            terminalreporter.write_line(
                f"Requêtes forgées ({r['backend']}) : {r['requetes']} envoyées, 0 fuite hors "
                f"périmètre, 0 erreur serveur ; statuts {statuts} ; "
                f"la plus lente {r['plus_lent']:.2f} s"
            )
