"""Known data for the tests, inserted straight through the ``etp.schema`` models.

One place builds the rows every folder needs (``AnnexeFinanciere``, ``EtatMensuel``,
``Structure``), so a new column of the schema is added once, and the guide's worked example
(domain.md §4) is written the same way wherever a test relies on it.

Why models rather than fluxIAE files: these tests check indicators, callbacks and exports on
figures chosen by hand (realised ETP per month, état, data date); going through the importer
would test the importer again and hide those figures behind derived columns. The importer has
its own tests (tests/fluxiae).

- :func:`annexe_financiere` and :func:`etat_mensuel`: one row each, every column explicit;
  :func:`inserer` writes them (and packs the monthly states for reading, as the import does).
- :class:`Donnees`: writes structures, AFs and monthly states in a test database, with the
  worked example (:meth:`Donnees.exemple`) and the three-structure world of the dashboard and
  export tests (:meth:`Donnees.trois_structures`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from etp import etats_annee
from etp.referentiel import region_of
from etp.schema import AnnexeFinanciere, EtatMensuel, Structure

H_EI = 1505.0
H_ACI = 1820.0
#: The guide's worked example (domain.md §4): realised ETP of the validated months of 2022.
EXEMPLE_REALISE = {3: 5.0, 4: 10.0, 5: 20.0, 6: 20.0, 7: 20.0, 8: 28.0}
EXEMPLE_H = H_EI
EXEMPLE_C = 28.0
EXEMPLE_AIDE = 10_000.0
#: Data date of the worked example: the October 2022 draft was created that day.
EXEMPLE_DATE_DONNEES = datetime(2022, 10, 12)


def annexe_financiere(
    af_id: int,
    *,
    numero: str,
    structure_id: int,
    debut: date,
    fin: date,
    c: float | None,
    h: float | None,
    aide: float | None,
    type_structure: str,
    departement: str,
    compte: bool = True,
    etat: str = "VALIDE",
    numero_avenant_renouvellement: int = 0,
    numero_avenant_modification: int = 1,
) -> AnnexeFinanciere:
    """An AF row as the importer would store it: the years, the measure code and the région
    follow from the other fields, so a test states only what its figures depend on."""
    return AnnexeFinanciere(
        id=af_id,
        id_avenant_modification=af_id * 10,
        numero=numero,
        numero_avenant_renouvellement=numero_avenant_renouvellement,
        numero_avenant_modification=numero_avenant_modification,
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


def etat_mensuel(
    af_id: int, annee: int, mois: int, etat: str, heures: float, *, creation: datetime
) -> EtatMensuel:
    """The monthly state of an AF: ``heures`` worked in month ``mois``, 3 employees."""
    return EtatMensuel(
        af_id=af_id,
        annee=annee,
        mois=mois,
        heures=heures,
        etat=etat,
        nb_salaries=3,
        nb_lignes=3,
        etats_discordants=False,
        derniere_creation=creation,
    )


def _fin_de_mois(annee: int, mois: int) -> datetime:
    return datetime(annee, mois, 28, 12)


def inserer(engine: Engine, rows: Iterable[object]) -> None:
    """Insert model instances in one transaction; monthly states are also packed for reading
    (``etats_annee``), as the EMI import does in its transaction."""
    rows = list(rows)
    with Session(engine) as s, s.begin():
        s.add_all(rows)
        s.flush()
        af_ids = {r.af_id for r in rows if isinstance(r, EtatMensuel)}
        if af_ids:
            etats_annee.reconstruire(s.connection(), af_ids)


class Donnees:
    """Writes structures, AFs and monthly states in a test database, one transaction a call.

    AF ids are given or drawn from 1000 upwards (skipping ids already used), so a test can
    refer to an AF by the id it chose or by the one returned.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._used: set[int] = set()
        self._next = 1000

    def _id(self, wanted: int | None) -> int:
        if wanted is None:
            while self._next in self._used:
                self._next += 1
            wanted = self._next
        self._used.add(wanted)
        return wanted

    def ajouter(self, rows: Iterable[object]) -> None:
        """Insert model instances built elsewhere (e.g. by :func:`annexe_financiere`)."""
        inserer(self.engine, rows)

    def structure(self, id: int, denomination: str = "Structure", siret: str | None = None) -> int:
        self.ajouter([Structure(id=id, denomination=denomination, siret=siret)])
        return id

    def af(
        self,
        *,
        numero: str = "EI035220001",
        structure_id: int = 1,
        debut: date = date(2022, 1, 1),
        fin: date = date(2022, 12, 31),
        c: float | None = 10.0,
        h: float | None = H_EI,
        aide: float | None = 10_000.0,
        type_structure: str = "EI",
        departement: str = "35",
        compte: bool = True,
        etat: str = "VALIDE",
        id: int | None = None,
    ) -> int:
        """Insert a counted, validated AF (by default: EI 35, 2022, C 10, H 1505); its id."""
        af_id = self._id(id)
        self.ajouter(
            [
                annexe_financiere(
                    af_id,
                    numero=numero,
                    structure_id=structure_id,
                    debut=debut,
                    fin=fin,
                    c=c,
                    h=h,
                    aide=aide,
                    type_structure=type_structure,
                    departement=departement,
                    compte=compte,
                    etat=etat,
                )
            ]
        )
        return af_id

    def etats(
        self,
        af_id: int,
        annee: int,
        mois: dict[int, tuple[str, float]],
        creation: datetime | None = None,
    ) -> None:
        """``mois``: month -> (état, hours). Each state was created on the 28th of its month
        at noon unless ``creation`` is given."""
        self.ajouter(
            etat_mensuel(
                af_id, annee, m, etat, heures, creation=creation or datetime(annee, m, 28, 12)
            )
            for m, (etat, heures) in mois.items()
        )

    def exemple(
        self,
        *,
        structure_id: int = 1,
        denomination: str = "EI 1",
        siret: str = "12345678900011",
        af_id: int | None = 1,
        date_donnees: datetime = EXEMPLE_DATE_DONNEES,
    ) -> int:
        """EI 1 of the guide: 01/03–31/12/2022, C 28, H 1505, aid 10 000 €; March–August
        validated (:data:`EXEMPLE_REALISE`), September entered but not validated, an October
        draft created on ``date_donnees`` (the data date). Returns the AF id."""
        self.structure(structure_id, denomination, siret)
        ex = self.af(
            numero="EI035220001",
            structure_id=structure_id,
            debut=date(2022, 3, 1),
            fin=date(2022, 12, 31),
            c=EXEMPLE_C,
            h=EXEMPLE_H,
            aide=EXEMPLE_AIDE,
            id=af_id,
        )
        mois = {m: ("VALIDE", r * EXEMPLE_H / 12) for m, r in EXEMPLE_REALISE.items()}
        mois[9] = ("SAISI", 2000.0)
        self.etats(ex, 2022, mois)
        self.etats(ex, 2022, {10: ("BROUILLON", 100.0)}, creation=date_donnees)
        return ex

    def trois_structures(
        self,
        *,
        af_ids: tuple[int, int, int],
        af_2021_id: int | None = None,
        date_donnees: datetime = EXEMPLE_DATE_DONNEES,
    ) -> None:
        """Three structures, as the dashboard and export tests see them (data date in
        October 2022):

        1. ``EI Exemple`` (35): the worked example (AF ``af_ids[0]``), and with
           ``af_2021_id`` a full 2021 AF (C 12, every month validated at 12 ETP);
        2. ``Chantier Occitan`` (31, Occitanie): an ACI with distinctive figures (C 41.5,
           January–August validated at 43.25 ETP; AF ``af_ids[1]``);
        3. ``Atelier Rennais`` (35): an ACI (C 6, January–August at 6 ETP; AF ``af_ids[2]``),
           so that a DDETS 35 sees several structures.
        """
        exemple_id, occitan_id, rennais_id = af_ids
        self.exemple(denomination="EI Exemple", af_id=exemple_id, date_donnees=date_donnees)
        self.structure(2, "Chantier Occitan", "98765432100022")
        self.structure(3, "Atelier Rennais", "11122233300033")
        if af_2021_id is not None:
            ex21 = self.af(
                numero="EI035210001",
                structure_id=1,
                debut=date(2021, 1, 1),
                fin=date(2021, 12, 31),
                c=12.0,
                id=af_2021_id,
            )
            self.etats(ex21, 2021, {m: ("VALIDE", 12.0 * H_EI / 12) for m in range(1, 13)})
        aci = {"h": H_ACI, "type_structure": "ACI", "aide": 22_000.0}
        occ = self.af(
            numero="ACI031220002", structure_id=2, c=41.5, departement="31", id=occitan_id, **aci
        )
        self.etats(occ, 2022, {m: ("VALIDE", 43.25 * H_ACI / 12) for m in range(1, 9)})
        ren = self.af(numero="ACI035220003", structure_id=3, c=6.0, id=rennais_id, **aci)
        self.etats(ren, 2022, {m: ("VALIDE", 6.0 * H_ACI / 12) for m in range(1, 9)})
