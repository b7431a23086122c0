"""The logged-in user as a frozen value, loaded once per request by Flask-Login.

A plain value (not an ORM object) so nothing lazy-loads after the session closes and nothing
about one user can leak into another request.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from flask_login import UserMixin
from sqlalchemy import Connection, Engine, bindparam, select
from sqlalchemy.orm import Session

from auth.accounts import organisation_ref
from auth.models import Membership, Organisation, OrganisationStructure, User
from auth.roles import OrganisationRef
from etp.chiffres import que_des_chiffres
from etp.schema import Structure


@dataclass(frozen=True)
class AuthUser(UserMixin):
    id: int
    email: str
    nom: str | None
    est_admin: bool
    actif: bool
    jeton_session: str
    organisations: tuple[OrganisationRef, ...] = ()

    def get_id(self) -> str:
        """``"<id>:<token>"``: a reset password or a deactivation invalidates the cookie."""
        return f"{self.id}:{self.jeton_session}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses to log in inactive users
        return self.actif

    @property
    def display_name(self) -> str:
        return self.nom or self.email


#: The account of a session with its organisations (statements built once: building them
#: cost a third of the load).
_COMPTE = (
    select(
        User.id,
        User.email,
        User.nom,
        User.est_admin,
        User.actif,
        User.jeton_session,
        Organisation.id.label("org_id"),
        Organisation.kind,
        Organisation.departement_code,
        Organisation.region_code,
    )
    .select_from(User)
    .outerjoin(Membership, Membership.user_id == User.id)
    .outerjoin(Organisation, Organisation.id == Membership.organisation_id)
    .where(User.id == bindparam("user_id"))
    .order_by(Membership.id)
)
#: The structures of those organisations, with their names.
_STRUCTURES = (
    select(
        OrganisationStructure.organisation_id,
        OrganisationStructure.structure_id,
        Structure.denomination,
    )
    .outerjoin(Structure, Structure.id == OrganisationStructure.structure_id)
    .where(OrganisationStructure.organisation_id.in_(bindparam("org_ids", expanding=True)))
)


def load_by_session_id(engine: Engine, session_id: str) -> AuthUser | None:
    """The user whose :meth:`AuthUser.get_id` is ``session_id``; None when the id is malformed,
    unknown or carries an outdated token.

    Every request of a logged-in user (each Dash callback) goes through here, and reads the
    account afresh (:func:`_lire`): a deactivation, a reset password or a changed membership
    holds from the next request."""
    user_id, _, token = (session_id or "").partition(":")
    if not que_des_chiffres(user_id) or not token:
        return None
    with engine.connect() as conn:
        user = _lire(conn, int(user_id))
    if user is None or not hmac.compare_digest(user.jeton_session, token):
        return None
    return user


def load_by_email(engine: Engine, email: str) -> AuthUser | None:
    with engine.connect() as conn:
        user_id = conn.execute(
            select(User.id).where(User.email == email.strip().lower())
        ).scalar_one_or_none()
        return _lire(conn, user_id) if user_id is not None else None


def _lire(conn: Connection, user_id: int) -> AuthUser | None:
    """The account ``user_id`` with its organisations as a frozen value (None: unknown), in two
    plain queries: the account with its organisations, then their structures (the ORM's
    loading of the same rows, four queries, cost ~6 ms a request)."""
    lignes = conn.execute(_COMPTE, {"user_id": user_id}).all()
    if not lignes:
        return None
    orgs = [ligne for ligne in lignes if ligne.org_id is not None]
    structures: dict[int, list[int]] = {ligne.org_id: [] for ligne in orgs}
    noms: dict[int, str | None] = {}
    if orgs:
        for org_id, structure_id, nom in conn.execute(_STRUCTURES, {"org_ids": sorted(structures)}):
            structures[org_id].append(structure_id)
            noms[structure_id] = nom
    compte = lignes[0]
    return AuthUser(
        id=compte.id,
        email=compte.email,
        nom=compte.nom,
        est_admin=bool(compte.est_admin),
        actif=bool(compte.actif),
        jeton_session=compte.jeton_session,
        organisations=tuple(
            organisation_ref(
                o.org_id, o.kind, o.departement_code, o.region_code, structures[o.org_id], noms
            )
            for o in orgs
        ),
    )


def authenticate(engine: Engine, email: str, password: str) -> AuthUser | None:
    """The active user with these credentials, else None (unknown, wrong password and disabled
    all look the same to the caller). Records the login time and upgrades an old hash."""
    from datetime import datetime

    from auth.passwords import hash_password, needs_rehash, verify_password

    with Session(engine) as session, session.begin():
        user = session.scalar(select(User).where(User.email == (email or "").strip().lower()))
        ok = verify_password(user.password_hash if user else None, password or "")
        if user is None or not ok or not user.actif:
            return None
        user.derniere_connexion = datetime.now()
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        user_id = user.id
    with engine.connect() as conn:
        return _lire(conn, user_id)
