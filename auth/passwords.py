"""Password hashing with argon2id (argon2-cffi): Werkzeug's default scrypt parameters are
below OWASP's minimum."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so that both failures cost the same time.
_DUMMY_HASH = _hasher.hash("compte-inexistant")

MIN_LENGTH = 12


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; a missing hash still spends one verification."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with older parameters (upgrade it at the next login)."""
    return _hasher.check_needs_rehash(password_hash)


def policy_error(password: str) -> str | None:
    """A French message when a chosen password is too weak, else None (CLI and admin page)."""
    if len(password) < MIN_LENGTH:
        return f"Le mot de passe doit contenir au moins {MIN_LENGTH} caractères."
    return None
