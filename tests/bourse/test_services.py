"""Requests and scenarios stored through etp.demandes / etp.scenarios, always scoped
(SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime

import pytest
from builders import Donnees

from etp import demandes, scenarios, selection
from etp.bourse import Ajustement
from etp.filters import Filtres
from etp.schema import AnnexeFinanciere
from etp.scope import Scope

QUAND = datetime(2022, 10, 20, 9, 30)
SIAE_1 = Scope.of_structures([1])  # EI Exemple, AF 1 (35)
SIAE_3 = Scope.of_structures([3])  # Atelier Rennais, AF 3 (35)
DDETS_35 = Scope.of_departements(["35"])
DDETS_31 = Scope.of_departements(["31"])


@pytest.fixture
def donnees(engine):
    Donnees(engine).trois_structures(af_ids=(1, 2, 3))
    return engine


def _cadre(engine, scope):
    s = selection.charger(engine, scope, Filtres(annee=2022))
    return s.annuel, s.as_of


def _envoyer(engine, scope, ajustement, cadre_scope=None, justification="Deux embauches prévues"):
    annuel, as_of = _cadre(engine, cadre_scope or scope)
    return demandes.envoyer(
        engine,
        scope,
        annuel,
        ajustement,
        justification,
        annee=2022,
        as_of=as_of,
        auteur="siae@x.test",
        quand=QUAND,
    )


def _af_inchangees(engine):
    with engine.connect() as conn:
        return sorted(
            conn.execute(
                AnnexeFinanciere.__table__.select().with_only_columns(
                    AnnexeFinanciere.id, AnnexeFinanciere.etp_postes_insertion
                )
            ).all()
        )


def test_siae_asks_on_its_own_af_and_funders_of_the_territory_see_it(donnees):
    avant = _af_inchangees(donnees)
    did = _envoyer(donnees, SIAE_1, Ajustement(1, 2.0, 11))
    assert [d.id for d in demandes.lister(donnees, SIAE_1)] == [did]
    d = demandes.lister(donnees, DDETS_35, annee=2022, etat=demandes.ENVOYEE)[0]
    assert (d.af_id, d.delta_etp, d.mois, d.etat_libelle) == (1, 2.0, 11, "envoyée")
    assert d.structure == "EI Exemple" and d.justification == "Deux embauches prévues"
    # never to another SIAE, nor to a funder of another département
    assert demandes.lister(donnees, SIAE_3) == []
    assert demandes.lister(donnees, DDETS_31) == []
    assert demandes.lire(donnees, DDETS_31, did) is None
    assert demandes.lire(donnees, Scope.nothing(), did) is None
    assert _af_inchangees(donnees) == avant  # the imported AF is untouched


def test_siae_cannot_ask_on_another_structure_af(donnees):
    with pytest.raises(demandes.DemandeRefusee, match="périmètre"):
        _envoyer(donnees, SIAE_1, Ajustement(3, 1.0, 11))
    # even with a frame forged from a wider scope, the SQL check refuses
    with pytest.raises(demandes.DemandeRefusee, match="périmètre"):
        _envoyer(donnees, SIAE_1, Ajustement(3, 1.0, 11), cadre_scope=DDETS_35)
    assert demandes.lister(donnees, DDETS_35) == []


@pytest.mark.parametrize(
    ("ajustement", "justification", "message"),
    [
        (Ajustement(1, 2.0, 10), "x", "déjà passé"),  # data up to October 2022
        (Ajustement(1, 0.0, 11), "x", "différent de 0"),
        (Ajustement(1, 2.0, 11), "   ", "justification"),
        (Ajustement(1, -40.0, 11), "x", "négatif"),
    ],
)
def test_refused_requests_say_why(donnees, ajustement, justification, message):
    with pytest.raises(demandes.DemandeRefusee, match=message):
        _envoyer(donnees, SIAE_1, ajustement, justification=justification)


def test_answer_in_scope_only_and_once(donnees):
    did = _envoyer(donnees, SIAE_1, Ajustement(1, 2.0, 11))
    with pytest.raises(demandes.DemandeRefusee, match="périmètre"):
        demandes.repondre(
            donnees, DDETS_31, did, accepter=True, message="", auteur="d31@x.test", quand=QUAND
        )
    with pytest.raises(demandes.DemandeRefusee, match="périmètre"):  # an SIAE cannot answer
        demandes.repondre(
            donnees, SIAE_3, did, accepter=True, message="", auteur="s3@x.test", quand=QUAND
        )
    with pytest.raises(demandes.DemandeRefusee, match="refus"):
        demandes.repondre(
            donnees, DDETS_35, did, accepter=False, message=" ", auteur="d@x.test", quand=QUAND
        )
    d = demandes.repondre(
        donnees, DDETS_35, did, accepter=True, message="Accordé", auteur="d@x.test", quand=QUAND
    )
    assert (d.etat_libelle, d.reponse, d.repondu_par) == ("acceptée", "Accordé", "d@x.test")
    assert demandes.lister(donnees, SIAE_1)[0].etat == demandes.ACCEPTEE
    with pytest.raises(demandes.DemandeRefusee, match="déjà été acceptée"):
        demandes.repondre(
            donnees, DDETS_35, did, accepter=False, message="Non", auteur="d@x.test", quand=QUAND
        )


def _sauver(engine, scope=DDETS_35, org=10, auteur="a@x.test", lignes=None, **kw):
    return scenarios.enregistrer(
        engine,
        scope,
        nom=kw.pop("nom", "Bourse 2022"),
        annee=2022,
        auteur=auteur,
        organisation_id=org,
        lignes=lignes if lignes is not None else [Ajustement(1, 2.0, 11), Ajustement(3, -1.0, 11)],
        quand=QUAND,
        **kw,
    )


def test_scenario_saved_reopened_and_shared_read_only_in_the_organisation(donnees):
    sid = _sauver(donnees)
    s = scenarios.ouvrir(donnees, [10], DDETS_35, sid)
    assert (s.nom, s.auteur, s.annee, s.cree_le) == ("Bourse 2022", "a@x.test", 2022, QUAND)
    assert s.lignes == (Ajustement(1, 2.0, 11), Ajustement(3, -1.0, 11))
    # a colleague of organisation 10 lists and opens it
    assert [x.id for x in scenarios.lister(donnees, [10, 99], annee=2022)] == [sid]
    assert scenarios.ouvrir(donnees, [10], DDETS_35, sid).lignes == s.lignes
    # ... but cannot change or delete it; a copy is theirs
    with pytest.raises(scenarios.ScenarioRefuse, match="auteur"):
        _sauver(donnees, auteur="b@x.test", scenario_id=sid, lignes=[])
    with pytest.raises(scenarios.ScenarioRefuse, match="auteur"):
        scenarios.supprimer(donnees, sid, auteur="b@x.test", organisation_id=10)
    copie = scenarios.dupliquer(
        donnees, [10], DDETS_35, sid, auteur="b@x.test", organisation_id=10, quand=QUAND
    )
    c = scenarios.ouvrir(donnees, [10], DDETS_35, copie)
    assert (c.nom, c.auteur, c.lignes) == ("Copie de Bourse 2022", "b@x.test", s.lignes)
    # the author replaces the lines, then deletes
    _sauver(donnees, scenario_id=sid, lignes=[Ajustement(1, 1.0, 12)], nom="Bourse v2")
    s2 = scenarios.ouvrir(donnees, [10], DDETS_35, sid)
    assert (s2.nom, s2.lignes) == ("Bourse v2", (Ajustement(1, 1.0, 12),))
    scenarios.supprimer(donnees, sid, auteur="a@x.test", organisation_id=10)
    assert scenarios.ouvrir(donnees, [10], DDETS_35, sid) is None
    assert [x.id for x in scenarios.lister(donnees, [10])] == [copie]


def test_another_organisation_cannot_open_a_scenario(donnees):
    sid = _sauver(donnees)
    assert scenarios.lister(donnees, [11]) == []
    assert scenarios.ouvrir(donnees, [11], DDETS_31, sid) is None
    assert scenarios.ouvrir(donnees, [], DDETS_35, sid) is None
    with pytest.raises(scenarios.ScenarioRefuse, match="partagé"):
        scenarios.dupliquer(
            donnees, [11], DDETS_31, sid, auteur="c@x.test", organisation_id=11, quand=QUAND
        )


def test_scenario_lines_outside_the_scope_refused(donnees):
    with pytest.raises(scenarios.ScenarioRefuse, match="hors de votre périmètre"):
        _sauver(donnees, lignes=[Ajustement(2, 1.0, 11)])  # AF 2 is in the 31
    with pytest.raises(scenarios.ScenarioRefuse, match="nom"):
        _sauver(donnees, nom="  ")
    assert scenarios.lister(donnees, [10]) == []
