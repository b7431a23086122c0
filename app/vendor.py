"""Third-party files served from ``assets/vendor/`` (no CDN at runtime), never committed.

- Bootstrap's CSS, copied from the installed ``bootstrap-flask`` wheel (a PyPI package).
- Plotly's **basic** bundle (bar, pie and scatter traces: every chart of the dashboard is bars
  and lines), 1.2 MB instead of the 4.8 MB of the full ``plotly.min.js`` that ``dcc.Graph``
  would otherwise fetch. ``make install`` takes it once from the npm registry (a package
  registry, like PyPI), pinned to the plotly.js version of the installed plotly.py and checked
  against the registry's sha512. Every ``.js`` of ``assets/`` is a plain script of the page, so
  ``window.Plotly`` exists before the first chart mounts and ``dcc.Graph`` never asks for the
  full bundle. Without the file (an install without network), the app still works: Dash falls
  back to its full bundle.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import tarfile
import urllib.request
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

FILES = {"bootstrap5/css/bootstrap.min.css": "bootstrap.min.css"}
REGISTRE_NPM = "https://registry.npmjs.org"


@dataclass(frozen=True)
class PaquetNpm:
    """One file of an npm package, pinned by version and by the registry's integrity."""

    paquet: str
    version: str
    integrite: str  # "sha512-<base64>" as published in the registry's metadata
    membre: str  # path inside the tarball
    nom: str  # name under assets/vendor/

    @property
    def url(self) -> str:
        registre = os.environ.get("NPM_REGISTRY", REGISTRE_NPM).rstrip("/")
        return f"{registre}/{self.paquet}/-/{self.paquet}-{self.version}.tgz"


#: plotly.js 4.1.1, the version bundled with plotly.py 7.1 (tests/app check they agree).
PLOTLY_BASIC = PaquetNpm(
    paquet="plotly.js-basic-dist-min",
    version="4.1.1",
    integrite=(
        "sha512-1oNF8PeQx2hv/y7tqEVWKD3JGwn/MGEMQ8mL9HUwsaqG9FGy/OU5FHUHvzqbqxN4mnwZGI9abTiE775C4kkjMQ=="
    ),
    membre="package/plotly-basic.min.js",
    nom="plotly-basic.min.js",
)


class VendorError(RuntimeError):
    """A vendored file could not be fetched or did not match its pinned integrity."""


def verifier_integrite(contenu: bytes, integrite: str) -> None:
    """Raises :class:`VendorError` unless ``contenu`` has the npm ``integrity`` given."""
    algo, _, attendu = integrite.partition("-")
    if algo != "sha512":
        raise VendorError(f"algorithme d'intégrité non pris en charge : {algo}")
    obtenu = base64.b64encode(hashlib.sha512(contenu).digest()).decode()
    if obtenu != attendu:
        raise VendorError("le paquet téléchargé ne correspond pas à son empreinte sha512")


def extraire(archive: bytes, membre: str) -> bytes:
    """The bytes of ``membre`` in a ``.tgz`` (nothing else is written anywhere)."""
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        try:
            fichier = tar.extractfile(membre)
        except KeyError as exc:
            raise VendorError(f"{membre} absent de l'archive") from exc
        if fichier is None:
            raise VendorError(f"{membre} n'est pas un fichier")
        return fichier.read()


def telecharger(paquet: PaquetNpm, dossier: Path, timeout: float = 60) -> Path:
    """Fetch ``paquet`` into ``dossier`` (atomically) unless it is already there."""
    dest = dossier / paquet.nom
    if dest.exists() and f" v{paquet.version}\n".encode() in dest.read_bytes()[:300]:
        return dest  # already there, in the pinned version (its banner names it)
    try:
        with urllib.request.urlopen(paquet.url, timeout=timeout) as reponse:
            archive = reponse.read()
    except OSError as exc:
        raise VendorError(f"téléchargement impossible de {paquet.url} : {exc}") from exc
    verifier_integrite(archive, paquet.integrite)
    contenu = extraire(archive, paquet.membre)
    dossier.mkdir(parents=True, exist_ok=True)
    provisoire = dest.with_suffix(".part")
    provisoire.write_bytes(contenu)
    provisoire.replace(dest)
    return dest


def ensure_vendor_assets(assets_dir: Path, telecharger_npm: bool = False) -> None:
    """Bootstrap always (copied from a wheel); the npm files only when ``telecharger_npm``
    (``make install``): an app start never touches the network."""
    target = assets_dir / "vendor"
    static = resources.files("flask_bootstrap").joinpath("static")
    for source, name in FILES.items():
        dest = target / name
        if dest.exists():
            continue
        target.mkdir(parents=True, exist_ok=True)
        with resources.as_file(static.joinpath(source)) as src:
            shutil.copyfile(src, dest)
    if telecharger_npm:
        telecharger(PLOTLY_BASIC, target)


def plotly_partiel(assets_dir: Path) -> bool:
    """Whether the basic bundle is there (the page then never loads the full one)."""
    return (assets_dir / "vendor" / PLOTLY_BASIC.nom).exists()
