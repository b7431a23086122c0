"""Bourse aux postes: the funders' saved scenarios (name, author, organisation, date, lines).

A scenario belongs to its author's organisation: the colleagues of that organisation list and
open it read-only; only its author changes or deletes it; anyone who may open it may duplicate
it (the copy is theirs). Lines are kept only on AFs of the saver's scope (checked in SQL with
:meth:`Scope.af_condition`); the figures are checked by :func:`etp.bourse.effets` before. Nothing
here changes the imported data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, insert, select, update

from etp.bourse import Ajustement
from etp.schema import AnnexeFinanciere, LigneScenario, Scenario
from etp.scope import Scope

NOM_MAX = 120


class ScenarioRefuse(ValueError):
    """A refused operation; ``str()`` is the French message shown to the user."""


@dataclass(frozen=True)
class ScenarioEnregistre:
    id: int
    nom: str
    annee: int
    auteur: str
    organisation_id: int
    cree_le: datetime
    modifie_le: datetime
    lignes: tuple[Ajustement, ...] = ()


def _nom(nom: str) -> str:
    texte = (nom or "").strip()
    if not texte:
        raise ScenarioRefuse("Donnez un nom au scénario.")
    if len(texte) > NOM_MAX:
        raise ScenarioRefuse(f"Le nom du scénario dépasse {NOM_MAX} caractères.")
    return texte


def _verifier_perimetre(conn, scope: Scope, lignes: list[Ajustement]) -> None:
    ids = sorted({int(a.af_id) for a in lignes})
    if not ids:
        return
    trouves = set(
        conn.scalars(
            select(AnnexeFinanciere.id).where(AnnexeFinanciere.id.in_(ids), scope.af_condition())
        )
    )
    if set(ids) - trouves:
        raise ScenarioRefuse("Le scénario contient une annexe financière hors de votre périmètre.")


def _ecrire_lignes(conn, scenario_id: int, lignes: list[Ajustement]) -> None:
    conn.execute(delete(LigneScenario).where(LigneScenario.scenario_id == scenario_id))
    if lignes:
        conn.execute(
            insert(LigneScenario),
            [
                {
                    "scenario_id": scenario_id,
                    "af_id": int(a.af_id),
                    "delta_etp": float(a.delta_etp),
                    "mois": int(a.mois),
                }
                for a in lignes
            ],
        )


def enregistrer(
    engine: Engine,
    scope: Scope,
    *,
    nom: str,
    annee: int,
    auteur: str,
    organisation_id: int,
    lignes: Iterable[Ajustement],
    quand: datetime,
    scenario_id: int | None = None,
) -> int:
    """Create a scenario (``scenario_id=None``) or replace the lines of one of the author's
    own; returns its id. Zero adjustments are not kept."""
    texte = _nom(nom)
    garder = [a for a in lignes if a.delta_etp != 0]
    with engine.begin() as conn:
        _verifier_perimetre(conn, scope, garder)
        if scenario_id is None:
            result = conn.execute(
                insert(Scenario).values(
                    nom=texte,
                    annee=int(annee),
                    auteur=auteur,
                    organisation_id=int(organisation_id),
                    cree_le=quand,
                    modifie_le=quand,
                )
            )
            sid = int(result.inserted_primary_key[0])
        else:
            sid = int(scenario_id)
            faite = conn.execute(
                update(Scenario)
                .where(
                    Scenario.id == sid,
                    Scenario.auteur == auteur,
                    Scenario.organisation_id == int(organisation_id),
                )
                .values(nom=texte, modifie_le=quand)
            ).rowcount
            if not faite:
                raise ScenarioRefuse(
                    "Seul l'auteur d'un scénario peut le modifier ; dupliquez-le pour le changer."
                )
        _ecrire_lignes(conn, sid, garder)
    return sid


def poser_ligne(
    conn: Connection,
    scenario_id: int,
    ajustement: Ajustement,
    *,
    auteur: str,
    organisation_id: int,
    quand: datetime,
) -> None:
    """Put ``ajustement`` into one of the author's own scenarios, in the caller's transaction
    (an accepted request): it replaces the line the scenario had on that AF, one per AF. The
    AF's scope and figures are the caller's to check."""
    faite = conn.execute(
        update(Scenario)
        .where(
            Scenario.id == int(scenario_id),
            Scenario.auteur == auteur,
            Scenario.organisation_id == int(organisation_id),
        )
        .values(modifie_le=quand)
    ).rowcount
    if not faite:
        raise ScenarioRefuse(
            "Seul l'auteur d'un scénario peut y reprendre une demande ; dupliquez-le d'abord."
        )
    conn.execute(
        delete(LigneScenario).where(
            LigneScenario.scenario_id == int(scenario_id),
            LigneScenario.af_id == int(ajustement.af_id),
        )
    )
    if ajustement.delta_etp != 0:
        conn.execute(
            insert(LigneScenario).values(
                scenario_id=int(scenario_id),
                af_id=int(ajustement.af_id),
                delta_etp=float(ajustement.delta_etp),
                mois=int(ajustement.mois),
            )
        )


def lister(engine: Engine, organisation_ids: Iterable[int], annee: int | None = None):
    """The scenarios of these organisations (newest first), without their lines."""
    ids = sorted({int(i) for i in organisation_ids})
    if not ids:
        return []
    q = select(Scenario).where(Scenario.organisation_id.in_(ids))
    if annee is not None:
        q = q.where(Scenario.annee == int(annee))
    q = q.order_by(Scenario.modifie_le.desc(), Scenario.id.desc())
    with engine.connect() as conn:
        return [
            ScenarioEnregistre(
                r.id, r.nom, r.annee, r.auteur, r.organisation_id, r.cree_le, r.modifie_le
            )
            for r in conn.execute(q)
        ]


def ouvrir(
    engine: Engine, organisation_ids: Iterable[int], scope: Scope, scenario_id: int
) -> ScenarioEnregistre | None:
    """A scenario of one of these organisations with its lines on AFs of ``scope``; ``None``
    when unknown or of another organisation (the two are not told apart)."""
    ids = sorted({int(i) for i in organisation_ids})
    if not ids:
        return None
    with engine.connect() as conn:
        r = conn.execute(
            select(Scenario).where(
                Scenario.id == int(scenario_id), Scenario.organisation_id.in_(ids)
            )
        ).first()
        if r is None:
            return None
        lignes = conn.execute(
            select(LigneScenario.af_id, LigneScenario.delta_etp, LigneScenario.mois)
            .join(AnnexeFinanciere, AnnexeFinanciere.id == LigneScenario.af_id)
            .where(LigneScenario.scenario_id == r.id, scope.af_condition())
            .order_by(LigneScenario.id)
        ).all()
    return ScenarioEnregistre(
        r.id,
        r.nom,
        r.annee,
        r.auteur,
        r.organisation_id,
        r.cree_le,
        r.modifie_le,
        tuple(Ajustement(int(a), float(d), int(m)) for a, d, m in lignes),
    )


def dupliquer(
    engine: Engine,
    organisation_ids: Iterable[int],
    scope: Scope,
    scenario_id: int,
    *,
    auteur: str,
    organisation_id: int,
    quand: datetime,
) -> int:
    """A copy, owned by ``auteur``, of a scenario they may open; returns the copy's id."""
    source = ouvrir(engine, organisation_ids, scope, scenario_id)
    if source is None:
        raise ScenarioRefuse("Ce scénario n'existe pas ou n'est pas partagé avec vous.")
    nom = f"Copie de {source.nom}"[:NOM_MAX]
    return enregistrer(
        engine,
        scope,
        nom=nom,
        annee=source.annee,
        auteur=auteur,
        organisation_id=organisation_id,
        lignes=source.lignes,
        quand=quand,
    )


def supprimer(engine: Engine, scenario_id: int, *, auteur: str, organisation_id: int) -> None:
    """Delete one of the author's own scenarios (and its lines)."""
    with engine.begin() as conn:
        r = conn.execute(
            select(Scenario.id).where(
                Scenario.id == int(scenario_id),
                Scenario.auteur == auteur,
                Scenario.organisation_id == int(organisation_id),
            )
        ).first()
        if r is None:
            raise ScenarioRefuse("Seul l'auteur d'un scénario peut le supprimer.")
        conn.execute(delete(LigneScenario).where(LigneScenario.scenario_id == r.id))
        conn.execute(delete(Scenario).where(Scenario.id == r.id))
