"""Demo accounts, one per role, on the demo data (called by ``suivi-etp demo``).

Idempotent: re-running finds the same accounts and organisations and sets the password again.
Without an explicit password one is generated once, stored in ``INSTANCE_DIR/demo-password.txt``
(mode 0600) and reused, so that ``make run`` can print how to log in.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from auth import accounts
from auth.passwords import policy_error
from auth.roles import OrganisationRef
from etp.db import INSTANCE_DIR

PASSWORD_FILE = "demo-password.txt"


DemoAccount = tuple[str, str, OrganisationRef | None]


def demo_accounts(siae_structure_ids: Iterable[int]) -> list[DemoAccount]:
    """(email, display name, organisation) of each demo account; the admin has none."""
    siae = OrganisationRef("siae", structure_ids=frozenset(int(i) for i in siae_structure_ids))
    return [
        ("siae@demo.test", "Directrice SIAE (démo)", siae),
        ("ddets@demo.test", "Agent DDETS (démo)", OrganisationRef("ddets", departement_code="35")),
        ("cd@demo.test", "Agent CD (démo)", OrganisationRef("cd", departement_code="31")),
        ("dreets@demo.test", "Agent DREETS (démo)", OrganisationRef("dreets", region_code="76")),
        ("dgefp@demo.test", "Agent DGEFP (démo)", OrganisationRef("dgefp")),
        ("admin@demo.test", "Administrateur (démo)", None),
    ]


def password_path(instance_dir: Path | str | None = None) -> Path:
    return Path(instance_dir or INSTANCE_DIR) / PASSWORD_FILE


def read_demo_password(instance_dir: Path | str | None = None) -> str | None:
    """The stored demo password, or None when the demo accounts were never created."""
    path = password_path(instance_dir)
    return path.read_text(encoding="utf-8").strip() if path.exists() else None


def _store(path: Path, password: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
    path.chmod(0o600)  # also when the file existed with a wider mode


def _nouveau_mot_de_passe() -> str:
    """A random password that passes the policy (a random draw can, rarely, look repetitive)."""
    while True:
        password = secrets.token_urlsafe(12)
        if policy_error(password) is None:
            return password


def demo_password_error(password: str) -> str | None:
    """The password policy (``auth.passwords.policy_error``) for every demo account."""
    from etp.demo import DEMO_SIAE_STRUCTURE_IDS

    for email, _, _ in demo_accounts(DEMO_SIAE_STRUCTURE_IDS):
        weak = policy_error(password, email)
        if weak:
            return weak
    return None


def create_demo_accounts(
    engine: Engine,
    *,
    password: str | None,
    siae_structure_ids: Iterable[int],
    instance_dir: Path | str | None = None,
) -> str:
    """Create or update the six demo accounts; return the password they share.

    ``siae_structure_ids`` are the two demo structures ``siae@demo.test`` belongs to (they need
    not be imported yet). The password (given or generated) is written to
    ``demo-password.txt`` so later runs without one keep it.
    """
    path = password_path(instance_dir)
    if password:
        weak = demo_password_error(password)
        if weak:
            raise accounts.AccountError(weak)
    password = password or read_demo_password(instance_dir) or _nouveau_mot_de_passe()
    with Session(engine) as session, session.begin():
        for email, nom, ref in demo_accounts(siae_structure_ids):
            user = accounts.get_user(session, email)
            if user is None:
                user = accounts.create_user(session, email, password, nom=nom)
            else:
                accounts.set_password(user, password)
                accounts.set_active(user, True)
            user.nom = nom
            user.est_admin = ref is None
            if ref is not None:
                org = accounts.find_or_create_organisation(session, ref, check_structures=False)
                accounts.add_membership(session, user, org)
    _store(path, password)
    return password
