"""Helpers for tests of any layer that need a logged-in client (used by tests/conftest.py)."""

from __future__ import annotations

import re

TEST_PASSWORD = "mot-de-passe-de-test"

_CSRF_PATTERNS = (
    re.compile(r'name="csrf_token"[^>]*value="([^"]+)"'),
    re.compile(r'value="([^"]+)"[^>]*name="csrf_token"'),
)


def csrf_token_in(html: str) -> str:
    """The value of the first ``csrf_token`` hidden input of a server-rendered page."""
    for pattern in _CSRF_PATTERNS:
        match = pattern.search(html)
        if match:
            return match.group(1)
    raise AssertionError("no csrf_token in the page")
