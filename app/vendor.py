"""Serve Bootstrap from ``assets/`` without committing it: copy it from the installed
``bootstrap-flask`` wheel (a registry package) into ``assets/vendor/`` when missing.
No CDN at runtime."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

FILES = {"bootstrap5/css/bootstrap.min.css": "bootstrap.min.css"}


def ensure_vendor_assets(assets_dir: Path) -> None:
    target = assets_dir / "vendor"
    static = resources.files("flask_bootstrap").joinpath("static")
    for source, name in FILES.items():
        dest = target / name
        if dest.exists():
            continue
        target.mkdir(parents=True, exist_ok=True)
        with resources.as_file(static.joinpath(source)) as src:
            shutil.copyfile(src, dest)
