"""Shared fixtures: a fresh database per test, on SQLite and (with TEST_DATABASE_URL) PostgreSQL.

Every test that takes ``db_url`` or ``engine`` runs once per backend: ``[sqlite]`` always,
``[postgresql]`` when ``TEST_DATABASE_URL`` is set. With ``REQUIRE_POSTGRES=1`` (CI) a missing or
unreachable PostgreSQL fails the run instead of skipping.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import Engine, create_engine, text

import auth.models  # noqa: F401  (account tables on the shared metadata)
import layouts.figures
from etp.db import get_engine, init_db, make_engine, normalize_url
from etp.schema import Base

# Plotly validates every figure the tests build (the server skips it: layouts.figures.VALIDER)
layouts.figures.VALIDER = True

PG_URL = os.environ.get("TEST_DATABASE_URL")
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"
KEEP_TABLES = {"region", "departement"}

#: Fixtures that make a test use Redis (tests/deploy/conftest.py) or a browser (tests/e2e).
REDIS_FIXTURES = {"redis_url", "redis_url_module"}
BROWSER_FIXTURES = {"navigateur", "chromium_session"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
]


@pytest.fixture(scope="session")
def chromium_session():
    """One Debian chromium driven by Playwright for the whole session, shared by every browser
    test (Playwright's sync API allows one instance per thread: the e2e tests and the
    production-stack walk must share it). Skipped without chromium, failed instead under
    ``REQUIRE_BROWSER=1`` (CI). Never ``playwright install``: no network."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(
                "REQUIRE_BROWSER=1 but chromium is not installed (apt-get install chromium)"
            )
        pytest.skip("chromium absent: browser tests skipped (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def pytest_collection_modifyitems(config, items) -> None:
    """Mark each test by what it uses, so that ``-m`` can leave the slow layers out locally
    and ``.ci/check_layers.py`` counts the layers from the JUnit file: the property ``couche``
    is ``sqlite`` / ``postgresql`` (the ``db_url`` parameter), ``redis`` (a Redis fixture),
    ``navigateur`` (chromium) and ``deploy`` (the production stack), one property each."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        couches = []
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("db_url") if callspec is not None else None
        if backend in {"sqlite", "postgresql"}:
            couches.append(backend)
        if fixtures & REDIS_FIXTURES:
            item.add_marker(pytest.mark.redis)
            couches.append("redis")
        if fixtures & BROWSER_FIXTURES or item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.browser)
            couches.append("navigateur")
        if item.get_closest_marker("deploy"):
            couches.append("deploy")
        item.user_properties.extend(("couche", c) for c in couches)


#: Folders whose tests one pytest-xdist worker runs together, one after the other (``make test``
#: runs the suite on one worker per core): tests/deploy holds the Redis fixtures, and its tests
#: share (and flush) the one ``TEST_REDIS_URL`` database; tests/e2e shares one demo server per
#: worker session, whose demo is the slow part. Every other test is a unit of its own.
XDIST_UNITES = ("tests/deploy/", "tests/e2e/")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist's ``load`` distribution, except that the tests of each folder of
    :data:`XDIST_UNITES` go to the same worker, as one unit; the largest units are handed out
    first. (Not ``xdist_group`` markers: pytest 9.2's node ids made ``--dist loadgroup``
    ignore them silently, pytest-xdist issue 1386.)"""
    if config.getoption("dist") not in {"load", "loadgroup"}:
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ParDossier(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return next((d for d in XDIST_UNITES if nodeid.startswith(d)), nodeid)

    return ParDossier(config, log)


@pytest.fixture(scope="session")
def _pg_schema_url() -> Iterator[str]:
    """A private schema in the PostgreSQL test database, dropped at the end of the session."""
    if not PG_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
        pytest.skip("TEST_DATABASE_URL not set: PostgreSQL layer skipped")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalize_url(PG_URL))
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # pragma: no cover - depends on the machine
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL unreachable at {PG_URL}: {exc}")
        pytest.skip(f"PostgreSQL unreachable: {exc}")
    sep = "&" if "?" in PG_URL else "?"
    url = normalize_url(PG_URL) + sep + "options=" + quote(f"-csearch_path={schema}")
    init_db(get_engine(url))
    yield url
    get_engine(url).dispose()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _truncate(engine: Engine) -> None:
    names = [t.name for t in Base.metadata.sorted_tables if t.name not in KEEP_TABLES]
    with engine.begin() as conn:
        tables = ", ".join(f'"{n}"' for n in names)
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


_sqlite_templates: dict[frozenset[str], Path] = {}


def _sqlite_template(directory: Path) -> Path:
    """An initialised SQLite file for the tables registered so far, built once: copying it is
    some 30 times cheaper than ``init_db`` on a fresh file (migrations and référentiel), which
    every SQLite test would otherwise pay."""
    key = frozenset(Base.metadata.tables)
    path = _sqlite_templates.get(key)
    if path is None:
        path = directory / f"template-{len(_sqlite_templates)}.db"
        engine = make_engine(f"sqlite:///{path}")
        init_db(engine)
        engine.dispose()  # last connection closed: the WAL is checkpointed into the file
        _sqlite_templates[key] = path
    return path


@pytest.fixture(scope="session")
def _sqlite_template_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sqlite-template")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """URL of an initialised, empty database (référentiel loaded)."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(_sqlite_template(request.getfixturevalue("_sqlite_template_dir")), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("_pg_schema_url")
    init_db(get_engine(url))  # already at the last migration (one SELECT); référentiel reloaded
    _truncate(get_engine(url))
    return url


@pytest.fixture
def engine(db_url: str) -> Engine:
    return get_engine(db_url)


# --- App, client and accounts (auth) ------------------------------------------------------------

from auth.testing import TEST_PASSWORD, csrf_token_in  # noqa: E402


@pytest.fixture
def app(db_url: str, tmp_path):
    """The Dash app on a fresh database (both backends), per-form CSRF on, rate limit off."""
    from app import create_app

    return create_app(
        {
            "DATABASE_URL": db_url,
            "TESTING": True,
            "SECRET_KEY": "test",
            "WTF_CSRF_ENABLED": True,
            "INSTANCE_DIR": str(tmp_path),
            "RATELIMIT_ENABLED": False,
        }
    )


@pytest.fixture
def client(app):
    return app.server.test_client()


@pytest.fixture
def make_user(engine):
    """Factory: ``make_user(email, role=None, *, structures=(), departement=None, region=None,
    admin=False, nom=None, actif=True, password=TEST_PASSWORD) -> auth.identity.AuthUser``.

    ``role`` is a kind of ``auth.roles.ROLES`` (siae, ddets, cd, dreets, dgefp) or None (no
    organisation). Structures need not exist in the database.
    """
    from sqlalchemy.orm import Session

    from auth import accounts
    from auth.identity import load_by_email

    def _make(
        email: str,
        role: str | None = None,
        *,
        structures=(),
        departement: str | None = None,
        region: str | None = None,
        admin: bool = False,
        nom: str | None = None,
        actif: bool = True,
        password: str = TEST_PASSWORD,
    ):
        with Session(engine) as session, session.begin():
            user = accounts.create_user(session, email, password, nom=nom, admin=admin)
            if role is not None:
                ref = accounts.resolve_organisation(
                    role, structures=structures, departement=departement, region=region
                )
                org = accounts.find_or_create_organisation(session, ref, check_structures=False)
                accounts.add_membership(session, user, org)
            accounts.set_active(user, actif)
        return load_by_email(engine, email)

    return _make


@pytest.fixture
def login():
    """``login(client, email, password=TEST_PASSWORD, next=None)``: a real POST /connexion with
    the CSRF token read from the form; returns the (unfollowed) response."""

    def _login(client, email: str, password: str = TEST_PASSWORD, next: str | None = None):
        page = client.get("/connexion")
        data = {"email": email, "password": password, "csrf_token": csrf_token_in(page.text)}
        if next is not None:
            data["next"] = next
        return client.post("/connexion", data=data)

    return _login


@pytest.fixture
def en_tant_que(app):
    """``with en_tant_que(user): ...`` runs code in a request of ``app`` where ``user`` is
    logged in: callbacks called as plain functions resolve their scope from that user."""
    import contextlib

    from flask_login import login_user

    @contextlib.contextmanager
    def _ctx(user) -> Iterator[None]:
        with app.server.test_request_context("/"):
            login_user(user)
            yield

    return _ctx


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> Iterator[None]:
    """argon2id at its production cost makes each test account cost a noticeable fraction of a
    second on a 2-core machine; tests check behaviour, not cost, so they hash at minimal cost
    (still argon2id). Production parameters are untouched."""
    from argon2 import PasswordHasher

    import auth.passwords

    patch = pytest.MonkeyPatch()
    patch.setattr(
        auth.passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    yield
    patch.undo()
