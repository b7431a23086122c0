"""Synthetic, deterministic fluxIAE data for the demo (``suivi-etp demo``).

The demo writes realistic AnnexeFinanciere, Structure and EtatMensuelIndiv files and loads them
through the real importer, so a fresh ``make run`` exercises the same path as production data.

:data:`DEMO_SIAE_STRUCTURE_IDS` are fixed whatever the seed: the demo SIAE account
(``siae@demo.test``) belongs to these two structures of département 35 (Ille-et-Vilaine), which
have an annexe financière in each of the three demo years.

Every demo account sees every use case (issue 11): in each département of
:data:`DEMO_DEPARTEMENTS_FINANCEURS` and each demo year, an AF shorter than 12 months, a clearly
over-consuming, a clearly under-consuming and an exactly conforme AF, and an amendment; in the
current year a late declarant. The demo SIAE sees an under- and an over-consumer, a conforme year,
a short AF, an amendment and a late declaration of its own. This holds from 30 structures up
(``tests/demo/test_demo_cas_usage.py`` checks it through each account's scope).
"""

from __future__ import annotations

#: ASP ids of the two structures of the demo SIAE account (département 35, AFs every year).
DEMO_SIAE_STRUCTURE_IDS: tuple[int, int] = (1001, 1002)

#: Départements of the demo funders' accounts: DDETS 35 and CD 31 (the DREETS Occitanie and the
#: DGEFP contain them). The demo guarantees every use case in each of them, every year.
DEMO_DEPARTEMENTS_FINANCEURS: tuple[str, ...] = ("35", "31")

__all__ = ["DEMO_DEPARTEMENTS_FINANCEURS", "DEMO_SIAE_STRUCTURE_IDS"]
