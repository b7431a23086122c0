"""``suivi-etp user``: add (each role), list, passwd, disable, enable, and argument errors."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from app.cli import main
from auth import accounts
from auth.identity import authenticate, load_by_email
from auth.scope import scope_for_user
from etp.schema import Structure

PW = "un-mot-de-passe-solide"


@pytest.fixture
def cli(db_url):
    runner = CliRunner()

    def _run(*args: str, input: str | None = None):
        return runner.invoke(main, ["user", *args, "--database-url", db_url], input=input)

    return _run


@pytest.fixture
def structures(engine):
    with Session(engine) as session, session.begin():
        session.add_all(
            [Structure(id=11, denomination="Atelier A"), Structure(id=12, denomination="B")]
        )


def test_add_each_role_gives_the_expected_scope(cli, engine, structures):
    cases = [
        (["--role", "siae", "--structure", "11", "--structure", "12"], "SIAE Atelier A / B"),
        (["--role", "ddets", "--departement", "2a"], "DDETS 2A - Corse-du-Sud"),
        (["--role", "cd", "--departement", "031"], "CD 31 - Haute-Garonne"),
        (["--role", "dreets", "--region", "53"], "DREETS Bretagne"),
        (["--role", "dgefp"], "DGEFP - national"),
    ]
    for n, (args, label) in enumerate(cases):
        result = cli("add", f"u{n}@x.test", *args, "--password", PW)
        assert result.exit_code == 0, result.output
        assert label in result.output
        assert scope_for_user(load_by_email(engine, f"u{n}@x.test")).label == label
    assert scope_for_user(load_by_email(engine, "u0@x.test")).structure_ids == {11, 12}
    assert scope_for_user(load_by_email(engine, "u3@x.test")).departements == {
        "22",
        "29",
        "35",
        "56",
    }


def test_same_structure_set_or_departement_reuses_the_organisation(cli, engine, structures):
    from sqlalchemy import func, select

    from auth.models import Organisation

    for email in ("a@x.test", "b@x.test"):
        assert cli("add", email, "--role", "siae", "--structure", "12", "--structure", "11",
                   "--password", PW).exit_code == 0  # fmt: skip
        assert cli("add", "d" + email, "--role", "ddets", "--departement", "35",
                   "--password", PW).exit_code == 0  # fmt: skip
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Organisation)) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "siae", "--structure", "999"], "Structure inconnue"),
        (["--role", "siae"], "au moins une structure"),
        (["--role", "siae", "--structure", "abc"], "Structure inconnue : « abc »"),
        (["--role", "ddets", "--departement", "99"], "Département inconnu"),
        (["--role", "cd"], "Département inconnu"),
        (["--role", "dreets", "--region", "Atlantide"], "Région inconnue"),
        ([], "indiquez --role"),
    ],
)
def test_add_with_bad_arguments_exits_2_in_french(cli, engine, structures, args, message):
    result = cli("add", "x@x.test", *args, "--password", PW)
    assert result.exit_code == 2
    assert message in result.output
    assert load_by_email(engine, "x@x.test") is None


def test_add_refuses_duplicates_bad_emails_and_weak_passwords(cli):
    assert cli("add", "a@x.test", "--role", "dgefp", "--password", PW).exit_code == 0
    duplicate = cli("add", "A@X.test", "--role", "dgefp", "--password", PW)
    assert duplicate.exit_code == 2 and "existe déjà" in duplicate.output
    bad = cli("add", "pas-un-email", "--role", "dgefp", "--password", PW)
    assert bad.exit_code == 2 and "e-mail invalide" in bad.output
    weak = cli("add", "b@x.test", "--role", "dgefp", "--password", "court")
    assert weak.exit_code == 2 and "12 caractères" in weak.output


def test_add_prompts_for_the_password_with_confirmation(cli, engine):
    result = cli("add", "a@x.test", "--role", "dgefp", input=f"{PW}\n{PW}\n")
    assert result.exit_code == 0, result.output
    assert authenticate(engine, "a@x.test", PW) is not None


def test_admin_flag_and_name(cli, engine):
    assert cli("add", "adm@x.test", "--admin", "--nom", "Alice", "--password", PW).exit_code == 0
    user = load_by_email(engine, "adm@x.test")
    assert user.est_admin and user.nom == "Alice" and scope_for_user(user).is_empty()


def test_list_passwd_disable_enable(cli, engine):
    cli("add", "a@x.test", "--role", "cd", "--departement", "31", "--password", PW)
    listing = cli("list")
    assert listing.exit_code == 0 and "a@x.test" in listing.output
    assert "CD 31 - Haute-Garonne" in listing.output and "actif" in listing.output

    new = "un-autre-mot-de-passe"
    assert cli("passwd", "a@x.test", input=f"{new}\n{new}\n").exit_code == 0
    assert authenticate(engine, "a@x.test", PW) is None
    assert authenticate(engine, "a@x.test", new) is not None

    assert cli("disable", "a@x.test").exit_code == 0
    assert authenticate(engine, "a@x.test", new) is None
    assert "désactivé" in cli("list").output
    assert cli("enable", "a@x.test").exit_code == 0
    assert authenticate(engine, "a@x.test", new) is not None


def test_unknown_account_exits_2(cli):
    for command in (["passwd", "nobody@x.test", "--password", PW], ["disable", "nobody@x.test"]):
        result = cli(*command)
        assert result.exit_code == 2 and "Aucun compte" in result.output


def test_structure_known_only_from_an_annexe_financiere_is_accepted(cli, engine, make_af):
    with Session(engine) as session, session.begin():
        session.add(make_af(1, 77, "35"))
    assert (
        cli("add", "a@x.test", "--role", "siae", "--structure", "77", "--password", PW).exit_code
        == 0
    )
    with Session(engine) as session:
        assert accounts.unknown_structures(session, [77, 78]) == [78]
