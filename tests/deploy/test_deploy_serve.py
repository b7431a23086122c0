"""``suivi-etp run`` (what ``make run`` starts) serves like production: gunicorn, compressed
responses, long-cached versioned assets, and Plotly's basic bundle as a script of the page."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from app.commands.serve import gunicorn_options, workers_par_defaut
from app.static_cache import ONE_YEAR, cache_policy
from auth.testing import csrf_token_in

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 90
EMAIL = "serve@test.gouv.fr"
PASSWORD = "Un-mot-de-passe-solide-42"


def test_one_worker_without_redis_two_with_it_unless_told():
    assert workers_par_defaut({}) == 1  # make run: the cache and the login counter per process
    assert workers_par_defaut({"REDIS_URL": "redis://r:6379/0"}) == 2
    assert workers_par_defaut({"WEB_CONCURRENCY": "4"}) == 4
    assert workers_par_defaut({"WEB_CONCURRENCY": "3", "REDIS_URL": "redis://r:6379/0"}) == 3
    assert workers_par_defaut({"WEB_CONCURRENCY": " "}) == 1


def test_gunicorn_options_bind_workers_threads():
    options = gunicorn_options("127.0.0.1", 8123, workers=3, threads=4)
    assert options["bind"] == "127.0.0.1:8123"
    assert (options["workers"], options["threads"]) == (3, 4)
    assert options["worker_class"] == "gthread"
    assert gunicorn_options("0.0.0.0", 80, workers=1, threads=1)["worker_class"] == "sync"


def test_cache_policy_only_for_versioned_assets():
    assert cache_policy("/assets/style.css", versioned=True, status=200) == (
        f"public, max-age={ONE_YEAR}, immutable"
    )
    assert cache_policy("/assets/style.css", versioned=False, status=200) is None
    assert cache_policy("/assets/style.css", versioned=True, status=404) is None
    assert cache_policy("/_dash-layout", versioned=True, status=200) is None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve")
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'suivi-etp.db'}",
        "SECRET_KEY": "cle-de-test-serve",
        "SUIVI_ETP_INSTANCE": str(tmp),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [str(bin_dir / "suivi-etp"), "init-db"], cwd=ROOT, env=env, check=True, timeout=120
    )
    subprocess.run(
        [
            str(bin_dir / "suivi-etp"),
            "user",
            "add",
            EMAIL,
            "--role",
            "dgefp",
            "--password",
            PASSWORD,
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    log = tmp / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "suivi-etp"),
                "run",
                "--port",
                str(port),
                "--workers",
                "2",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"suivi-etp run exited:\n{log.read_text()}")
            try:
                if requests.get(base + "/sante", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"suivi-etp run did not answer:\n{log.read_text()}")
            time.sleep(0.3)
        yield base
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        assert process.returncode == 0, log.read_text()  # gunicorn stopped cleanly on TERM


@pytest.mark.deploy
def test_run_serves_with_gunicorn(served):
    response = requests.get(served + "/connexion", timeout=10)
    assert response.status_code == 200
    assert "werkzeug" not in response.headers.get("Server", "").lower()
    assert response.headers.get("Server", "").lower().startswith("gunicorn")


@pytest.mark.deploy
def test_run_compresses_and_serves_plotlys_basic_bundle(served):
    page = requests.get(served + "/connexion", headers={"Accept-Encoding": "gzip"}, timeout=10)
    # The login page itself is compressed for a browser that accepts gzip.
    assert page.headers.get("Content-Encoding") == "gzip"
    # Every preload hint of the dashboard's page points at a file the server really has.
    session = requests.Session()
    form = session.get(served + "/connexion", timeout=10)
    login = session.post(
        served + "/connexion",
        data={"email": EMAIL, "password": PASSWORD, "csrf_token": csrf_token_in(form.text)},
        allow_redirects=False,
        timeout=10,
    )
    assert login.status_code == 302
    dashboard = session.get(served + "/", timeout=10)
    hints = re.findall(r'rel="preload" as="script"\s+href="([^"]+)"', dashboard.text)
    assert hints and not [h for h in hints if "plotly.min.js" in h]
    for hint in hints:
        bundle = session.get(served + hint, headers={"Accept-Encoding": "gzip"}, timeout=30)
        assert bundle.status_code == 200, hint
        assert bundle.headers.get("Content-Encoding") == "gzip", hint
    # Plotly is the basic bundle, a versioned (long-cached) script of the page
    (basique,) = re.findall(
        r'src="(/assets/vendor/plotly-basic\.min\.js\?m=[^"]+)"', dashboard.text
    )
    assert "plotly.min.js" not in dashboard.text
    chromium = {"Accept-Encoding": "gzip, deflate, br, zstd"}  # what chromium sends
    plotly = session.get(served + basique, headers=chromium, stream=True, timeout=30)
    # a file is streamed: compressed with zstd, br or deflate (Flask-Compress streams no gzip)
    assert plotly.headers.get("Content-Encoding") in {"zstd", "br", "deflate"}
    assert f"max-age={ONE_YEAR}" in plotly.headers.get("Cache-Control", "")
    sent = len(plotly.raw.read(decode_content=False))
    assert sent < 450_000  # 1.2 MB of JavaScript, about 0.4 MB gzipped (the full one: 1.4 MB)


@pytest.mark.deploy
def test_run_caches_versioned_assets(served):
    versioned = requests.get(served + "/assets/style.css?m=1", timeout=10)
    assert versioned.status_code == 200
    assert f"max-age={ONE_YEAR}" in versioned.headers.get("Cache-Control", "")
    plain = requests.get(served + "/assets/style.css", timeout=10)
    assert "max-age=31536000" not in plain.headers.get("Cache-Control", "")
