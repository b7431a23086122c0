"""Every demo account sees every use case (issue 11, point 3), read as the account reads it.

The demo is loaded for real (``etp.demo.loader``), the demo accounts are created
(``auth.demo``), and each account's scope is resolved from its organisations
(``auth.scope.scope_for_user``). Through the service layer (``etp.pilotage.charger``) and the
catalogue's functions (the statut, the gap, the short AFs, the late AFs), each funders' account
must find, in every year of its Année filter: an AF shorter than 12 months, a clearly
over-consuming, a clearly under-consuming and a conforme AF, an amended one; and a late
declarant in the year of the data. The SIAE account (two structures) must find over- and
under-consumption in the current year, a conforme year, a short AF, an amendment and a late
declaration of its own.
"""

from __future__ import annotations

from datetime import date

import pytest

from auth.demo import create_demo_accounts, demo_accounts
from auth.identity import load_by_email
from auth.scope import scope_for_user
from etp import pilotage, queries
from etp.catalogue import indicateur
from etp.demo import DEMO_SIAE_STRUCTURE_IDS
from etp.demo.loader import load_demo
from etp.demo.model import DemoConfig
from etp.filters import Filtres
from etp.scope import Scope

#: "Clearly" over or under: at least 5 % between the monthly average and the conventioned ETP.
NET = 0.05
#: The default demo (``suivi-etp demo``: 150 structures) and the browser tests' (40), both on
#: the browser tests' reference date.
CONFIGS = {
    "defaut": DemoConfig(today=date(2026, 11, 5)),
    "e2e": DemoConfig(today=date(2026, 11, 5), structures=40),
}


def _cas(donnees: pilotage.DonneesPilotage) -> set[str]:
    """The use cases one year of one scope shows, each read through the catalogue."""
    annuel = donnees.annuel
    cas: set[str] = set()
    if indicateur("courtes.nb_af").calcul()(annuel).nb_af > 0:
        cas.add("annexe de moins de 12 mois")
    totaux = indicateur("statut_consommation").calcul()
    assert indicateur("ecart.pct").calcul() is totaux
    for _, af in annuel.groupby("id_annexe_financiere"):
        t = totaux(af)
        if t.statut == "conforme":
            cas.add("conforme")
        elif t.statut == "sur-consommation" and t.ecart_pct >= NET:
            cas.add("sur-consommation nette")
        elif t.statut == "sous-consommation" and t.ecart_pct <= -NET:
            cas.add("sous-consommation nette")
    if (~annuel["version"].str.endswith("M0")).any():  # A<n>M<k>: k amendments
        cas.add("avenant")
    en_retard = indicateur("financeur.nb_af_en_retard").calcul()
    if not en_retard(donnees.mensuel, annuel, donnees.annee, donnees.as_of).empty:
        cas.add("retard de déclaration")
    return cas


STATUTS = {"conforme", "sur-consommation nette", "sous-consommation nette"}
PAR_ANNEE = STATUTS | {"annexe de moins de 12 mois", "avenant"}


@pytest.mark.parametrize("nom", sorted(CONFIGS))
def test_every_demo_account_sees_every_use_case(engine, tmp_path, nom):
    config = CONFIGS[nom]
    load_demo(engine, config)
    create_demo_accounts(
        engine, password=None, siae_structure_ids=DEMO_SIAE_STRUCTURE_IDS, instance_dir=tmp_path
    )
    as_of = queries.as_of_par_defaut(engine)
    assert as_of == (2026, 11)
    manques: list[str] = []
    for email, _, organisation in demo_accounts(DEMO_SIAE_STRUCTURE_IDS):
        if organisation is None:
            continue  # the administrator sees no data
        scope = scope_for_user(load_by_email(engine, email))
        annees = queries.annees_disponibles(engine, scope)
        assert annees == list(config.annees), email
        vus: dict[int, set[str]] = {
            annee: _cas(pilotage.charger(engine, scope, Filtres(annee=annee))) for annee in annees
        }
        courante = as_of[0]
        if organisation.kind == "siae":
            attendus = {
                courante: {"sur-consommation nette", "sous-consommation nette"},
                None: {"conforme", "annexe de moins de 12 mois", "avenant"},
            }
            attendus[courante] |= {"retard de déclaration"}
        else:
            attendus = {annee: set(PAR_ANNEE) for annee in annees}
            attendus[courante] = attendus[courante] | {"retard de déclaration"}
        for annee, cas in attendus.items():
            trouves = set().union(*vus.values()) if annee is None else vus[annee]
            for manque in sorted(cas - trouves):
                manques.append(f"{email} {annee or 'une des années'} : {manque}")
    assert not manques, "\n".join(manques)

    # The SIAE's late declarant: its three months before the data month are not validated
    # (saisi, brouillon, non saisi): late by 3 months this year, never in the previous one.
    siae = Scope.of_structures([DEMO_SIAE_STRUCTURE_IDS[0]])
    donnees = pilotage.charger(engine, siae, Filtres(annee=2026))
    assert list(donnees.afs_en_retard()["mois_en_retard"]) == [3]
    etats = donnees.mensuel.set_index("mois")["etat"]
    assert [etats[m] for m in (7, 8, 9, 10)] == ["VALIDE", "SAISI", "BROUILLON", None]
    assert pilotage.charger(engine, siae, Filtres(annee=2025)).afs_en_retard().empty
