"""The request form shows N−1 under the catalogue's titles (the same as the PDF and the
dashboard), not a label of its own."""

from __future__ import annotations

import html

from etp.catalogue import titre


def test_request_form_titles_n1_from_the_catalogue(monde):
    page = html.unescape(monde["siae1"].get("/bourse/demande?annee=2022&af=1").text)
    assert titre("n1.realise_n1") in page
    assert "N−1 à la même date" not in page
