"""The dashboard header links: « Simulation » for funders, « Ma demande d'ajustement » for SIAE."""

from __future__ import annotations

import json

import pytest
from plotly.utils import PlotlyJSONEncoder

from callbacks import page


def _ids_du_layout() -> str:
    return json.dumps(page.layout().to_plotly_json(), cls=PlotlyJSONEncoder)


@pytest.mark.parametrize(
    ("role", "kw", "present", "absent"),
    [
        ("siae", {"structures": [1]}, "lien-demande-ajustement", "lien-simulation"),
        ("ddets", {"departement": "35"}, "lien-simulation", "lien-demande-ajustement"),
        ("dgefp", {}, "lien-simulation", "lien-demande-ajustement"),
    ],
)
def test_header_link_by_role(make_user, en_tant_que, role, kw, present, absent):
    user = make_user(f"{role}@x.test", role, **kw)
    with en_tant_que(user):
        texte = _ids_du_layout()
    assert f'"{present}"' in texte and f'"{absent}"' not in texte


def test_no_link_without_organisation(make_user, en_tant_que):
    user = make_user("admin@x.test", admin=True)
    with en_tant_que(user):
        texte = _ids_du_layout()
    assert "lien-simulation" not in texte and "lien-demande-ajustement" not in texte
