"""etp.chiffres: only the digits 0-9 are a number typed or read."""

from __future__ import annotations

import pytest

from etp.chiffres import que_des_chiffres


@pytest.mark.parametrize("texte", ["0", "2022", "00035"])
def test_ascii_digits_are_digits(texte):
    assert que_des_chiffres(texte)


@pytest.mark.parametrize("texte", ["", "²", "2²", "٣", "-1", "1.5", " 1", "1e3", "１２"])
def test_what_str_isdigit_or_int_would_take_is_not(texte):
    assert not que_des_chiffres(texte)
