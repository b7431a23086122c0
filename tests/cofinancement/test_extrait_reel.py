"""The real AF extract (les-emplois fixture, 2022): every co-financed AF gives its État / CD
split to the cent. Expected amounts are the file's own fields, read here independently of the
importer; the worked example is ACI029190009 in 2021: 74 681,79 € of 352 771,78 €."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from etp.cofinancement import charger
from etp.filters import Filtres
from etp.fluxiae import import_paths
from etp.scope import Scope

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "les-emplois"
AF = SAMPLES / "fluxIAE_AnnexeFinanciere_22022022_112211.csv"
COMPTES = {"VALIDE", "PROVISOIRE", "CLOTURE"}


def _rows_du_fichier() -> list[dict[str, str]]:
    lines = AF.read_text(encoding="utf-8-sig").splitlines()
    header = lines[1].split("|")
    return [dict(zip(header, line.split("|"), strict=True)) for line in lines[2:]]


def _versions_courantes() -> dict[str, dict[str, str]]:
    """Per AF number and year, the counted version with the highest modification number."""
    best: dict[tuple[str, int], dict[str, str]] = {}
    for r in _rows_du_fichier():
        if r["af_etat_annexe_financiere_code"] not in COMPTES:
            continue
        annee = datetime.strptime(r["af_date_debut_effet"], "%d/%m/%Y").year
        key = (r["af_numero_annexe_financiere"], annee)
        if key not in best or int(r["af_numero_avenant_modification"]) > int(
            best[key]["af_numero_avenant_modification"]
        ):
            best[key] = r
    return {f"{n}:{a}": r for (n, a), r in best.items() if float(r["af_mt_cofinance"] or 0) > 0}


@pytest.fixture
def base(engine):
    import_paths(engine, [SAMPLES / "fluxIAE_Structure_22022022_112211.csv", AF])
    return engine


def test_aci029190009_in_2021_to_the_cent(base):
    d = charger(base, Scope.everything(), Filtres(2021))
    row = d.par_af.set_index("numero_annexe_financiere").loc["ACI029190009"]
    assert round(row["montant_cd"], 2) == 74681.79
    assert round(row["montant_total"], 2) == 352771.78
    assert round(row["montant_etat"], 2) == 278089.99
    assert row["financeur"] == "CD FINISTERE"
    assert row["part_cd"] == pytest.approx(74681.79 / 352771.78, abs=1e-12)
    assert row["etp_annuel_conventionne_cd"] == pytest.approx(17.09 * 74681.79 / 352771.78)
    assert row["etp_annuel_conventionne_etat"] == pytest.approx(
        17.09 - 17.09 * 74681.79 / 352771.78
    )


def test_every_cofinanced_af_of_the_extract(base):
    attendus = _versions_courantes()
    assert len(attendus) >= 10  # the extract's 17 co-financed rows, versions merged
    vus = set()
    for annee in (2018, 2019, 2020, 2021):
        d = charger(base, Scope.everything(), Filtres(annee))
        for _, row in d.par_af.iterrows():
            r = attendus[f"{row['numero_annexe_financiere']}:{annee}"]
            vus.add(f"{row['numero_annexe_financiere']}:{annee}")
            assert round(row["montant_cd"], 2) == float(r["af_mt_cofinance"])
            assert round(row["montant_total"], 2) == float(r["af_montant_total_annuel"])
            assert round(row["montant_etat"], 2) == round(
                float(r["af_montant_total_annuel"]) - float(r["af_mt_cofinance"]), 2
            )
            assert row["financeur"] == r["af_id_financeur_code"]
    assert vus == set(attendus)


def test_short_af_of_the_extract(base):
    """ACI972190115: May to December 2019 (8 months), total already for those months."""
    d = charger(base, Scope.everything(), Filtres(2019))
    row = d.par_af.set_index("numero_annexe_financiere").loc["ACI972190115"]
    assert row["nb_mois_conventionnes"] == 8
    assert row["etp_annuel_conventionne"] == pytest.approx(7.43 * 8 / 12)
    assert row["etp_annuel_conventionne_cd"] == pytest.approx(7.43 * 46543 / 100052.40 * 8 / 12)
    assert round(row["montant_cd"], 2) == 46543.00


def test_af_not_counted_is_not_in_the_view(base):
    """AF 29664 (CT MARTINIQUE, 2021) exists only as SAISI: it counts nowhere."""
    d = charger(base, Scope.everything(), Filtres(2021))
    assert 29664 not in set(d.par_af["id_annexe_financiere"])
