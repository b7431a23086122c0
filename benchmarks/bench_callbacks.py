"""Server time and size of every Dash callback while a user opens each tab, in chromium.

    .venv/bin/python benchmarks/bench_callbacks.py --base http://127.0.0.1:8050 \
        --email dgefp@demo.test --password P [--save-requests requests.json]

Run it right after the server starts with an empty cache: each tab is then opened for the
first time, so every selection is seen for the first time (the figure the issue asks for).
For every ``/_dash-update-component`` response: server time = time to first byte
(``responseStart - requestStart`` of the browser's timing), size = decoded body. Prints one
line per tab (callbacks, worst and median server time, largest response) and a summary line
``CALLBACKS callback_p95_ms=… worst_tab=… worst_tab_p95_ms=… max_response_kb=… n=…`` where
``callback_p95_ms`` is the p95 of the callbacks of the worst tab (the tab with the highest p95).
``--save-requests`` keeps the callback requests (JSON bodies) for ``bench_load.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import statistics
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from layouts.tabs import TABS

CHART_DRAWN = ".js-plotly-plot .plot-container .main-svg .trace"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
CALLBACK = "/_dash-update-component"


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def _wait_quiet(page, pending: set, quiet_s: float = 0.8, timeout_s: float = 120) -> None:
    """Until no callback has been in flight for ``quiet_s`` seconds."""
    end = time.monotonic() + timeout_s
    calm_since = time.monotonic()
    while time.monotonic() < end:
        page.wait_for_timeout(100)
        if pending:
            calm_since = time.monotonic()
        elif time.monotonic() - calm_since >= quiet_s:
            return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8050")
    parser.add_argument("--email", default="dgefp@demo.test")
    parser.add_argument("--password", required=True)
    parser.add_argument("--save-requests", type=Path, default=None)
    options = parser.parse_args()
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        raise SystemExit("chromium absent (apt-get install chromium)")

    current = {"tab": TABS[0].label}
    pending: set = set()
    records: list[dict] = []

    started_on: dict = {}  # request -> the tab open when the browser sent it

    def on_request(request) -> None:
        if CALLBACK in request.url:
            pending.add(request)
            started_on[request] = current["tab"]

    def on_finished(request) -> None:
        if CALLBACK not in request.url:
            return
        pending.discard(request)
        with contextlib.suppress(Exception):
            timing = request.timing
            response = request.response()
            body = response.body() if response else b""
            records.append(
                {
                    "tab": started_on.pop(request, current["tab"]),
                    "server_ms": timing["responseStart"] - timing["requestStart"],
                    "kb": len(body) / 1024,
                    "status": response.status if response else None,
                    "body": request.post_data,
                }
            )

    def on_failed(request) -> None:
        pending.discard(request)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="fr-FR")
        page = context.new_page()
        page.set_default_timeout(180_000)
        page.on("request", on_request)
        page.on("requestfinished", on_finished)
        page.on("requestfailed", on_failed)
        page.goto(options.base + "/connexion")
        page.fill("input[name=email]", options.email)
        page.fill("input[name=password]", options.password)
        page.click("button[type=submit]")
        page.wait_for_selector(CHART_DRAWN, state="attached")
        _wait_quiet(page, pending)
        for onglet in TABS[1:]:
            current["tab"] = onglet.label
            page.get_by_role("tab", name=onglet.label).click()
            _wait_quiet(page, pending)
        browser.close()

    worst_tab, worst = None, -1.0
    for onglet in TABS:
        times = [r["server_ms"] for r in records if r["tab"] == onglet.label]
        if not times:
            print(f"{onglet.label}: aucun callback")
            continue
        sizes = [r["kb"] for r in records if r["tab"] == onglet.label]
        tab_p95 = p95(times)
        print(
            f"{onglet.label}: {len(times)} callbacks, p95 {tab_p95:.0f} ms, "
            f"max {max(times):.0f} ms, median {statistics.median(times):.0f} ms, "
            f"largest response {max(sizes):.0f} KB"
        )
        if tab_p95 > worst:
            worst_tab, worst = onglet.label, tab_p95
    errors = [r for r in records if r["status"] not in (200, 204)]
    biggest = max(records, key=lambda r: r["kb"])
    print(f"errors: {len(errors)}; largest response: {biggest['kb']:.0f} KB ({biggest['tab']})")
    if options.save_requests:
        bodies = [r["body"] for r in records if r["body"] and r["status"] == 200]
        options.save_requests.write_text(json.dumps(bodies), encoding="utf-8")
    print(
        f"CALLBACKS callback_p95_ms={worst:.0f} worst_tab={worst_tab!r} "
        f"all_p95_ms={p95([r['server_ms'] for r in records]):.0f} "
        f"max_response_kb={biggest['kb']:.0f} n={len(records)}"
    )


if __name__ == "__main__":
    main()
