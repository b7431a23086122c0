"""``etp.notes``: who reads and writes the notes de terrain, history, order, search."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from etp import notes
from etp.notes import Auteur, NoteIntrouvable, NoteInvalide
from etp.scope import Scope

DDETS_54 = Scope.of_departements(["54"])
DDETS_35 = Scope.of_departements(["35"])
SIAE_101 = Scope.of_structures([101])
MOI = Auteur(1, "Agent Meurthe", "DDETS 54 - Meurthe-et-Moselle")
COLLEGUE = Auteur(2, "Collègue", "DDETS 54 - Meurthe-et-Moselle")
QUAND = datetime(2022, 10, 10, 9, 30)


def _ajouter(engine, texte="Visite du chantier", jour=date(2022, 10, 3), scope=DDETS_54, **kw):
    return notes.ajouter(
        engine, scope, kw.get("auteur", MOI), kw.get("structure", 101), jour,
        kw.get("categorie", "visite"), texte, maintenant=kw.get("maintenant", QUAND),
    )  # fmt: skip


def test_un_financeur_ecrit_et_relit(scenario):
    note = _ajouter(scenario)
    lues = notes.lister(scenario, DDETS_54, 101)
    assert [n.id for n in lues] == [note.id]
    assert (lues[0].auteur_nom, lues[0].organisation) == (MOI.nom, MOI.organisation)
    assert lues[0].categorie_libelle == "Visite" and not lues[0].modifiee


@pytest.mark.parametrize(
    "scope",
    [
        DDETS_35,  # another département
        SIAE_101,  # the structure itself
        Scope.nothing(),
        Scope(structure_ids=frozenset({101, 102})),  # SIAE membership never opens notes
    ],
)
def test_hors_perimetre_ni_lecture_ni_ecriture(scenario, scope):
    note = _ajouter(scenario)
    assert notes.lister(scenario, scope, 101) == []
    with pytest.raises(NoteIntrouvable):
        _ajouter(scenario, scope=scope)
    with pytest.raises(NoteIntrouvable):
        notes.lire(scenario, scope, note.id)
    with pytest.raises(NoteIntrouvable):
        notes.historique(scenario, scope, note.id)
    with pytest.raises(NoteIntrouvable):
        notes.modifier(scenario, scope, MOI, note.id, date(2022, 10, 3), "visite", "piraté")
    assert notes.lister(scenario, DDETS_54, 101)[0].texte == "Visite du chantier"


@pytest.mark.parametrize("forge", [999_999, "abc", None, True, 2**40, -1, "1 OR 1=1", [1]])
def test_ids_forges_meme_reponse_qu_inconnu(scenario, forge):
    assert notes.lister(scenario, DDETS_54, forge) == []
    with pytest.raises(NoteIntrouvable):
        notes.lire(scenario, DDETS_54, forge)
    with pytest.raises(NoteIntrouvable):
        _ajouter(scenario, structure=forge)


def test_seul_l_auteur_modifie_et_l_historique_est_garde(scenario):
    note = _ajouter(scenario)
    with pytest.raises(NoteIntrouvable):
        notes.modifier(scenario, DDETS_54, COLLEGUE, note.id, date(2022, 10, 3), "visite", "x")
    plus_tard = datetime(2022, 10, 12, 14, 0)
    modifiee = notes.modifier(
        scenario, DDETS_54, MOI, note.id, date(2022, 10, 4), "difficulte", "Retards de paie",
        maintenant=plus_tard,
    )  # fmt: skip
    assert modifiee.version == 2 and modifiee.modifiee and modifiee.modifie_le == plus_tard
    assert modifiee.cree_le == QUAND
    versions = notes.historique(scenario, DDETS_54, note.id)
    assert [(v.version, v.texte, v.categorie) for v in versions] == [
        (2, "Retards de paie", "difficulte"),
        (1, "Visite du chantier", "visite"),
    ]
    # the same text again is not a new version
    notes.modifier(
        scenario, DDETS_54, MOI, note.id, date(2022, 10, 4), "difficulte", "Retards de paie"
    )
    assert len(notes.historique(scenario, DDETS_54, note.id)) == 2


def test_un_collegue_du_perimetre_lit_sans_modifier(scenario):
    note = _ajouter(scenario)
    dreets = Scope.of_region("44")  # Grand Est covers the Meurthe-et-Moselle
    assert [n.id for n in notes.lister(scenario, dreets, 101)] == [note.id]
    assert [n.id for n in notes.lister(scenario, Scope.everything(), 101)] == [note.id]
    with pytest.raises(NoteIntrouvable):
        notes.modifier(scenario, dreets, COLLEGUE, note.id, date(2022, 10, 3), "visite", "x")


def test_plus_recentes_d_abord_et_recherche(scenario):
    vieille = _ajouter(scenario, "Contexte : reprise de l'atelier", jour=date(2022, 1, 5))
    recente = _ajouter(scenario, "Difficulté de recrutement", jour=date(2022, 9, 1))
    meme_jour = _ajouter(
        scenario, "Visite : ÉQUIPE au complet", jour=date(2022, 9, 1),
        maintenant=datetime(2022, 10, 11),
    )  # fmt: skip
    assert [n.id for n in notes.lister(scenario, DDETS_54, 101)] == [
        meme_jour.id,
        recente.id,
        vieille.id,
    ]
    # case and accents ignored
    assert [n.id for n in notes.lister(scenario, DDETS_54, 101, "difficulte")] == [recente.id]
    assert [n.id for n in notes.lister(scenario, DDETS_54, 101, "équipe")] == [meme_jour.id]
    assert notes.lister(scenario, DDETS_54, 101, "inexistant") == []
    assert notes.lister(scenario, DDETS_54, 102) == []  # notes belong to one structure


@pytest.mark.parametrize(
    ("jour", "categorie", "texte"),
    [
        (date(2022, 10, 11), "visite", "demain"),  # after "now" (10/10/2022)
        ("pas une date", "visite", "x"),
        (date(2022, 10, 3), "rumeur", "x"),
        (date(2022, 10, 3), "visite", "   "),
        (date(2022, 10, 3), "visite", "x" * (notes.TEXTE_MAX + 1)),
    ],
)
def test_note_invalide_refusee_en_francais(scenario, jour, categorie, texte):
    with pytest.raises(NoteInvalide) as exc:
        _ajouter(scenario, texte, jour=jour, categorie=categorie)
    assert str(exc.value)[0].isupper()
    assert notes.lister(scenario, DDETS_54, 101) == []
