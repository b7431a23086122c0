"""Long cache lifetimes for the static files whose URL changes when their content does.

Dash serves its component bundles fingerprinted (``…v4_4_1m1700000000.min.js``) and already
marks them cacheable for a year; files of ``assets/`` are linked as ``/assets/name?m=<mtime>``,
so a changed file gets a new URL too, but Flask sends them with no lifetime and the browser
revalidates every one of them on every page. Those versioned asset URLs are cached for a year
here; an unversioned request (no ``m``) keeps Flask's default revalidation.
"""

from __future__ import annotations

from flask import Flask, Response, request

ONE_YEAR = 365 * 24 * 3600


def cache_policy(path: str, versioned: bool, status: int) -> str | None:
    """The ``Cache-Control`` value for a successful static response, ``None`` to leave it."""
    if status == 200 and versioned and path.startswith("/assets/"):
        return f"public, max-age={ONE_YEAR}, immutable"
    return None


def init_app(server: Flask) -> None:
    @server.after_request
    def _long_cache(response: Response) -> Response:
        policy = cache_policy(request.path, "m" in request.args, response.status_code)
        if policy:
            response.headers["Cache-Control"] = policy
        return response
