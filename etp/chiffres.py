"""One test for "a text made of the digits 0-9", before any ``int()`` of a typed value.

``str.isdigit`` also accepts superscripts and other scripts' digits (« ² », « ٣ »), which
``int`` then refuses or reads in another script: a forged ``?page=²`` became a 500. Every
parse of a number typed by a user, sent by a browser or read from a file asks this instead.
"""

from __future__ import annotations


def que_des_chiffres(texte: str) -> bool:
    """True for a non-empty text of ASCII digits only: ``"2022"``; not ``"²"``, ``"-1"``, ``""``."""
    return texte.isascii() and texte.isdigit()
