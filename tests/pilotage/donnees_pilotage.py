"""Known data of the funders' tests, written straight through the ``etp.schema`` models.

Year 2022, as of October 2022, plus 2021 for the seasonal profile and the N−1 comparison.
Monthly states are given as realised ETP (the hours are derived: ETP × H / 12) so that every
expected figure of the tests can be computed by hand from these lines.

- ``A`` EI 54, the guide's worked example (01/03–31/12/2022, C 28, H 1505, aid 11 000 €): Mar 5,
  Apr 10, May–Jul 20, Aug 28 validated, Sep SAISI, Oct nothing. Same number in 2021
  (01/03–31/12/2021, C 28), every month validated: Mar 10, Apr 10, May–Aug 20, Sep–Nov 25, Dec 15.
- ``B`` ACI 54 (full year, C 10, H 1820, aid 22 000 €): Jan–Sep validated at 12 ETP (sur).
  New in 2022: no history.
- ``C`` AI 57 (full year, C 5, H 1607, aid 1 500 €): Jan–Jul validated at 5 ETP (conforme),
  Aug BROUILLON, Sep DEBLOQUE. Same number in 2021, Nov 2021 not validated (incomplete profile).
- ``D`` ETTI 54, short (01/07–31/12/2022, C 8, H 1607, aid 4 500 €): Jul–Sep validated at 4 ETP.
- ``E`` EI 54 (full year, C 3, H 1505, aid 11 000 €): Jan–Sep SAISI, nothing validated.
- ``F`` ACI 35 (full year, C 6, H 1820, aid 22 000 €): Jan–Sep validated at 6 ETP; out of the
  scope of DDETS 54 and of DREETS Grand Est.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from builders import annexe_financiere, etat_mensuel, inserer
from sqlalchemy import Engine

from etp.schema import Structure

AS_OF = (2022, 10)
#: Creation time of every monthly state of the scenario.
CREATION = datetime(2022, 10, 5, 8, 0)


@dataclass(frozen=True)
class AF:
    cle: str
    id: int
    numero: str
    structure_id: int
    type_structure: str
    departement: str
    debut: date
    fin: date
    c: float
    h: float
    aide: float
    # month -> (state, realised ETP or None)
    mois: dict[int, tuple[str, float | None]]
    annee: int = 2022


def _valides(mois_etp: dict[int, float]) -> dict[int, tuple[str, float | None]]:
    return {m: ("VALIDE", v) for m, v in mois_etp.items()}


A = AF(
    "A", 1, "EI054210001", 101, "EI", "54", date(2022, 3, 1), date(2022, 12, 31), 28, 1505, 11_000,
    {**_valides({3: 5, 4: 10, 5: 20, 6: 20, 7: 20, 8: 28}), 9: ("SAISI", 22)},
)  # fmt: skip
A_2021 = AF(
    "A_2021", 11, "EI054210001", 101, "EI", "54", date(2021, 3, 1), date(2021, 12, 31), 28, 1505,
    10_500,
    _valides({3: 10, 4: 10, 5: 20, 6: 20, 7: 20, 8: 20, 9: 25, 10: 25, 11: 25, 12: 15}),
    annee=2021,
)  # fmt: skip
B = AF(
    "B", 2, "ACI054220002", 102, "ACI", "54", date(2022, 1, 1), date(2022, 12, 31), 10, 1820,
    22_000, _valides(dict.fromkeys(range(1, 10), 12)),
)  # fmt: skip
C = AF(
    "C", 3, "AI057200003", 103, "AI", "57", date(2022, 1, 1), date(2022, 12, 31), 5, 1607, 1_500,
    {**_valides(dict.fromkeys(range(1, 8), 5)), 8: ("BROUILLON", 3), 9: ("DEBLOQUE", 4)},
)  # fmt: skip
C_2021 = AF(
    "C_2021", 13, "AI057200003", 103, "AI", "57", date(2021, 1, 1), date(2021, 12, 31), 5, 1607,
    1_450,
    {**_valides({m: 4 for m in range(1, 13) if m != 11}), 11: ("SAISI", 4)},
    annee=2021,
)  # fmt: skip
D = AF(
    "D", 4, "ETTI054220004", 104, "ETTI", "54", date(2022, 7, 1), date(2022, 12, 31), 8, 1607,
    4_500, _valides({7: 4, 8: 4, 9: 4}),
)  # fmt: skip
E = AF(
    "E", 5, "EI054190005", 105, "EI", "54", date(2022, 1, 1), date(2022, 12, 31), 3, 1505, 11_000,
    {m: ("SAISI", 3) for m in range(1, 10)},
)  # fmt: skip
F = AF(
    "F", 6, "ACI035220006", 106, "ACI", "35", date(2022, 1, 1), date(2022, 12, 31), 6, 1820,
    22_000, _valides(dict.fromkeys(range(1, 10), 6)),
)  # fmt: skip

TOUTES = (A, A_2021, B, C, C_2021, D, E, F)
NOMS = {101: "Alpha", 102: "Bravo", 103: "Charlie", 104: "Delta", 105: "Echo", 106: "Foxtrot"}


def ecrire(engine: Engine, afs: tuple[AF, ...] = TOUTES) -> None:
    """Insert the structures, AFs and monthly states of ``afs``."""
    rows: list[object] = [
        Structure(id=sid, denomination=nom, siret=f"{sid:014d}") for sid, nom in NOMS.items()
    ]
    for af in afs:
        rows.append(
            annexe_financiere(
                af.id,
                numero=af.numero,
                structure_id=af.structure_id,
                debut=af.debut,
                fin=af.fin,
                c=af.c,
                h=af.h,
                aide=af.aide,
                type_structure=af.type_structure,
                departement=af.departement,
                numero_avenant_renouvellement=af.annee - 2019,
                numero_avenant_modification=0,
            )
        )
        rows.extend(
            etat_mensuel(af.id, af.annee, mois, etat, (etp or 0) * af.h / 12, creation=CREATION)
            for mois, (etat, etp) in af.mois.items()
        )
    inserer(engine, rows)
