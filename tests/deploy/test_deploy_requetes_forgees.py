"""Issue 10's acceptance, against the production server: ``gunicorn --workers 2`` with its
default 30 s worker timeout, on a small demo.

The 90 KB table filter, a shorter one of the pattern that made the old parser quadratic, a
40-digit structure id, a list as URL search and a request naming a clientside callback's
output are each sent twice at once (both workers busy): every one gets a 4xx well before the
worker timeout, and the server keeps answering. The bound on each request is a generous one
(far below the 30 s timeout, far above a normal answer): it catches a stalled worker, it
measures nothing. Security headers are on every response, and ``Server`` names no version.
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
from pathlib import Path

import pytest
import requests

from auth.testing import csrf_token_in

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "mot-de-passe-durcissement-7"
BORNE = 10  # seconds for any answer here (gunicorn's worker timeout: 30 s)
START_TIMEOUT = 90
URL = "/_dash-update-component"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def serveur(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("gunicorn-durci")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'suivi-etp.db'}",
        "SECRET_KEY": "cle-fixe-commune-aux-workers",
        "SUIVI_ETP_INSTANCE": str(tmp),
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("PROXY_FIX", "SESSION_COOKIE_SECURE", "REDIS_URL"):
        env.pop(name, None)
    demo = ["demo", "--structures", "12", "--password", PASSWORD, "--today", "2025-06-15"]
    subprocess.run(
        [str(BIN / "suivi-etp"), *demo], cwd=ROOT, env=env, check=True, capture_output=True
    )
    port = _free_port()
    error_log = tmp / "error.log"
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
            "--error-logfile",
            str(error_log),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"gunicorn exited:\n{error_log.read_text()}")
            try:
                if requests.get(base + "/sante", timeout=5).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or a worker still booting
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start:\n{error_log.read_text()}")
            time.sleep(0.5)
        yield base, error_log
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _session(base: str, email: str = "ddets@demo.test") -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/connexion", timeout=BORNE)
    data = {"email": email, "password": PASSWORD, "csrf_token": csrf_token_in(page.text)}
    response = session.post(base + "/connexion", data=data, allow_redirects=False, timeout=BORNE)
    assert response.status_code == 302, response.text[:300]
    return session


def _outputs(key: str):
    def one(spec: str) -> dict[str, str]:
        comp_id, prop = spec.rsplit(".", 1)
        return {"id": comp_id, "property": prop}

    if key.startswith(".."):
        return [one(s) for s in key[2:-2].split("...")]
    return one(key)


def _corps(dependance: dict, valeurs: dict[tuple[str, str], object]) -> dict:
    """The body the renderer would send for ``dependance`` (from /_dash-dependencies)."""

    def items(deps):
        return [
            {
                "id": d["id"],
                "property": d["property"],
                "value": valeurs.get((d["id"], d["property"])),
            }
            for d in deps
        ]

    entrees = items(dependance["inputs"])
    return {
        "output": dependance["output"],
        "outputs": _outputs(dependance["output"]),
        "inputs": entrees,
        "state": items(dependance.get("state", [])),
        "changedPropIds": [f"{entrees[0]['id']}.{entrees[0]['property']}"],
    }


def _forges(dependances: list[dict]) -> dict[str, dict]:
    table = next(d for d in dependances if d["output"].startswith("..detail-annuel-table.data"))
    filtres = next(d for d in dependances if "page-url.search" in d["output"])
    clientside = next(
        d for d in dependances if d.get("clientside_function") and "page-titre" in d["output"]
    )
    contenu = next(d for d in dependances if d["output"] == "annuel-contenu.children")

    def tableau(filtre: str, etat=None) -> dict:
        return _corps(
            table,
            {
                ("selection-detail-annuel", "data"): {"etat": etat or {"annee": 2025}},
                ("detail-annuel-table", "page_current"): 0,
                ("detail-annuel-table", "page_size"): 25,
                ("detail-annuel-table", "sort_by"): [],
                ("detail-annuel-table", "filter_query"): filtre,
            },
        )

    quarante = 10**39 + 7
    return {
        "filtre-90-ko": tableau("{" * 90_000),
        "filtre-quadratique": tableau("{" * 30_000),
        "id-40-chiffres": tableau("", {"annee": 2025, "structure": quarante}),
        "id-40-chiffres-texte": _corps(
            contenu,
            {
                ("selection-annuel", "data"): {"etat": {"annee": 2025, "structure": str(quarante)}},
            },
        ),
        "recherche-liste": _corps(
            filtres, {("page-url", "search"): ["?annee=2025"], ("onglets", "active_tab"): "mensuel"}
        ),
        "sortie-clientside": _corps(clientside, {("onglets", "active_tab"): "annuel"}),
        "controle": tableau(""),
    }


def test_forged_requests_get_a_prompt_4xx_and_the_workers_keep_answering(serveur):
    base, error_log = serveur
    session = _session(base)
    dependances = session.get(base + "/_dash-dependencies", timeout=BORNE).json()
    forges = _forges(dependances)

    def envoyer(nom: str) -> tuple[str, int]:
        try:
            response = session.post(base + URL, json=forges[nom], timeout=BORNE)
        except requests.Timeout:
            return nom, 0  # a worker stalled
        return nom, response.status_code

    noms = [n for n in forges if n != "controle"]
    with ThreadPoolExecutor(max_workers=2) as pool:  # both workers at once
        statuts = list(pool.map(envoyer, [n for n in noms for _ in range(2)]))
    assert all(400 <= s < 500 for _, s in statuts), statuts
    assert dict(statuts)["filtre-90-ko"] == 413
    # still answering, with a normal answer for a normal request
    assert requests.get(base + "/sante", timeout=BORNE).status_code == 200
    assert envoyer("controle")[1] == 200
    assert "Traceback" not in error_log.read_text(encoding="utf-8")


def test_security_headers_on_every_response(serveur):
    base, _ = serveur
    anonyme = requests.Session()
    session = _session(base)
    reponses = [
        anonyme.get(base + "/connexion", timeout=BORNE),
        anonyme.get(base + "/sante", timeout=BORNE),
        anonyme.get(base + "/", allow_redirects=False, timeout=BORNE),
        anonyme.get(base + "/assets/style.css", timeout=BORNE),
        anonyme.post(base + URL, json={}, timeout=BORNE),
        session.get(base + "/", timeout=BORNE),
        session.get(base + "/_dash-layout", timeout=BORNE),
        session.post(base + URL, json={"output": "x"}, timeout=BORNE),
    ]
    for response in reponses:
        headers = response.headers
        where = (response.request.method, response.url, response.status_code)
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], where
        assert "unsafe-eval" not in headers["Content-Security-Policy"], where
        assert headers["X-Content-Type-Options"] == "nosniff", where
        assert headers["Referrer-Policy"] == "same-origin", where
        assert not re.search(r"\d", headers.get("Server", "")), where
    for response in reponses[5:]:
        assert response.headers["Cache-Control"] == "no-store"
