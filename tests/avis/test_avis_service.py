"""etp.avis: answers checked and stored, NPS and its monthly trend computed by hand."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from etp import avis


def _reponse(note: int, **champs) -> avis.Reponse:
    valeurs = {
        "indicateur_utilise": True,
        "commentaire": "",
        "onglet": "mensuel",
        "roles": ("ddets",),
        "email": None,
    }
    return avis.Reponse(note=note, **{**valeurs, **champs})


def test_nps_by_hand():
    # 3 promoters (9, 10, 10), 2 passives (7, 8), 5 detractors (0..6): (3 - 5) / 10 = -20 points
    assert avis.nps([9, 10, 10, 7, 8, 0, 3, 5, 6, 6]) == pytest.approx(-20.0)
    assert avis.nps([10]) == 100.0
    assert avis.nps([6]) == -100.0
    assert avis.nps([7, 8]) == 0.0
    assert avis.nps([]) is None


def test_trend_per_month():
    frame = pd.DataFrame(
        {
            "date": [datetime(2026, 10, 3), datetime(2026, 10, 30), datetime(2026, 11, 2)],
            "note": [10, 2, 9],
        }
    )
    tendance = avis.tendance(frame)
    assert list(tendance["nb_reponses"]) == [2, 1]
    assert list(tendance["nps"]) == [0.0, 100.0]
    assert [m.month for m in tendance["mois"]] == [10, 11]


@pytest.mark.parametrize("note", [-1, 11])
def test_out_of_range_note_refused(note):
    with pytest.raises(avis.AvisInvalide, match="entre 0 et 10"):
        avis.verifier(_reponse(note))


def test_too_long_comment_refused():
    with pytest.raises(avis.AvisInvalide, match="2000"):
        avis.verifier(_reponse(8, commentaire="x" * 2001))


def test_stored_and_listed_newest_first(engine):
    avis.enregistrer(engine, _reponse(9, commentaire="  utile  "), datetime(2026, 11, 1, 10))
    avis.enregistrer(
        engine,
        _reponse(4, indicateur_utilise=None, roles=("siae", "siae"), email="a@b.fr"),
        datetime(2026, 11, 2, 10),
    )
    frame = avis.lister(engine)
    assert list(frame["note"]) == [4, 9]
    assert list(frame["roles"]) == ["siae", "ddets"]
    assert frame["commentaire"].iloc[1] == "utile"
    assert frame["email"].iloc[0] == "a@b.fr" and pd.isna(frame["email"].iloc[1])
    assert pd.isna(frame["indicateur_utilise"].iloc[0])
