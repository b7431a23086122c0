"""Start and stop the production server (gunicorn) for the deployment tests.

``gunicorn(tmp, env)`` runs ``python -m gunicorn app.wsgi:server`` in its own process group
and waits (bounded) until /sante answers; ``stop`` sends SIGTERM (SIGKILL to the group only
if it hangs). Logs go to ``tmp``; :class:`Server` reads the access log back.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
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


def gunicorn_version() -> tuple[int, ...]:
    from importlib.metadata import version

    return tuple(int(part) for part in version("gunicorn").split(".")[:2] if part.isdigit())


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(base: str, process: subprocess.Popen, error_log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited ({process.returncode}):\n{error_log.read_text()}")
        try:
            if requests.get(base + "/sante", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass  # not listening yet, or a worker still importing the app
        time.sleep(0.5)
    pytest.fail(f"gunicorn did not answer within {START_TIMEOUT} s:\n{error_log.read_text()}")


def stop(process: subprocess.Popen) -> int:
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


def gunicorn(tmp: Path, env: dict[str, str], workers: int = 2) -> Server:
    """``gunicorn --workers N app.wsgi:server`` on a free port, once it answers /sante."""
    port = free_port()
    access_log, error_log = tmp / "access.log", tmp / "error.log"
    # gunicorn 25.1+ opens a control socket under ~/.gunicorn by default: not one per test run.
    control = ["--no-control-socket"] if gunicorn_version() >= (25, 1) else []
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "app.wsgi:server",
            "--workers",
            str(workers),
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
        wait_until_up(base, process, error_log)
    except BaseException:
        stop(process)
        raise
    return Server(base, process, access_log, error_log)


def environment(tmp: Path, redis_url: str, database_url: str | None = None) -> dict[str, str]:
    """A deployment's environment: fixed SECRET_KEY, the database (default: SQLite in
    ``tmp``) and Redis; the demo password file stays in ``tmp``."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url or f"sqlite:///{tmp / 'suivi-etp.db'}",
        "SECRET_KEY": "cle-fixe-commune-aux-workers",
        "REDIS_URL": redis_url,
        "SUIVI_ETP_INSTANCE": str(tmp),  # the demo password file stays out of instance/
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("PROXY_FIX", "SESSION_COOKIE_SECURE"):
        env.pop(name, None)
    return env
