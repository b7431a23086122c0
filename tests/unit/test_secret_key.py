"""The generated SECRET_KEY: private from the start and the same for concurrent workers."""

import stat
from concurrent.futures import ProcessPoolExecutor

from app.config import _secret_key


def test_generated_key_is_private_and_stable(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = _secret_key(tmp_path)
    assert len(first) == 64
    assert _secret_key(tmp_path) == first
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary file left


def test_concurrent_workers_share_one_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with ProcessPoolExecutor(max_workers=4) as pool:
        keys = set(pool.map(_secret_key, [tmp_path] * 8))
    assert len(keys) == 1


def test_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert _secret_key(tmp_path) == "from-env"
    assert not (tmp_path / "secret_key").exists()
