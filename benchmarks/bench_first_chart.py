"""Login -> first chart drawn, in Debian's chromium, against a running server.

    .venv/bin/python benchmarks/bench_first_chart.py --base http://127.0.0.1:8050 \
        --email dgefp@demo.test --password "$(cat instance/demo-password.txt)" [--repeat 3]

What a user feels when they open the product: the time from the click on « Se connecter » to
the first Plotly chart drawn with its data, and the bytes the browser received for it
(compressed, as sent). Each run uses a fresh browser context (empty cache), then the same page is
reloaded once (warm cache: what the second visit of the day costs). Prints one line per run and a
summary line ``FIRST_CHART first_chart_s=… warm_s=… transferred_kb=…`` (medians).
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import time

from playwright.sync_api import sync_playwright

CHART_DRAWN = ".js-plotly-plot .plot-container .main-svg .trace"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


def _one_run(browser, base: str, email: str, password: str) -> tuple[float, float, int]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(120_000)
    received: list[int] = []

    def on_finished(request) -> None:
        with contextlib.suppress(Exception):  # a request aborted by navigation has no sizes
            received.append(max(request.sizes()["responseBodySize"], 0))

    page.on("requestfinished", on_finished)
    page.goto(base + "/connexion")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    received.clear()
    start = time.perf_counter()
    page.click("button[type=submit]")
    page.wait_for_selector(CHART_DRAWN, state="attached")
    cold = time.perf_counter() - start
    transferred = sum(received)
    start = time.perf_counter()
    page.reload()
    page.wait_for_selector(CHART_DRAWN, state="attached")
    warm = time.perf_counter() - start
    context.close()
    return cold, warm, transferred


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8050")
    parser.add_argument("--email", default="dgefp@demo.test")
    parser.add_argument("--password", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        raise SystemExit("chromium absent (apt-get install chromium)")
    colds, warms, sizes = [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
        for run in range(1, options.repeat + 1):
            cold, warm, size = _one_run(browser, options.base, options.email, options.password)
            colds.append(cold)
            warms.append(warm)
            sizes.append(size)
            print(
                f"run {run}: login -> first chart {cold:.2f} s, reload {warm:.2f} s, "
                f"{size / 1024:.0f} KB received"
            )
        browser.close()
    print(
        f"FIRST_CHART first_chart_s={statistics.median(colds):.2f} "
        f"warm_s={statistics.median(warms):.2f} "
        f"transferred_kb={statistics.median(sizes) / 1024:.0f}"
    )


if __name__ == "__main__":
    main()
