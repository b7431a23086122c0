"""The indicator catalogue: one entry per figure, resolvable functions, docs that cannot drift."""

from __future__ import annotations

from pathlib import Path

import pytest

from etp.catalogue import CATALOGUE, KINDS, avec_table, indicateur, table_markdown
from etp.exports import KINDS as KINDS_EXPORT
from layouts.definitions import DEFINITIONS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "definitions.md"

#: The keys ``suivi-etp figures`` must print (issue 9).
CLES_EXIGEES = (
    "conventionne.etp_mensuel",
    "conventionne.etp_annuel",
    "realise.etp_mensuel_moyen",
    "realise.etp_annuel",
    "realise.taux",
    "statut_consommation",
    "projection.etp_annuel",
    "projection.montant",
    "projection.methode",
    "dernier_mois_valide.mois",
    "dernier_mois_valide.etp_realise",
    "dernier_mois_valide.etp_conventionne",
    "dernier_mois_valide.nb_af_valides",
    "dernier_mois_valide.nb_af",
    "serie.mois",
    "serie.nb_af",
    "serie.nb_af_valides",
    "serie.etp_conventionne",
    "serie.etp_conventionne_valide",
    "serie.etp_realise",
    "serie.taux_realisation",
    "n1.mois_compares",
    "n1.nb_af_comparees",
    "n1.nb_af_exclues",
    "n1.realise_n",
    "n1.realise_n1",
    "n1.evolution_etp",
    "n1.evolution_pct",
    "courtes.nb_af",
    "courtes.etp_mensuel_conventionne",
    "courtes.etp_annuel_conventionne",
    "courtes.montant",
)


def test_every_required_key_is_in_the_catalogue():
    assert [c for c in CLES_EXIGEES if c not in CATALOGUE] == []


@pytest.mark.parametrize("cle", sorted(CATALOGUE))
def test_entry_is_complete_and_its_function_exists(cle):
    i = indicateur(cle)
    assert i.cle == cle and i.titre and i.definition.endswith((".", ")"))
    assert i.kind in KINDS and (i.kind == "liste" or i.kind in KINDS_EXPORT)
    assert callable(i.calcul())
    # every figure has its (i): the help texts read the catalogue
    assert DEFINITIONS[cle] == (i.titre, i.definition)


def test_unknown_key_says_which():
    with pytest.raises(KeyError, match="inconnu du catalogue"):
        indicateur("projection.nimporte_quoi")


def test_docs_table_is_generated_from_the_catalogue():
    texte = DOCS.read_text(encoding="utf-8")
    assert texte == avec_table(texte), (
        "docs/definitions.md a dérivé du catalogue : "
        ".venv/bin/python -m etp.catalogue docs/definitions.md"
    )
    for i in CATALOGUE.values():
        assert f"| {i.titre} | `{i.cle}` |" in texte and f"`{i.fonction}`" in texte


def test_docs_table_lists_one_row_per_entry():
    lignes = [ligne for ligne in table_markdown().splitlines() if ligne.startswith("| ")]
    assert len(lignes) == len(CATALOGUE) + 1  # header
