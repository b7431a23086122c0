"""``suivi-etp user``: accounts from the command line (add, list, passwd, disable, enable).

Argument errors (unknown role, structure, département, région, e-mail) print a French message
and exit with status 2; the work itself is ``auth.accounts``, shared with the admin page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import click
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from auth import accounts, journal
from auth.passwords import policy_error
from auth.roles import ROLES
from etp.db import default_database_url, init_db, make_engine

USAGE_ERROR = 2


def _fail(message: str) -> None:
    click.echo(f"Erreur : {message}", err=True)
    raise SystemExit(USAGE_ERROR)


def _with_engine(fn: Callable) -> Callable:
    """Adds ``--database-url`` and hands the command an initialised engine."""

    @click.option("--database-url", envvar="DATABASE_URL", default=None, help="URL SQLAlchemy.")
    @wraps(fn)
    def wrapper(*args, database_url: str | None, **kwargs):
        engine = make_engine(database_url or default_database_url())
        init_db(engine)
        try:
            return fn(engine, *args, **kwargs)
        except accounts.AccountError as exc:
            _fail(str(exc))
        finally:
            engine.dispose()

    return wrapper


def _new_password(password: str | None, email: str) -> str:
    if password is None:
        password = click.prompt(
            "Mot de passe",
            hide_input=True,
            confirmation_prompt="Confirmez le mot de passe",
        )
    weak = policy_error(password, email)
    if weak:
        _fail(weak)
    return password


def _journal(session: Session, action: str, email: str, details: dict | None = None) -> None:
    """The audit-log line of a command, in its transaction; the actor is the system account
    that ran it."""
    acteur = journal.acteur_ligne_de_commande()
    journal.ajouter(session, action, acteur, cible=email.strip().lower(), details=details)


@click.group("user")
def user() -> None:
    """Gestion des comptes."""


@user.command("add", help="Crée un compte et le rattache à une organisation.")
@click.argument("email")
@click.option("--role", type=click.Choice(list(ROLES)), help="Type d'organisation.")
@click.option(
    "--structure",
    "structures",
    multiple=True,
    help="SIRET, nom exact ou identifiant ASP de la structure (siae).",
)
@click.option("--departement", help="Code du département (ddets, cd).")
@click.option("--region", help="Code ou nom de la région (dreets).")
@click.option("--password", help="Mot de passe (sinon demandé).")
@click.option("--admin", is_flag=True, help="Administrateur des comptes (ne donne aucune donnée).")
@click.option("--nom", help="Nom affiché.")
@_with_engine
def add(
    engine: Engine,
    email: str,
    role: str | None,
    structures: tuple[str, ...],
    departement: str | None,
    region: str | None,
    password: str | None,
    admin: bool,
    nom: str | None,
) -> None:
    if role is None and not admin:
        _fail("indiquez --role (siae, ddets, cd, dreets, dgefp) ou --admin.")
    if structures:
        with Session(engine) as session:
            ids = accounts.structure_ids_from_text(session, ",".join(structures))
        structures = tuple(str(i) for i in sorted(ids))
    ref = (
        accounts.resolve_organisation(
            role, structures=structures, departement=departement, region=region
        )
        if role
        else None
    )
    email = accounts.normalize_email(email)
    with Session(engine) as session:
        if accounts.get_user(session, email) is not None:
            _fail(f"un compte existe déjà pour « {email} ».")
    password = _new_password(password, email)
    with Session(engine) as session, session.begin():
        user_ = accounts.create_user(session, email, password, nom=nom, admin=admin)
        label = "aucune organisation"
        if ref is not None:
            org = accounts.find_or_create_organisation(session, ref)
            accounts.add_membership(session, user_, org)
            label = accounts.organisation_refs(session, [org])[0].label
        details = {"administrateur": admin, "organisation": label}
        _journal(session, "compte_cree", email, details)
    click.echo(f"Compte créé : {email} ({label}{', administrateur' if admin else ''}).")


@user.command("list", help="Liste les comptes.")
@_with_engine
def list_(engine: Engine) -> None:
    with Session(engine) as session:
        users = accounts.load_users(session)
        if not users:
            click.echo("Aucun compte.")
            return
        for u in users:
            orgs = accounts.organisation_refs(session, [m.organisation for m in u.memberships])
            flags = ["actif" if u.actif else "désactivé"] + (["admin"] if u.est_admin else [])
            last = u.derniere_connexion.strftime("%d/%m/%Y %H:%M") if u.derniere_connexion else "-"
            labels = ", ".join(o.label for o in orgs) or "aucune organisation"
            click.echo(f"{u.email}\t{u.nom or ''}\t{' '.join(flags)}\t{labels}\t{last}")


@user.command("passwd", help="Change le mot de passe d'un compte.")
@click.argument("email")
@click.option("--password", help="Nouveau mot de passe (sinon demandé).")
@_with_engine
def passwd(engine: Engine, email: str, password: str | None) -> None:
    with Session(engine) as session:
        accounts.require_user(session, email)
    password = _new_password(password, email)
    with Session(engine) as session, session.begin():
        accounts.set_password(accounts.require_user(session, email), password)
        _journal(session, "mot_de_passe_change", email)
    click.echo(f"Mot de passe changé : {email.strip().lower()}.")


@user.command("disable", help="Désactive un compte (ses sessions ouvertes prennent fin).")
@click.argument("email")
@_with_engine
def disable(engine: Engine, email: str) -> None:
    with Session(engine) as session, session.begin():
        accounts.set_active(accounts.require_user(session, email), False)
        _journal(session, "compte_desactive", email)
    click.echo(f"Compte désactivé : {email.strip().lower()}.")


@user.command("enable", help="Réactive un compte.")
@click.argument("email")
@_with_engine
def enable(engine: Engine, email: str) -> None:
    with Session(engine) as session, session.begin():
        accounts.set_active(accounts.require_user(session, email), True)
        _journal(session, "compte_active", email)
    click.echo(f"Compte réactivé : {email.strip().lower()}.")
