"""Synthetic, deterministic fluxIAE data for the demo (``suivi-etp demo``).

The demo writes realistic AnnexeFinanciere, Structure and EtatMensuelIndiv files and loads them
through the real importer, so a fresh ``make run`` exercises the same path as production data.

:data:`DEMO_SIAE_STRUCTURE_IDS` are fixed whatever the seed: the demo SIAE account
(``siae@demo.test``) belongs to these two structures of département 35 (Ille-et-Vilaine), which
have an annexe financière in each of the three demo years.
"""

from __future__ import annotations

#: ASP ids of the two structures of the demo SIAE account (département 35, AFs every year).
DEMO_SIAE_STRUCTURE_IDS: tuple[int, int] = (1001, 1002)

__all__ = ["DEMO_SIAE_STRUCTURE_IDS"]
