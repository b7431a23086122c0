"""Account management shared by the CLI (``suivi-etp user``), the admin page and the demo.

Every function works inside a caller's ``Session`` (the caller commits) and raises
:class:`AccountError` with a French message the CLI or the page shows as is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import func, select, union
from sqlalchemy.orm import Session, selectinload

from auth.models import Membership, Organisation, OrganisationStructure, User, new_session_token
from auth.passwords import hash_password
from auth.roles import ROLES, OrganisationRef, Perimetre
from etp import referentiel
from etp.collation import trier_fr
from etp.schema import AnnexeFinanciere, Structure

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(ValueError):
    """A refused account operation; ``str()`` is the French message for the user."""


def normalize_email(email: str) -> str:
    value = email.strip().lower()
    if not _EMAIL.match(value):
        raise AccountError(f"Adresse e-mail invalide : « {email} ».")
    return value


def get_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def require_user(session: Session, email: str) -> User:
    user = get_user(session, email)
    if user is None:
        raise AccountError(f"Aucun compte pour « {email} ».")
    return user


def create_user(
    session: Session, email: str, password: str, *, nom: str | None = None, admin: bool = False
) -> User:
    email = normalize_email(email)
    if get_user(session, email) is not None:
        raise AccountError(f"Un compte existe déjà pour « {email} ».")
    user = User(
        email=email,
        nom=(nom or "").strip() or None,
        password_hash=hash_password(password),
        actif=True,
        est_admin=admin,
        jeton_session=new_session_token(),
    )
    session.add(user)
    session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """New hash; open sessions of that user end (their cookie carries the old token)."""
    user.password_hash = hash_password(password)
    user.jeton_session = new_session_token()


def end_sessions(user: User) -> None:
    """Every cookie of this account stops working: the session is a client-side signed cookie,
    so logout can only revoke it by renewing the token the cookie carries (this also ends the
    account's sessions on other devices)."""
    user.jeton_session = new_session_token()


def set_active(user: User, actif: bool) -> None:
    if user.actif and not actif:
        user.jeton_session = new_session_token()
    user.actif = actif


def unknown_structures(session: Session, ids: Iterable[int]) -> list[int]:
    """The ids found neither in ``structure`` nor in ``annexe_financiere``."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    known_q = union(
        select(Structure.id.label("id")).where(Structure.id.in_(wanted)),
        select(AnnexeFinanciere.structure_id.label("id")).where(
            AnnexeFinanciere.structure_id.in_(wanted)
        ),
    )
    known = set(session.scalars(select(known_q.subquery().c.id)))
    return [i for i in wanted if i not in known]


_SIRET_EN_FIN = re.compile(r"(\d{14})\s*$")
#: ASP structure ids are small integers; a SIRET has 14 digits.
_ID_ASP = re.compile(r"^\d{1,9}$")


def structure_choices(session: Session) -> list[tuple[int, str]]:
    """Every imported structure as ``(id, "NOM - SIRET")``, the label the dashboard shows,
    sorted by name: what the admin page offers to pick from."""
    rows = session.execute(
        select(Structure.id, Structure.denomination, Structure.siret).order_by(Structure.id)
    )
    choix = [(r.id, f"{r.denomination} - {r.siret}" if r.siret else r.denomination) for r in rows]
    return trier_fr(choix, lambda c: c[1])


def structure_ids_from_text(session: Session, text: str) -> frozenset[int]:
    """The structures an administrator designates, separated by commas or semicolons, each as
    its SIRET (14 digits, spaces allowed), its label « NOM - SIRET », its exact name, or its ASP
    id. An unknown or ambiguous entry raises :class:`AccountError` naming it."""
    ids: set[int] = set()
    for raw in re.split(r"[;,\n]", text or ""):
        entry = raw.strip()
        if not entry:
            continue
        compact = entry.replace(" ", "").replace("\u00a0", "")
        if _ID_ASP.match(compact):
            ids.add(int(compact))
            continue
        siret = compact if re.fullmatch(r"\d{14}", compact) else None
        if siret is None and (match := _SIRET_EN_FIN.search(entry)):
            siret = match.group(1)
        if siret is not None:
            found = list(session.scalars(select(Structure.id).where(Structure.siret == siret)))
            if not found:
                raise AccountError(f"Aucune structure importée n'a le SIRET {siret}.")
            ids.update(found)
            continue
        rows = session.execute(
            select(Structure.id, Structure.denomination, Structure.siret).where(
                func.lower(Structure.denomination) == entry.lower()
            )
        ).all()
        if not rows:
            raise AccountError(
                f"Structure inconnue : « {entry} » (indiquez son SIRET, son nom exact ou son "
                "identifiant ASP)."
            )
        if len(rows) > 1:
            sirets = ", ".join(r.siret or str(r.id) for r in rows)
            raise AccountError(
                f"Plusieurs structures s'appellent « {entry} » : précisez le SIRET ({sirets})."
            )
        ids.add(rows[0].id)
    return frozenset(ids)


def resolve_organisation(
    kind: str,
    *,
    structures: Sequence[int | str] = (),
    departement: str | None = None,
    region: str | None = None,
) -> OrganisationRef:
    """Check the arguments a kind needs (``ROLES``) and normalise them into a value."""
    role = ROLES.get((kind or "").strip().lower())
    if role is None:
        raise AccountError(f"Rôle inconnu : « {kind} » (attendu : {', '.join(ROLES)}).")
    if role.perimetre is Perimetre.STRUCTURES:
        try:
            ids = frozenset(int(str(s).strip()) for s in structures)
        except ValueError as exc:
            raise AccountError(
                "Une structure se désigne par son SIRET, son nom ou son identifiant ASP."
            ) from exc
        if not ids:
            raise AccountError("Le rôle siae demande au moins une structure (SIRET ou nom).")
        return OrganisationRef(kind=role.kind, structure_ids=ids)
    if role.perimetre is Perimetre.DEPARTEMENT:
        code = referentiel.normalize_departement(departement or "")
        if code is None:
            raise AccountError(
                f"Département inconnu : « {departement or ''} » (le rôle {role.kind} demande "
                "--departement CODE, par exemple 35)."
            )
        return OrganisationRef(kind=role.kind, departement_code=code)
    if role.perimetre is Perimetre.REGION:
        code = referentiel.resolve_region(region or "") if region else None
        if code is None:
            raise AccountError(
                f"Région inconnue : « {region or ''} » (le rôle {role.kind} demande "
                "--region CODE ou NOM, par exemple 76 ou Occitanie)."
            )
        return OrganisationRef(kind=role.kind, region_code=code)
    return OrganisationRef(kind=role.kind)


def _structure_key(ids: Iterable[int]) -> str:
    return ",".join(str(i) for i in sorted(ids))


def find_or_create_organisation(
    session: Session, ref: OrganisationRef, *, check_structures: bool = True
) -> Organisation:
    """The organisation matching ``ref`` (one per structure set / département / région / DGEFP),
    created when missing. With ``check_structures``, unknown ASP structure ids are refused."""
    if ref.structure_ids and check_structures:
        missing = unknown_structures(session, ref.structure_ids)
        if missing:
            raise AccountError(
                "Structure inconnue (ni dans les structures ni dans les annexes financières "
                f"importées) : {', '.join(str(i) for i in missing)}."
            )
    key = _structure_key(ref.structure_ids) if ref.structure_ids else None
    query = select(Organisation).where(
        Organisation.kind == ref.kind,
        _eq_or_null(Organisation.departement_code, ref.departement_code),
        _eq_or_null(Organisation.region_code, ref.region_code),
        _eq_or_null(Organisation.cle_structures, key),
    )
    org = session.scalars(query.order_by(Organisation.id)).first()
    if org is None:
        org = Organisation(
            kind=ref.kind,
            departement_code=ref.departement_code,
            region_code=ref.region_code,
            cle_structures=key,
            structures=[OrganisationStructure(structure_id=i) for i in sorted(ref.structure_ids)],
        )
        session.add(org)
        session.flush()
    return org


def _eq_or_null(column, value):
    return column.is_(None) if value is None else column == value


def add_membership(session: Session, user: User, org: Organisation) -> None:
    """Idempotent: a user already member of ``org`` stays so once."""
    exists = session.scalar(
        select(Membership.id).where(
            Membership.user_id == user.id, Membership.organisation_id == org.id
        )
    )
    if exists is None:
        session.add(Membership(user_id=user.id, organisation_id=org.id))
        session.flush()


def remove_membership(session: Session, user: User, organisation_id: int) -> None:
    membership = session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organisation_id == organisation_id
        )
    )
    if membership is not None:
        session.delete(membership)
        session.flush()


def organisation_refs(session: Session, orgs: Sequence[Organisation]) -> list[OrganisationRef]:
    """Detached values of ``orgs``, with the SIAE denominations looked up in one query."""
    all_ids = {i for org in orgs for i in org.structure_ids}
    names: dict[int, str] = {}
    if all_ids:
        rows = session.execute(
            select(Structure.id, Structure.denomination).where(Structure.id.in_(sorted(all_ids)))
        )
        names = {row.id: row.denomination for row in rows}
    return [
        organisation_ref(
            org.id, org.kind, org.departement_code, org.region_code, org.structure_ids, names
        )
        for org in orgs
    ]


def organisation_ref(
    org_id: int | None,
    kind: str,
    departement_code: str | None,
    region_code: str | None,
    structure_ids: Iterable[int],
    names: Mapping[int, str | None],
) -> OrganisationRef:
    """One organisation as a plain value; ``names``: the denominations of its structures
    (a structure not imported yet is called « structure <id> »)."""
    ids = sorted(structure_ids)
    return OrganisationRef(
        kind=kind,
        departement_code=departement_code,
        region_code=region_code,
        structure_ids=frozenset(ids),
        denominations=tuple(names.get(i) or f"structure {i}" for i in ids),
        id=org_id,
    )


def load_users(session: Session) -> list[User]:
    """Every account with its organisations, for listings (CLI, admin page)."""
    query = (
        select(User)
        .options(
            selectinload(User.memberships)
            .selectinload(Membership.organisation)
            .selectinload(Organisation.structures)
        )
        .order_by(User.email)
    )
    return list(session.scalars(query))
