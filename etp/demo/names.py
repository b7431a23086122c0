"""French-looking structure names and valid-looking SIRET numbers for the demo.

Everything takes a ``random.Random`` so that the same seed gives the same names.
"""

from __future__ import annotations

import random

_ACI = (
    "Les Jardins de {commune}",
    "Jardins du Cœur {commune}",
    "Recyclerie de {commune}",
    "Chantier Nature et Patrimoine {commune}",
    "Ressourcerie {commune}",
    "Atelier Vélo Solidaire {commune}",
    "Potager Solidaire {commune}",
    "Régie de Quartier {commune}",
    "Bâtir Ensemble {commune}",
    "Les Ateliers du Pays de {commune}",
    "Environnement et Insertion {commune}",
    "Tremplin Bois {commune}",
)
_MARAICHAGE = (
    "Les Jardins de {commune}",
    "Jardins du Cœur {commune}",
    "Potager Solidaire {commune}",
)
_AI = (
    "Association Intermédiaire de {commune}",
    "Entraide Emploi {commune}",
    "Coup de Main {commune}",
    "Services Emploi {commune}",
    "AI Relais {commune}",
)
_EI = (
    "Envie {commune}",
    "Nettoyage Solidaire {commune}",
    "Restaurant d'Insertion {commune}",
    "Espaces Verts {commune} Insertion",
    "Logistique Solidaire {commune}",
    "Blanchisserie {commune}",
)
_ETTI = (
    "Intérim Solidaire {commune}",
    "ETTI Tremplin {commune}",
    "Emploi Intérim {commune}",
    "Passerelle Intérim {commune}",
)
_EITI = (
    "Coopérative des Indépendants {commune}",
    "Livreurs Solidaires {commune}",
    "Plateforme Indépendants {commune}",
)
_MP = (
    "Atelier du Centre pénitentiaire de {commune}",
    "Ateliers de la Maison d'arrêt de {commune}",
)

_PATTERNS = {"ACI": _ACI, "AI": _AI, "EI": _EI, "ETTI": _ETTI, "EITI": _EITI}


def denomination(
    rng: random.Random, type_structure: str, commune: str, *, prison: bool, maraichage: bool
) -> str:
    """A plausible name for a structure of that type in that commune."""
    if prison:
        patterns = _MP
    elif maraichage:
        patterns = _MARAICHAGE
    else:
        patterns = _PATTERNS[type_structure]
    return rng.choice(patterns).format(commune=commune)


def luhn_valid(digits: str) -> bool:
    """True when ``digits`` passes the Luhn check (as SIREN and SIRET numbers do)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _luhn_complete(prefix: str) -> str:
    """Append the one digit that makes ``prefix`` Luhn-valid."""
    for last in "0123456789":
        if luhn_valid(prefix + last):
            return prefix + last
    raise AssertionError("unreachable: one digit always completes a Luhn number")


def siret(rng: random.Random) -> str:
    """A 14-digit SIRET whose SIREN (9 digits) and whole number both pass the Luhn check.

    SIREN of associations and companies start with 3 to 8; the NIC of a head office is small.
    """
    siren = _luhn_complete(str(rng.randint(3, 8)) + f"{rng.randrange(10**7):07d}")
    nic = f"{rng.randint(1, 60):04d}"
    return _luhn_complete(siren + nic)
