"""Load test: N simulated users replaying real Dash callbacks for a while against a server.

    .venv/bin/python benchmarks/bench_load.py --base http://127.0.0.1:8050 \
        --email dgefp@demo.test --password P --requests requests.json [--users 50] [--seconds 60]

``requests.json`` holds callback request bodies recorded in chromium by ``bench_callbacks.py``
(what the browser really sends when a user opens each tab). Each user is a thread with its own
session: it logs in through the login form, then posts those callbacks one after the other,
starting at a different place, with no pause, until the time is up. Prints the requests made,
their latency (median, p95, max), the errors (any status other than 200/204, or a network
error), and ``LOAD users=… seconds=… requests=… rps=… p50_ms=… p95_ms=… errors=…``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from pathlib import Path

import requests

from auth.testing import csrf_token_in

CALLBACK = "/_dash-update-component"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)] if ordered else float("nan")


def _login(base: str, email: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/connexion", timeout=60)
    data = {"email": email, "password": password, "csrf_token": csrf_token_in(page.text)}
    answer = session.post(f"{base}/connexion", data=data, allow_redirects=False, timeout=60)
    if answer.status_code != 302:
        raise RuntimeError(f"connexion refusée ({answer.status_code})")
    return session


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8050")
    parser.add_argument("--email", default="dgefp@demo.test")
    parser.add_argument("--password", required=True)
    parser.add_argument("--requests", type=Path, required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    options = parser.parse_args()
    bodies = json.loads(options.requests.read_text(encoding="utf-8"))
    if not bodies:
        raise SystemExit("aucune requête enregistrée")

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start_gate = threading.Barrier(options.users + 1)
    deadline = [0.0]

    def user(index: int) -> None:
        try:
            session = _login(options.base, options.email, options.password)
        except Exception as exc:  # a failed login is an error of the run
            with lock:
                errors.append(f"login: {exc}")
            start_gate.wait()
            return
        start_gate.wait()
        k = index * 7
        while time.monotonic() < deadline[0]:
            body = bodies[k % len(bodies)]
            k += 1
            t0 = time.perf_counter()
            try:
                answer = session.post(
                    options.base + CALLBACK,
                    data=body,
                    headers={"Content-Type": "application/json"},
                    timeout=120,
                )
                ok = answer.status_code in (200, 204)
                problem = None if ok else f"HTTP {answer.status_code}"
            except requests.RequestException as exc:  # what failed, said (not just its kind)
                problem = f"{type(exc).__name__}: {str(exc)[:160]}"
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                latencies.append(elapsed)
                if problem:
                    errors.append(problem)

    threads = [threading.Thread(target=user, args=(i,)) for i in range(options.users)]
    for t in threads:
        t.start()
    deadline[0] = time.monotonic() + options.seconds + 3600  # until every user has logged in
    start_gate.wait()
    began = time.monotonic()
    deadline[0] = began + options.seconds
    for t in threads:
        t.join()
    duration = time.monotonic() - began
    n = len(latencies)
    print(f"{options.users} users, {duration:.0f} s, {n} callback requests ({n / duration:.1f}/s)")
    if latencies:
        print(
            f"latency: median {statistics.median(latencies):.0f} ms, p95 {p95(latencies):.0f} ms,"
            f" max {max(latencies):.0f} ms"
        )
    kinds = {e: errors.count(e) for e in sorted(set(errors))}
    print(f"errors: {len(errors)} {kinds if kinds else ''}")
    print(
        f"LOAD users={options.users} seconds={duration:.0f} requests={n} rps={n / duration:.1f} "
        f"p50_ms={statistics.median(latencies) if latencies else float('nan'):.0f} "
        f"p95_ms={p95(latencies):.0f} errors={len(errors)}"
    )


if __name__ == "__main__":
    main()
