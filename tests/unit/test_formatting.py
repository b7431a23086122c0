import math
from datetime import date

from etp import formatting as f

NNBSP = "\u202f"
NBSP = "\xa0"


def test_etp_two_decimals_with_comma():
    assert f.fmt_etp(103 / 6) == "17,17"
    assert f.fmt_etp(28 * 10 / 12) == "23,33"
    assert f.fmt_etp(1234.5) == f"1{NNBSP}234,50"


def test_percentages_and_euros():
    assert f.fmt_pct((103 / 12) / (28 * 10 / 12)) == f"37{NBSP}%"
    assert f.fmt_euros(1234.5) == f"1{NNBSP}234,50{NBSP}€"
    assert f.fmt_euros(1234.5, decimals=0) == f"1{NNBSP}234{NBSP}€"


def test_missing_values_show_a_dash():
    assert f.fmt_etp(None) == f.VIDE
    assert f.fmt_pct(math.nan) == f.VIDE


def test_signed_gap_dates_months_and_labels():
    assert f.fmt_ecart(-10.833333) == "-10,83"
    assert f.fmt_ecart(2.5) == "+2,50"
    assert f.fmt_date(date(2026, 11, 3)) == "03/11/2026"
    assert f.fmt_mois(2022, 8) == "août 2022"
    assert f.libelle_etat(None) == "Non saisi"
    assert f.libelle_statut("sous-consommation") == "Sous-consommation"
