"""The user loaded on every request (``load_by_session_id``) is the account as the ORM reads it,
and reads the database afresh: what an administrator changes holds from the next request."""

from __future__ import annotations

from sqlalchemy.orm import Session

from auth import accounts
from auth.identity import AuthUser, load_by_email, load_by_session_id
from auth.models import User
from etp.schema import Structure


def test_per_request_load_is_the_full_load(engine, make_user, make_af):
    with Session(engine) as session, session.begin():
        session.add(Structure(id=7, denomination="Jardins du Lac"))
    user = make_user("siae@test.fr", "siae", structures=[7, 99], nom="Camille")
    with Session(engine) as session, session.begin():
        compte = session.get(User, user.id)
        ref = accounts.resolve_organisation("ddets", departement="35")
        accounts.add_membership(session, compte, accounts.find_or_create_organisation(session, ref))
    with Session(engine) as session:  # the same account read through the ORM's relationships
        compte = session.get(User, user.id)
        attendu = AuthUser(
            id=compte.id,
            email=compte.email,
            nom=compte.nom,
            est_admin=compte.est_admin,
            actif=compte.actif,
            jeton_session=compte.jeton_session,
            organisations=tuple(
                accounts.organisation_refs(session, [m.organisation for m in compte.memberships])
            ),
        )
    charge = load_by_session_id(engine, attendu.get_id())
    assert charge == attendu
    assert load_by_email(engine, "siae@test.fr") == attendu
    assert [o.kind for o in charge.organisations] == ["siae", "ddets"]
    siae = charge.organisations[0]
    assert siae.structure_ids == frozenset({7, 99})
    # a structure not imported yet keeps a name
    assert siae.denominations == ("Jardins du Lac", "structure 99")
    assert charge.organisations[1].departement_code == "35"


def test_per_request_load_sees_changes_at_once(engine, make_user):
    user = make_user("ddets@test.fr", "ddets", departement="35")
    session_id = user.get_id()
    assert load_by_session_id(engine, session_id).organisations[0].departement_code == "35"
    with Session(engine) as session, session.begin():
        compte = session.get(User, user.id)
        compte.memberships.clear()
    assert load_by_session_id(engine, session_id).organisations == ()
    with Session(engine) as session, session.begin():
        accounts.set_password(session.get(User, user.id), "Un-autre-mot-de-passe-42")
    assert load_by_session_id(engine, session_id) is None  # the old cookie stops working


def test_malformed_or_forged_session_ids_load_nobody(engine, make_user):
    user = make_user("cd@test.fr", "cd", departement="35")
    numero, _, jeton = user.get_id().partition(":")
    for forge in ("", ":", numero, f"{numero}:", f"{numero}:{jeton}x", f"x{numero}:{jeton}",
                  f"{int(numero) + 1}:{jeton}", f"{numero} OR 1=1:{jeton}"):  # fmt: skip
        assert load_by_session_id(engine, forge) is None, forge
