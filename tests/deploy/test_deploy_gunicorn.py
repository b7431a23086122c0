"""The production server for real: ``gunicorn --workers 2 app.wsgi:server`` in a subprocess.

A temporary SQLite database holds a small demo (the ``suivi-etp demo`` command itself). The
server gets a fixed ``SECRET_KEY``, ``DATABASE_URL`` and ``REDIS_URL`` like a deployment. What
matters here is what only several processes can show: a session opened on one worker is read
by the other (same ``SECRET_KEY``), and the login counter lives in Redis. Every wait is bounded.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from auth.testing import csrf_token_in

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "mot-de-passe-gunicorn-0"
TIMEOUT = 30  # seconds, for each HTTP request
START_TIMEOUT = 90  # seconds for gunicorn to answer /sante (2 cores shared by many processes)
ACCESS_LINE = re.compile(r'^<?(?P<pid>\d+)>? (?P<user>\S+) "(?P<request>[^"]*)" (?P<status>\d{3})$')


@dataclass(frozen=True)
class Server:
    base: str
    process: subprocess.Popen
    access_log: Path
    error_log: Path

    def access(self) -> list[tuple[int, str, int]]:
        """(worker pid, request line, status) of every logged request so far."""
        rows = []
        for line in self.access_log.read_text(encoding="utf-8").splitlines():
            match = ACCESS_LINE.match(line.strip())
            if match:
                rows.append((int(match["pid"]), match["request"], int(match["status"])))
        return rows


def _gunicorn_version() -> tuple[int, ...]:
    from importlib.metadata import version

    return tuple(int(part) for part in version("gunicorn").split(".")[:2] if part.isdigit())


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(base: str, process: subprocess.Popen, error_log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited ({process.returncode}):\n{error_log.read_text()}")
        try:
            if requests.get(base + "/sante", timeout=5).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or a worker still booting
            pass
        time.sleep(0.5)
    pytest.fail(f"gunicorn did not answer within {START_TIMEOUT} s:\n{error_log.read_text()}")


def _stop(process: subprocess.Popen) -> int:
    """SIGTERM to the master (graceful stop of its workers); SIGKILL to its own process group
    only if it does not stop in time."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        raise


@pytest.fixture(scope="module")
def server(tmp_path_factory, redis_url_module) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("gunicorn")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'suivi-etp.db'}",
        "SECRET_KEY": "cle-fixe-commune-aux-workers",
        "REDIS_URL": redis_url_module,
        "SUIVI_ETP_INSTANCE": str(tmp),  # the demo password file stays out of instance/
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("PROXY_FIX", "SESSION_COOKIE_SECURE"):
        env.pop(name, None)
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
    port = _free_port()
    access_log, error_log = tmp / "access.log", tmp / "error.log"
    # gunicorn 25.1+ opens a control socket under ~/.gunicorn by default: not one per test run.
    control = ["--no-control-socket"] if _gunicorn_version() >= (25, 1) else []
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "app.wsgi:server",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "--graceful-timeout",
            "20",
            "--access-logfile",
            str(access_log),
            "--error-logfile",
            str(error_log),
            *control,
            "--access-logformat",
            '%(p)s %(u)s "%(r)s" %(s)s',
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, for the fallback kill
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, error_log)
        yield Server(base, process, access_log, error_log)
    finally:
        _stop(process)


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

    with ThreadPoolExecutor(max_workers=2) as pool:
        first = list(pool.map(attempt, range(10)))
    assert first == [200] * 10
    assert attempt(10) == 429
    posts = {pid for pid, req, _ in server.access() if req.startswith("POST /connexion")}
    assert len(posts) == 2, f"every attempt went to one worker: {posts}"


def test_server_stops_cleanly(server):
    """Last in this module: SIGTERM stops the master and its workers with exit code 0."""
    assert _stop(server.process) == 0
    log = server.error_log.read_text(encoding="utf-8")
    assert "Shutting down: Master" in log
    assert "Traceback" not in log
