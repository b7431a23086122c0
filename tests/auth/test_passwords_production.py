"""The password hashing production really uses, and the upgrade of old hashes at login.

The test session hashes at minimal cost (tests/conftest.py patches ``auth.passwords._hasher``),
so the production parameters are read where the patch cannot reach: a fresh interpreter, and
the hash ``auth.passwords`` made at import time, before the patch.
"""

from __future__ import annotations

import subprocess
import sys

from argon2 import PasswordHasher, Type, extract_parameters
from sqlalchemy import select
from sqlalchemy.orm import Session

import auth.passwords
from auth.models import User

#: OWASP Password Storage Cheat Sheet, argon2id: at least 19 MiB of memory and 2 iterations
#: (or more memory for fewer iterations), parallelism 1 or more.
OWASP_MEMORY_KIB = 19 * 1024
OWASP_TIME_COST = 2


def _hash_in_a_fresh_interpreter(password: str) -> str:
    code = "import sys; from auth.passwords import hash_password; print(hash_password(sys.argv[1]))"
    result = subprocess.run(
        [sys.executable, "-c", code, password], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_production_hashes_are_argon2id_at_owasp_cost_or_more():
    parametres = extract_parameters(_hash_in_a_fresh_interpreter("un-mot-de-passe-solide"))
    assert parametres.type is Type.ID
    assert parametres.memory_cost >= OWASP_MEMORY_KIB
    assert parametres.time_cost >= OWASP_TIME_COST
    assert parametres.parallelism >= 1
    assert parametres.salt_len >= 16 and parametres.hash_len >= 16
    # the hash made at import (unknown e-mails are checked against it) has the same cost
    assert extract_parameters(auth.passwords._DUMMY_HASH) == parametres


def _hash_of(engine, email: str) -> str:
    with Session(engine) as session:
        return session.scalar(select(User.password_hash).where(User.email == email))


def test_login_upgrades_a_hash_made_with_older_parameters(
    app, client, engine, make_user, login, monkeypatch
):
    """An account hashed at low cost (here: the tests' own hasher) logs in once with the
    production hasher in place: its hash is re-made at production cost, still verifies, and a
    second login leaves it alone; a wrong password changes nothing."""
    make_user("ancien@x.test", "dgefp", password="un-mot-de-passe-solide")
    ancien = _hash_of(engine, "ancien@x.test")
    assert extract_parameters(ancien).memory_cost < OWASP_MEMORY_KIB

    production = PasswordHasher.from_parameters(extract_parameters(auth.passwords._DUMMY_HASH))
    monkeypatch.setattr(auth.passwords, "_hasher", production)

    assert login(client, "ancien@x.test", "mauvais-mot-de-passe").status_code == 200
    assert _hash_of(engine, "ancien@x.test") == ancien  # no upgrade without the password

    assert login(client, "ancien@x.test", "un-mot-de-passe-solide").status_code == 302
    nouveau = _hash_of(engine, "ancien@x.test")
    assert nouveau != ancien
    assert extract_parameters(nouveau) == extract_parameters(auth.passwords._DUMMY_HASH)
    assert production.verify(nouveau, "un-mot-de-passe-solide")

    autre_navigateur = app.server.test_client()
    assert login(autre_navigateur, "ancien@x.test", "un-mot-de-passe-solide").status_code == 302
    assert _hash_of(engine, "ancien@x.test") == nouveau
