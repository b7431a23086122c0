"""The password policy: common, repetitive and e-mail-based passwords are refused on every
path that sets one (admin page, ``suivi-etp user``, ``suivi-etp demo --password``), and a hash
made with older argon2 parameters is upgraded at the next login."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner
from sqlalchemy.orm import Session

import auth.passwords
from app.cli import main
from auth import accounts
from auth.identity import authenticate, load_by_email
from auth.models import User
from auth.passwords import policy_error
from auth.testing import csrf_token_in

FAIBLES = ["aaaaaaaaaaaa", "password1234"]
REFUSES = [
    *FAIBLES,
    "Password1234",  # the list is checked in lower case too
    "azertyuiop123",
    "abcabcabcabc",
    "123456789012",
    "0987654321ab",
    "court",
]
ACCEPTES = ["un-mot-de-passe-solide", "correct horse battery staple", "Tr0ub4dor&3xyz!"]


@pytest.mark.parametrize("password", REFUSES)
def test_weak_passwords_are_refused(password):
    assert policy_error(password) is not None


@pytest.mark.parametrize("password", ACCEPTES)
def test_reasonable_passwords_are_accepted(password):
    assert policy_error(password, "agent@ddets.gouv.fr") is None


@pytest.mark.parametrize("password", ["jean.dupont-2025!", "JEAN.DUPONT@ddets.gouv.fr+1"])
def test_the_accounts_email_is_refused(password):
    assert policy_error(password) is None  # a fine password for anyone else
    assert "adresse e-mail" in policy_error(password, "jean.dupont@ddets.gouv.fr")


@pytest.fixture
def admin_client(client, make_user, login):
    make_user("admin@x.test", admin=True)
    login(client, "admin@x.test")
    return client


@pytest.mark.parametrize("password", FAIBLES)
def test_the_admin_page_refuses_them(admin_client, make_user, engine, password):
    token = csrf_token_in(admin_client.get("/admin/comptes").text)
    data = {"csrf_token": token, "email": "n@x.test", "password": password, "role": "dgefp"}
    page = admin_client.post("/admin/comptes", data=data, follow_redirects=True).text
    assert load_by_email(engine, "n@x.test") is None
    assert "mot de passe" in page.lower()
    victime = make_user("v@x.test", "dgefp")
    avant = _hash(engine, "v@x.test")
    data = {"csrf_token": token, "password": password}
    admin_client.post(f"/admin/comptes/{victime.id}/mot-de-passe", data=data)
    assert _hash(engine, "v@x.test") == avant


def _hash(engine, email: str) -> str:
    with Session(engine) as session:
        return accounts.require_user(session, email).password_hash


@pytest.mark.parametrize("password", FAIBLES)
def test_the_cli_refuses_them(db_url, engine, make_user, password):
    runner = CliRunner()
    add = ["user", "add", "n@x.test", "--role", "dgefp", "--password", password]
    result = runner.invoke(main, [*add, "--database-url", db_url])
    assert result.exit_code == 2 and load_by_email(engine, "n@x.test") is None
    make_user("v@x.test", "dgefp")
    avant = _hash(engine, "v@x.test")
    passwd = ["user", "passwd", "v@x.test", "--password", password, "--database-url", db_url]
    assert runner.invoke(main, passwd).exit_code == 2
    assert _hash(engine, "v@x.test") == avant


@pytest.mark.parametrize("password", [*FAIBLES, "a", "dgefp@demo.test-2025"])
def test_demo_refuses_them_before_generating_anything(db_url, engine, password):
    result = CliRunner().invoke(main, ["demo", "--password", password, "--database-url", db_url])
    assert result.exit_code == 2, result.output
    assert "Erreur" in result.output
    assert load_by_email(engine, "dgefp@demo.test") is None


def test_the_demo_accounts_refuse_a_weak_password_in_code_too(engine, tmp_path):
    from auth.demo import create_demo_accounts

    with pytest.raises(accounts.AccountError):
        create_demo_accounts(
            engine, password="password1234", siae_structure_ids=[1], instance_dir=tmp_path
        )
    generated = create_demo_accounts(
        engine, password=None, siae_structure_ids=[1], instance_dir=tmp_path
    )
    assert policy_error(generated, "dgefp@demo.test") is None


def test_a_hash_with_older_parameters_is_upgraded_at_login(engine, make_user, monkeypatch):
    ancien = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    nouveau = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    monkeypatch.setattr(auth.passwords, "_hasher", ancien)
    make_user("u@x.test", "dgefp", password="un-mot-de-passe-solide")
    avant = _hash(engine, "u@x.test")
    monkeypatch.setattr(auth.passwords, "_hasher", nouveau)
    assert nouveau.check_needs_rehash(avant)
    assert authenticate(engine, "u@x.test", "un-mot-de-passe-solide") is not None
    apres = _hash(engine, "u@x.test")
    assert apres != avant and not nouveau.check_needs_rehash(apres)
    assert nouveau.verify(apres, "un-mot-de-passe-solide")
    # a wrong password upgrades nothing
    assert authenticate(engine, "u@x.test", "pas-le-bon-mot-de-passe") is None
    with Session(engine) as session:
        assert session.get(User, load_by_email(engine, "u@x.test").id).password_hash == apres
