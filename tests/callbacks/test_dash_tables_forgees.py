"""Detail-table inputs forged in a hand-built Dash request (page numbers as text or lists,
filter queries and sort orders of the wrong shape) get a normal page, never a server error."""

from __future__ import annotations

import pytest

from callbacks import detail_annuel, detail_mensuel

FORGES = [
    {"page_current": "abc", "page_size": "abc"},
    {"page_current": [1], "page_size": {"a": 1}},
    {"page_current": 10**12, "page_size": -5},
    {"page_current": True, "page_size": 10**9},
    {"sort_by": "mois"},
    {"sort_by": [{"column_id": ["mois"], "direction": "desc"}, "x", None]},
    {"fq": ["{mois} > 1"]},
    {"fq": {"$where": "1"}},
]


@pytest.mark.parametrize("forge", FORGES)
@pytest.mark.parametrize("onglet", [detail_mensuel, detail_annuel])
def test_forged_table_inputs_get_a_normal_page(users, en_tant_que, onglet, forge):
    with en_tant_que(users["siae"]):
        data, page_count, current, _ = onglet.reponse({"annee": 2022, "structure": 1}, **forge)
        normal, _, _, _ = onglet.reponse({"annee": 2022, "structure": 1})
    assert 0 <= current < page_count
    assert data  # the user's own rows, as without the forged values
    assert {r["numero_annexe_financiere"] for r in data} <= {
        r["numero_annexe_financiere"] for r in normal
    }
