"""Password hashing, the login rate limit, and the demo accounts."""

from __future__ import annotations

import stat

from sqlalchemy import select
from sqlalchemy.orm import Session

from auth.demo import create_demo_accounts, read_demo_password
from auth.identity import authenticate, load_by_email
from auth.models import User
from auth.passwords import hash_password, verify_password
from auth.scope import scope_for_user
from auth.testing import TEST_PASSWORD


def test_password_hashes_are_argon2id(engine, make_user):
    make_user("a@x.test", "dgefp")
    with Session(engine) as session:
        stored = session.scalar(select(User.password_hash).where(User.email == "a@x.test"))
    assert stored.startswith("$argon2id$") and TEST_PASSWORD not in stored
    assert verify_password(stored, TEST_PASSWORD) and not verify_password(stored, "autre")
    assert not verify_password(None, TEST_PASSWORD)
    assert hash_password("x") != hash_password("x")  # salted


def test_login_posts_are_rate_limited(db_url, tmp_path, make_user, login):
    from app import create_app

    app = create_app(
        {
            "DATABASE_URL": db_url,
            "TESTING": True,
            "SECRET_KEY": "test",
            "INSTANCE_DIR": str(tmp_path),
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "LOGIN_RATE_LIMIT": "3 per minute",
        }
    )
    make_user("a@x.test", "dgefp")
    client = app.server.test_client()
    responses = [login(client, "a@x.test", "mauvais") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert "Trop de tentatives" in responses[-1].text
    assert client.get("/connexion").status_code == 200  # only POSTs count


def test_demo_accounts_one_per_role(engine, tmp_path):
    password = create_demo_accounts(
        engine, password=None, siae_structure_ids=[501, 502], instance_dir=tmp_path
    )
    path = tmp_path / "demo-password.txt"
    assert read_demo_password(tmp_path) == password and len(password) >= 12
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    scopes = {
        email: scope_for_user(load_by_email(engine, email))
        for email in ("siae", "ddets", "cd", "dreets", "dgefp", "admin")
        for email in [f"{email}@demo.test"]
    }
    assert scopes["siae@demo.test"].structure_ids == {501, 502}
    assert scopes["ddets@demo.test"].departements == {"35"}
    assert scopes["cd@demo.test"].departements == {"31"}
    assert "31" in scopes["dreets@demo.test"].departements
    assert scopes["dreets@demo.test"].label == "DREETS Occitanie"
    assert scopes["dgefp@demo.test"].national
    assert scopes["admin@demo.test"].is_empty()
    assert load_by_email(engine, "admin@demo.test").est_admin
    for email in scopes:
        assert authenticate(engine, email, password) is not None


def test_demo_accounts_are_idempotent_and_reuse_or_update_the_password(engine, tmp_path):
    first = create_demo_accounts(
        engine, password=None, siae_structure_ids=[1, 2], instance_dir=tmp_path
    )
    again = create_demo_accounts(
        engine, password=None, siae_structure_ids=[1, 2], instance_dir=tmp_path
    )
    assert again == first
    chosen = create_demo_accounts(
        engine, password="demo-choisi-2024", siae_structure_ids=[1, 2], instance_dir=tmp_path
    )
    assert chosen == "demo-choisi-2024" == read_demo_password(tmp_path)
    assert authenticate(engine, "siae@demo.test", first) is None
    assert authenticate(engine, "siae@demo.test", chosen) is not None
    with Session(engine) as session:
        assert len(session.scalars(select(User)).all()) == 6
    assert len(load_by_email(engine, "siae@demo.test").organisations) == 1
