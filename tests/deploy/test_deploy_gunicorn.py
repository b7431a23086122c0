"""The production server for real: ``gunicorn --workers 2 app.wsgi:server`` in a subprocess.

A temporary SQLite database holds a small demo (the ``suivi-etp demo`` command itself). The
server gets a fixed ``SECRET_KEY``, ``DATABASE_URL`` and ``REDIS_URL`` like a deployment. What
matters here is what only several processes can show: a session opened on one worker is read
by the other (same ``SECRET_KEY``), and the login counter lives in Redis. Every wait is bounded.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from outils_gunicorn import BIN, ROOT, Server, environment, gunicorn, stop

from auth.testing import csrf_token_in

pytestmark = pytest.mark.deploy

PASSWORD = "mot-de-passe-gunicorn-0"
TIMEOUT = 30  # seconds, for each HTTP request


@pytest.fixture(scope="module")
def server(tmp_path_factory, redis_url_module) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("gunicorn")
    env = environment(tmp, redis_url_module)
    subprocess.run(
        [
            str(BIN / "suivi-etp"),
            "demo",
            "--structures",
            "12",
            "--password",
            PASSWORD,
            "--today",
            "2025-06-15",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    started = gunicorn(tmp, env)
    try:
        yield started
    finally:
        stop(started.process)


def _logged_in(server: Server, email: str = "dgefp@demo.test") -> requests.Session:
    """A real login through the form: CSRF token read from the page, then the POST."""
    session = requests.Session()
    page = session.get(server.base + "/connexion", timeout=TIMEOUT)
    assert page.status_code == 200
    response = session.post(
        server.base + "/connexion",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_token_in(page.text)},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert response.status_code == 302, response.text[:500]
    assert response.headers["Location"] in {"/", f"{server.base}/"}
    return session


def test_health_answers(server):
    response = requests.get(server.base + "/sante", timeout=TIMEOUT)
    assert response.status_code == 200 and response.json() == {"statut": "ok"}


def test_anonymous_is_sent_to_the_login_page(server):
    page = requests.get(server.base + "/", allow_redirects=False, timeout=TIMEOUT)
    assert page.status_code == 302 and "/connexion" in page.headers["Location"]
    layout = requests.get(server.base + "/_dash-layout", allow_redirects=False, timeout=TIMEOUT)
    assert layout.status_code == 401


def test_a_session_works_on_both_workers(server):
    """Sync workers serve one request each: concurrent requests make both answer. Every one of
    them must recognise the session, whichever worker signed it."""
    session = _logged_in(server)

    def fetch(path: str) -> int:
        return session.get(server.base + path, allow_redirects=False, timeout=TIMEOUT).status_code

    paths = ["/", "/_dash-layout"] * 6
    statuses: list[int] = []
    workers: set[int] = set()
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _round in range(10):  # bounded: stop as soon as both workers have served the user
            statuses += list(pool.map(fetch, paths))
            workers = {
                pid
                for pid, req, status in server.access()
                if status == 200 and req.startswith("GET /_dash-layout")
            }
            if len(workers) >= 2:
                break
    assert statuses and set(statuses) == {200}
    assert len(workers) == 2, f"one worker served everything: {workers}"
    assert server.process.pid not in workers  # the master only supervises


def test_dash_layout_for_the_logged_in_user(server):
    session = _logged_in(server, "siae@demo.test")
    response = session.get(server.base + "/_dash-layout", timeout=TIMEOUT)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    layout = response.json()
    assert isinstance(layout, dict) and "props" in layout
    dependencies = session.get(server.base + "/_dash-dependencies", timeout=TIMEOUT)
    assert dependencies.status_code == 200 and len(dependencies.json()) > 0


def test_login_limit_is_shared_by_the_workers(server, redis_url_module):
    """Eleven failed logins, spread over both workers by concurrency, end with a 429: the
    counter is in Redis, not in each worker's memory. (The logins of the tests above count
    too: the test Redis database is emptied first.)"""
    import redis

    with redis.Redis.from_url(redis_url_module, socket_timeout=5) as client:
        client.flushdb()

    def attempt(_i: int) -> int:
        session = requests.Session()
        page = session.get(server.base + "/connexion", timeout=TIMEOUT)
        data = {
            "email": f"inconnu{_i}@demo.test",  # the per-account delay is another test's
            "password": "mauvais",
            "csrf_token": csrf_token_in(page.text),
        }
        return session.post(
            server.base + "/connexion", data=data, allow_redirects=False, timeout=TIMEOUT
        ).status_code

    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            first = list(pool.map(attempt, range(10)))
        assert first == [200] * 10
        assert attempt(10) == 429
    finally:  # the other tests of the module log in from the same address, in any order
        with redis.Redis.from_url(redis_url_module, socket_timeout=5) as client:
            client.flushdb()
    posts = {pid for pid, req, _ in server.access() if req.startswith("POST /connexion")}
    assert len(posts) == 2, f"every attempt went to one worker: {posts}"


def test_server_stops_cleanly(tmp_path, redis_url):
    """SIGTERM stops the master and its workers with exit code 0. Its own server (an empty
    database is enough to answer /sante), so that the module's tests run in any order."""
    env = environment(tmp_path, redis_url)
    subprocess.run(
        [str(BIN / "suivi-etp"), "init-db"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    started = gunicorn(tmp_path, env)
    assert requests.get(started.base + "/sante", timeout=TIMEOUT).status_code == 200
    assert stop(started.process) == 0
    log = started.error_log.read_text(encoding="utf-8")
    assert "Shutting down: Master" in log
    assert "Traceback" not in log
