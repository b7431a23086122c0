"""Known data for the export tests: the guide's worked example and two other structures, and a
way to run code as a logged-in user."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
from flask_login import login_user
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from etp.referentiel import region_of
from etp.schema import AnnexeFinanciere, EtatMensuel, Structure

H_EI, H_ACI = 1505.0, 1820.0
EXEMPLE = {3: 5.0, 4: 10.0, 5: 20.0, 6: 20.0, 7: 20.0, 8: 28.0}  # validated realised ETP
DATE_DONNEES = datetime(2022, 10, 12, 9, 30)


def _af(session: Session, af_id: int, numero: str, structure_id: int, c: float, **kw: Any) -> None:
    type_structure = kw.get("type_structure", "EI")
    departement = kw.get("departement", "35")
    debut, fin = kw.get("debut", date(2022, 1, 1)), kw.get("fin", date(2022, 12, 31))
    session.add(
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
            duree_heure_annuel_etp=kw.get("h", H_EI),
            montant_unitaire_annuel=kw.get("aide", 10_000.0),
            departement_code=departement,
            region_code=region_of(departement),
        )
    )


def _etats(session: Session, af_id: int, mois: dict[int, tuple[str, float]]) -> None:
    for m, (etat, heures) in mois.items():
        creation = DATE_DONNEES if m == 10 else datetime(2022, m, 28, 12)
        session.add(
            EtatMensuel(
                af_id=af_id,
                annee=2022,
                mois=m,
                heures=heures,
                etat=etat,
                nb_salaries=3,
                nb_lignes=3,
                derniere_creation=creation,
            )
        )


@pytest.fixture
def donnees(engine: Engine) -> None:
    """1 ``EI Exemple`` (35): the worked example; 2 ``Chantier Occitan`` (31): C = 41.5;
    3 ``Atelier Rennais`` (35): C = 6. Data date 12/10/2022."""
    with Session(engine) as s, s.begin():
        s.add(Structure(id=1, denomination="EI Exemple", siret="12345678900011"))
        s.add(Structure(id=2, denomination="Chantier Occitan", siret="98765432100022"))
        s.add(Structure(id=3, denomination="Atelier Rennais", siret="11122233300033"))
        _af(s, 101, "EI035220001", 1, 28.0, debut=date(2022, 3, 1))
        mois = {m: ("VALIDE", r * H_EI / 12) for m, r in EXEMPLE.items()}
        mois.update({9: ("SAISI", 2000.0), 10: ("BROUILLON", 100.0)})
        _etats(s, 101, mois)
        aci = {"h": H_ACI, "type_structure": "ACI", "aide": 22_000.0}
        _af(s, 102, "ACI031220002", 2, 41.5, departement="31", **aci)
        _etats(s, 102, {m: ("VALIDE", 43.25 * H_ACI / 12) for m in range(1, 9)})
        _af(s, 103, "ACI035220003", 3, 6.0, **aci)
        _etats(s, 103, {m: ("VALIDE", 6.0 * H_ACI / 12) for m in range(1, 9)})


@pytest.fixture
def users(donnees, make_user) -> dict[str, Any]:
    return {
        "siae": make_user("siae@test.fr", "siae", structures=[1]),
        "ddets": make_user("ddets@test.fr", "ddets", departement="35"),
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
