import math
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

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


@settings(max_examples=300, deadline=None)
@given(
    valeur=st.one_of(
        st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
        st.decimals(min_value=-10_000, max_value=10_000, places=3).map(float),
    ),
    decimales=st.integers(min_value=0, max_value=3),
)
def test_french_numbers_are_babels_own_formatting(valeur, decimales):
    """The patterns parsed once give exactly what babel's format_* functions give (half-even
    rounding of the decimal text, narrow no-break spaces…), e.g. for 2.675 or 0.125."""
    from babel.numbers import format_currency, format_decimal, format_percent

    frac = "." + "0" * decimales if decimales else ""
    assert f.fmt_etp(valeur, decimales) == format_decimal(
        valeur, format="#,##0" + frac, locale="fr_FR"
    )
    assert f.fmt_pct(valeur, decimales) == format_percent(
        valeur, format="#,##0" + frac + "\u00a0%", locale="fr_FR"
    )
    assert f.fmt_euros(valeur, decimales) == format_currency(
        valeur, "EUR", format="#,##0" + frac + "\u00a0¤", locale="fr_FR", currency_digits=False
    )
    assert f.fmt_nombre(valeur) == format_decimal(valeur, format="#,##0", locale="fr_FR")


# --------------------------------------------------------------------------- Babel's rendering

_VALEURS = st.one_of(
    st.floats(min_value=-1e13, max_value=1e13, allow_nan=False),
    st.decimals(min_value=-1e9, max_value=1e9, places=3).map(float),  # ties: 2.675, 0.125…
    st.sampled_from([0.0, -0.0, -0.004, 0.005, 2.675, 17.165, 999.995, 5e-324]),
)


@settings(max_examples=2000, deadline=None)
@given(_VALEURS, st.integers(0, 3))
def test_the_fast_rendering_is_babels(valeur, decimales):
    """fmt_etp / fmt_pct / fmt_euros render what Babel's fr_FR patterns render (half to even
    on the shortest decimal form, sign kept, narrow no-break spaces), digit for digit."""
    motif = "#,##0" + ("." + "0" * decimales if decimales else "")
    assert f.fmt_etp(valeur, decimales) == f._format(valeur, motif)
    assert f.fmt_pct(valeur, decimales) == f._format(valeur, motif + "\u00a0%")
    assert f.fmt_euros(valeur, decimales) == f._format(valeur, motif + "\u00a0¤", currency="EUR")
