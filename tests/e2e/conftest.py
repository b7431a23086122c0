"""Fixtures of the browser tests: one demo server and one chromium for the whole session.

The server is ``suivi-etp run`` on demo data (``suivi-etp demo``) in a fresh SQLite file, on a
free port; it is started once per data set and shared by every e2e module, since generating
and importing the demo is the slow part and the tests only read. Each module opens its own
pages (own cookies), so a login in one module leaves the others untouched.

Playwright drives Debian's chromium. Without chromium the tests are skipped, unless
``REQUIRE_BROWSER=1`` (CI), which turns that into a failure. Never ``playwright install``: no
network. Constants and the login helper are in ``outils_e2e``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from outils_e2e import PASSWORD, STRUCTURES, TODAY, chromium
from sqlalchemy import Engine

_CLI = [sys.executable, "-c", "from app.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(base: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(base + "/sante", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the server did not start: " + log.read_text())
        time.sleep(0.5)


@pytest.fixture(scope="session")
def serveurs_demo(tmp_path_factory) -> Iterator[Callable[[int], str]]:
    """``serveurs_demo(structures, today=TODAY) -> base URL``: a server on a demo of that size
    and reference date, started on first use and kept for the session (one per data set),
    stopped at the end. ``serveurs_demo.bases[structures]`` is the database URL of the demo
    at the default reference date."""
    started: dict[tuple[int, str], str] = {}
    bases: dict[int, str] = {}
    running: list[tuple[subprocess.Popen, object]] = []

    def _start(structures: int, today: str = TODAY) -> str:
        if (structures, today) in started:
            return started[(structures, today)]
        tmp: Path = tmp_path_factory.mktemp(f"e2e-demo-{structures}-{today}")
        url = f"sqlite:///{tmp / 'demo.db'}"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SUIVI_ETP_INSTANCE": str(tmp),
            "SECRET_KEY": "e2e-secret",
        }
        env.pop("REDIS_URL", None)
        demo = ["demo", "--database-url", url, "--password", PASSWORD, "--today", today]
        subprocess.run(
            [*_CLI, *demo, "--structures", str(structures)],
            env=env,
            check=True,
            capture_output=True,
            timeout=600,
        )
        port = _free_port()
        log_path = tmp / "server.log"
        log = open(log_path, "w")  # noqa: SIM115 - closed in the teardown
        proc = subprocess.Popen(
            [*_CLI, "run", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        running.append((proc, log))
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base, proc, log_path)
        started[(structures, today)] = base
        if today == TODAY:
            bases[structures] = url
        return base

    _start.bases = bases  # type: ignore[attr-defined]  (database URL of each demo)
    yield _start
    for proc, log in running:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def serveur(serveurs_demo) -> str:
    """Base URL of the server on the shared demo (:data:`STRUCTURES` structures)."""
    chromium()  # skip before paying for the demo when no browser can use it
    return serveurs_demo(STRUCTURES)


@pytest.fixture(scope="session")
def base_demo(serveurs_demo, serveur) -> Iterator[Engine]:
    """The shared demo's database, read by the tests that recompute the figures themselves."""
    from sqlalchemy import create_engine

    engine = create_engine(serveurs_demo.bases[STRUCTURES])
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def navigateur(serveur, chromium_session):
    """The session's chromium (tests/conftest.py), once the demo server is up; pages and
    contexts are per test or module."""
    return chromium_session
