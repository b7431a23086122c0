"""Fixtures of the indicator tests: rows written straight through the ``etp.schema`` models."""

from __future__ import annotations

import itertools
from datetime import date, datetime

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from etp.referentiel import region_of
from etp.schema import AnnexeFinanciere, EtatMensuel, Structure

#: The guide's worked example (domain.md §4): realised ETP of the validated months of 2022.
EXEMPLE_REALISE = {3: 5.0, 4: 10.0, 5: 20.0, 6: 20.0, 7: 20.0, 8: 28.0}
EXEMPLE_H = 1505.0
EXEMPLE_C = 28.0
EXEMPLE_AIDE = 10_000.0


class Donnees:
    """Builds structures, AFs and monthly states in a test database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._ids = itertools.count(1000)

    def structure(self, id: int, denomination: str = "Structure", siret: str | None = None) -> int:
        with Session(self.engine) as s, s.begin():
            s.add(Structure(id=id, denomination=denomination, siret=siret))
        return id

    def af(
        self,
        *,
        numero: str = "EI035220001",
        structure_id: int = 1,
        debut: date = date(2022, 1, 1),
        fin: date = date(2022, 12, 31),
        c: float | None = 10.0,
        h: float | None = 1505.0,
        aide: float | None = 10_000.0,
        type_structure: str = "EI",
        departement: str = "35",
        compte: bool = True,
        etat: str = "VALIDE",
        id: int | None = None,
    ) -> int:
        af_id = id if id is not None else next(self._ids)
        with Session(self.engine) as s, s.begin():
            s.add(
                AnnexeFinanciere(
                    id=af_id,
                    id_avenant_modification=af_id * 10,
                    numero=numero,
                    numero_avenant_renouvellement=0,
                    numero_avenant_modification=1,
                    structure_id=structure_id,
                    mesure_code=f"{type_structure}_DC",
                    type_structure=type_structure,
                    milieu_penitentiaire=False,
                    etat=etat,
                    compte=compte,
                    date_debut=debut,
                    date_fin=fin,
                    annee_debut=debut.year,
                    annee_fin=fin.year,
                    etp_postes_insertion=c,
                    duree_heure_annuel_etp=h,
                    montant_unitaire_annuel=aide,
                    departement_code=departement,
                    region_code=region_of(departement),
                )
            )
        return af_id

    def etats(
        self,
        af_id: int,
        annee: int,
        mois: dict[int, tuple[str, float]],
        creation: datetime | None = None,
    ) -> None:
        """``mois``: month -> (état, hours)."""
        with Session(self.engine) as s, s.begin():
            for m, (etat, heures) in mois.items():
                s.add(
                    EtatMensuel(
                        af_id=af_id,
                        annee=annee,
                        mois=m,
                        heures=heures,
                        etat=etat,
                        nb_salaries=3,
                        nb_lignes=3,
                        derniere_creation=creation or datetime(annee, m, 28, 12, 0),
                    )
                )

    def exemple(self) -> int:
        """EI 1 of the guide: 01/03–31/12/2022, C=28, H=1505; September entered but not
        validated; data date in October 2022."""
        self.structure(1, "EI 1", "12345678900011")
        af_id = self.af(
            numero="EI035220001",
            structure_id=1,
            debut=date(2022, 3, 1),
            fin=date(2022, 12, 31),
            c=EXEMPLE_C,
            h=EXEMPLE_H,
            aide=EXEMPLE_AIDE,
            id=1,
        )
        mois = {m: ("VALIDE", r * EXEMPLE_H / 12) for m, r in EXEMPLE_REALISE.items()}
        mois[9] = ("SAISI", 2000.0)
        self.etats(af_id, 2022, mois)
        self.etats(af_id, 2022, {10: ("BROUILLON", 100.0)}, creation=datetime(2022, 10, 12))
        return af_id


@pytest.fixture
def donnees(engine: Engine) -> Donnees:
    return Donnees(engine)
