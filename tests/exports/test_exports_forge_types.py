"""Forged export requests whose values are not even strings (JSON lists or objects, as a
hand-built ``/_dash-update-component`` POST can carry) must get nothing, not a server error."""

from __future__ import annotations

import pytest

from callbacks import exports
from layouts import ids

SIAE_2022 = {"annee": 2022, "structure": 1}


@pytest.mark.parametrize("fmt", [["xlsx"], {"xlsx": 1}, None, 1])
def test_unhashable_or_odd_format_serves_nothing(users, en_tant_que, fmt):
    with en_tant_que(users["siae"]):
        assert exports.fichier(ids.MENSUEL_KPIS, fmt, SIAE_2022) is None


@pytest.mark.parametrize("onglet", [["mensuel"], {"$ne": 1}, None])
def test_unhashable_tab_serves_nothing(users, en_tant_que, onglet):
    with en_tant_que(users["siae"]):
        assert exports.tout(onglet, SIAE_2022) is None
