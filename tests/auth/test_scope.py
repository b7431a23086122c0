"""For each role, the Scope resolved from a real login is what domain.md §5 says, and it
selects exactly those AFs in SQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from auth.scope import current_scope, describe_current_user, scope_for_user
from etp import referentiel
from etp.schema import AnnexeFinanciere, Structure

OCCITANIE = "76"


@pytest.fixture
def afs(engine, make_af):
    """AFs in 35 (Bretagne), 31 and 34 (Occitanie), 75 (Île-de-France), two per structure."""
    rows = [(1, 101, "35"), (2, 102, "35"), (3, 201, "31"), (4, 202, "34"), (5, 301, "75")]
    with Session(engine) as session, session.begin():
        session.add_all(make_af(*row) for row in rows)
        session.add(Structure(id=101, denomination="Jardins de Rennes"))
        session.add(Structure(id=201, denomination="Recyclerie du Capitole"))
    return rows


def _scope_after_login(client, login, email):
    assert login(client, email).status_code == 302
    with client:
        client.get("/connexion")
        return current_scope(), describe_current_user()


def _visible_afs(engine, scope) -> set[int]:
    with Session(engine) as session:
        query = select(AnnexeFinanciere.id).where(scope.af_condition())
        return set(session.scalars(query))


def test_siae_member_sees_the_afs_of_all_its_structures(client, login, make_user, engine, afs):
    make_user("siae@x.test", "siae", structures=[101, 201], nom="Claire")
    scope, who = _scope_after_login(client, login, "siae@x.test")
    assert scope.structure_ids == {101, 201} and not scope.departements and not scope.national
    assert scope.label == "SIAE Jardins de Rennes / Recyclerie du Capitole"
    assert _visible_afs(engine, scope) == {1, 3}
    assert who["nom"] == "Claire" and who["organisations"] == [scope.label]


@pytest.mark.parametrize(("role", "label"), [("ddets", "DDETS"), ("cd", "CD")])
def test_departement_roles_see_their_own(client, login, make_user, engine, afs, role, label):
    make_user("dep@x.test", role, departement="035")
    scope, _ = _scope_after_login(client, login, "dep@x.test")
    assert scope.departements == {"35"} and not scope.structure_ids and not scope.national
    assert scope.label == f"{label} 35 - Ille-et-Vilaine"
    assert _visible_afs(engine, scope) == {1, 2}


def test_dreets_sees_every_departement_of_its_region(client, login, make_user, engine, afs):
    make_user("dreets@x.test", "dreets", region="Occitanie")
    scope, _ = _scope_after_login(client, login, "dreets@x.test")
    expected = {c for c, (_, reg) in referentiel.departements().items() if reg == OCCITANIE}
    assert scope.departements == expected and len(expected) == 13
    assert scope.label == "DREETS Occitanie"
    assert _visible_afs(engine, scope) == {3, 4}


def test_dgefp_sees_everything(client, login, make_user, engine, afs):
    make_user("dgefp@x.test", "dgefp")
    scope, _ = _scope_after_login(client, login, "dgefp@x.test")
    assert scope.national and scope.label == "DGEFP - national"
    assert _visible_afs(engine, scope) == {1, 2, 3, 4, 5}


def test_admin_flag_alone_gives_no_data(client, login, make_user, engine, afs):
    make_user("admin@x.test", admin=True)
    scope, who = _scope_after_login(client, login, "admin@x.test")
    assert scope.is_empty() and _visible_afs(engine, scope) == set()
    assert who["is_admin"] is True and who["organisations"] == []


def test_scope_is_the_union_of_the_users_organisations(engine, make_user, afs):
    from auth import accounts
    from auth.identity import load_by_email

    make_user("deux@x.test", "ddets", departement="35")
    with Session(engine) as session, session.begin():
        user = accounts.require_user(session, "deux@x.test")
        ref = accounts.resolve_organisation("siae", structures=[301])
        accounts.add_membership(session, user, accounts.find_or_create_organisation(session, ref))
    scope = scope_for_user(load_by_email(engine, "deux@x.test"))
    assert scope.departements == {"35"} and scope.structure_ids == {301}
    assert _visible_afs(engine, scope) == {1, 2, 5}
    assert scope.label == "DDETS 35 - Ille-et-Vilaine, SIAE structure 301"


def test_anonymous_and_disabled_users_get_nothing(app, engine, make_user):
    from auth.identity import load_by_email

    make_user("off@x.test", "dgefp", actif=False)
    assert scope_for_user(load_by_email(engine, "off@x.test")).is_empty()
    assert scope_for_user(None).is_empty()
    with app.server.test_request_context("/"):
        assert current_scope().is_empty()
        assert describe_current_user()["authenticated"] is False


def test_scope_is_resolved_per_request_not_shared_between_users(app, login, make_user, afs):
    make_user("a@x.test", "ddets", departement="35")
    make_user("b@x.test", "cd", departement="31")
    first, second = app.server.test_client(), app.server.test_client()
    scope_a, _ = _scope_after_login(first, login, "a@x.test")
    scope_b, _ = _scope_after_login(second, login, "b@x.test")
    assert scope_a.departements == {"35"} and scope_b.departements == {"31"}
