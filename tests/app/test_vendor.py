"""app.vendor: third-party files fetched from a package registry, pinned and checked."""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
from dataclasses import replace

import pytest
from plotly.offline import get_plotlyjs_version

from app import ASSETS, INDEX_STRING, index_string
from app.vendor import PLOTLY_BASIC, VendorError, plotly_partiel, telecharger, verifier_integrite


def _archive(membres: dict[str, bytes]) -> bytes:
    tampon = io.BytesIO()
    with tarfile.open(fileobj=tampon, mode="w:gz") as tar:
        for nom, contenu in membres.items():
            info = tarfile.TarInfo(nom)
            info.size = len(contenu)
            tar.addfile(info, io.BytesIO(contenu))
    return tampon.getvalue()


def _integrite(contenu: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(contenu).digest()).decode()


@pytest.fixture
def registre(tmp_path, monkeypatch):
    """A local npm registry (file:// URLs) holding one package tarball."""
    racine = tmp_path / "registre"
    monkeypatch.setenv("NPM_REGISTRY", racine.as_uri())
    contenu = b"/**\n* plotly.js (basic - minified) v9.9.9\n*/\nwindow.Plotly = {};\n"
    archive = _archive({"package/plotly-basic.min.js": contenu, "package/README.md": b"x"})
    paquet = replace(PLOTLY_BASIC, version="9.9.9", integrite=_integrite(archive))
    dossier = racine / paquet.paquet / "-"
    dossier.mkdir(parents=True)
    (dossier / f"{paquet.paquet}-9.9.9.tgz").write_bytes(archive)
    return paquet, contenu, dossier / f"{paquet.paquet}-9.9.9.tgz"


def test_the_pinned_bundle_is_the_plotly_js_of_plotly_py():
    # plotly.py writes figures for its own plotly.js: the basic bundle must be that version
    assert PLOTLY_BASIC.version == get_plotlyjs_version()


def test_download_checks_the_sha512_and_writes_only_the_bundle(registre, tmp_path):
    paquet, contenu, _ = registre
    cible = tmp_path / "vendor"
    chemin = telecharger(paquet, cible)
    assert chemin.read_bytes() == contenu
    assert sorted(p.name for p in cible.iterdir()) == ["plotly-basic.min.js"]
    assert telecharger(paquet, cible) == chemin  # already there in its version: kept


def test_a_tampered_package_is_refused_and_nothing_is_written(registre, tmp_path):
    paquet, _, tgz = registre
    tgz.write_bytes(_archive({"package/plotly-basic.min.js": b"alert('pirate')"}))
    cible = tmp_path / "vendor"
    with pytest.raises(VendorError, match="sha512"):
        telecharger(paquet, cible)
    assert not (cible / paquet.nom).exists()


def test_an_unreachable_registry_is_a_clear_error(registre, tmp_path):
    paquet, _, tgz = registre
    tgz.unlink()
    with pytest.raises(VendorError, match="téléchargement impossible"):
        telecharger(paquet, tmp_path / "vendor")


def test_integrity_of_another_algorithm_is_refused():
    with pytest.raises(VendorError, match="sha1"):
        verifier_integrite(b"x", "sha1-abc")


def test_the_page_announces_the_full_bundle_only_without_the_basic_one():
    assert plotly_partiel(ASSETS)  # make install fetched it
    assert "plotly.min.js" not in index_string(True)
    assert "plotly.min.js" in index_string(False)
    assert "<!--plotly-->" in INDEX_STRING
    assert "<!--plotly-->" not in index_string(True)
