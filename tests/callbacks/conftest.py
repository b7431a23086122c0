"""Fixtures of the dashboard callback tests: known data written through ``etp.schema`` and a
way to run a callback as the logged-in user of a request."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
from flask_login import login_user
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from etp.referentiel import region_of
from etp.schema import AnnexeFinanciere, EtatMensuel, Structure

H_EI = 1505.0
#: The guide's worked example (domain.md §4): realised ETP of the validated months of 2022.
EXEMPLE_REALISE = {3: 5.0, 4: 10.0, 5: 20.0, 6: 20.0, 7: 20.0, 8: 28.0}


class Donnees:
    """Structures, AFs and monthly states, inserted directly."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._ids = itertools.count(1000)

    def structure(self, id: int, nom: str, siret: str) -> None:
        with Session(self.engine) as s, s.begin():
            s.add(Structure(id=id, denomination=nom, siret=siret))

    def af(
        self,
        numero: str,
        structure_id: int,
        debut: date,
        fin: date,
        c: float,
        *,
        h: float = H_EI,
        type_structure: str = "EI",
        departement: str = "35",
        aide: float = 10_000.0,
    ) -> int:
        af_id = next(self._ids)
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
                    etat="VALIDE",
                    compte=True,
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


@pytest.fixture
def monde(engine: Engine) -> Donnees:
    """Three structures:

    1. ``EI Exemple`` (35): the guide's worked example in 2022, and a full 2021 AF;
    2. ``Chantier Occitan`` (31, Occitanie): an ACI with distinctive figures (C = 41.5);
    3. ``Atelier Rennais`` (35): an ACI, to check a DDETS 35 sees several structures.
    Data date: 12/10/2022.
    """
    d = Donnees(engine)
    d.structure(1, "EI Exemple", "12345678900011")
    d.structure(2, "Chantier Occitan", "98765432100022")
    d.structure(3, "Atelier Rennais", "11122233300033")
    ex = d.af("EI035220001", 1, date(2022, 3, 1), date(2022, 12, 31), 28.0)
    mois = {m: ("VALIDE", r * H_EI / 12) for m, r in EXEMPLE_REALISE.items()}
    mois[9] = ("SAISI", 2000.0)
    d.etats(ex, 2022, mois)
    d.etats(ex, 2022, {10: ("BROUILLON", 100.0)}, creation=datetime(2022, 10, 12))
    ex21 = d.af("EI035210001", 1, date(2021, 1, 1), date(2021, 12, 31), 12.0)
    d.etats(ex21, 2021, {m: ("VALIDE", 12.0 * H_EI / 12) for m in range(1, 13)})
    occ = d.af(
        "ACI031220002",
        2,
        date(2022, 1, 1),
        date(2022, 12, 31),
        41.5,
        h=1820.0,
        type_structure="ACI",
        departement="31",
        aide=22_000.0,
    )
    d.etats(occ, 2022, {m: ("VALIDE", 43.25 * 1820.0 / 12) for m in range(1, 9)})
    ren = d.af(
        "ACI035220003",
        3,
        date(2022, 1, 1),
        date(2022, 12, 31),
        6.0,
        h=1820.0,
        type_structure="ACI",
        departement="35",
        aide=22_000.0,
    )
    d.etats(ren, 2022, {m: ("VALIDE", 6.0 * 1820.0 / 12) for m in range(1, 9)})
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


@pytest.fixture
def en_tant_que(app):
    """``with en_tant_que(user): ...`` runs code in a request where ``user`` is logged in."""

    @contextlib.contextmanager
    def _ctx(user) -> Iterator[None]:
        with app.server.test_request_context("/"):
            login_user(user)
            yield

    return _ctx
