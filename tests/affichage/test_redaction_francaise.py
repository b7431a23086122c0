"""French wording (issue 11, points 7 and 8): agreement instead of "(s)", French collation of
every sorted list, translated DataTable texts, the page title once, no funders' tab for an SIAE.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd
import pytest
from builders import Donnees

from callbacks import filters
from etp import queries
from etp.collation import cle_fr, cle_serie_fr, par_valeur_distincte, trier_fr
from etp.filters import Filtres
from etp.formatting import accord, fmt_compte
from etp.scope import Scope
from etp.synthese import _etat_du_mois
from layouts import shell, tabs

RACINE = Path(__file__).resolve().parents[2]
#: Where the text a user reads is written: Python packages and the server-side templates.
PAQUETS = ("app", "auth", "callbacks", "layouts", "etp")
#: "ligne(s)", "validée(s)", "modifié(e)", "annexe(s)": agreement left to the reader.
PARENTHESE_ACCORD = re.compile(r"[^\W\d_]{2}\((?:s|e|es|e\)\(s)\)")


def _textes_python(chemin: Path) -> list[tuple[int, str]]:
    """String literals of a module, docstrings (developers' English) left out."""
    arbre = ast.parse(chemin.read_text(encoding="utf-8"))
    docstrings = set()
    for noeud in ast.walk(arbre):
        if isinstance(noeud, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            corps = noeud.body
            if (
                corps
                and isinstance(corps[0], ast.Expr)
                and isinstance(corps[0].value, ast.Constant)
            ):
                docstrings.add(id(corps[0].value))
    return [
        (n.lineno, n.value)
        for n in ast.walk(arbre)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
    ]


def test_no_parenthesised_agreement_in_what_users_read():
    trouves = []
    for paquet in PAQUETS:
        for chemin in sorted((RACINE / paquet).rglob("*.py")):
            for ligne, texte in _textes_python(chemin):
                if PARENTHESE_ACCORD.search(texte):
                    trouves.append(f"{chemin.relative_to(RACINE)}:{ligne}: {texte!r}")
        for chemin in sorted((RACINE / paquet).rglob("*.html")):
            for ligne, texte in enumerate(chemin.read_text(encoding="utf-8").splitlines(), 1):
                if PARENTHESE_ACCORD.search(texte):
                    trouves.append(f"{chemin.relative_to(RACINE)}:{ligne}: {texte.strip()}")
    assert not trouves, "\n".join(trouves)


def test_the_scan_finds_what_it_looks_for():
    assert PARENTHESE_ACCORD.search("12 ligne(s)") and PARENTHESE_ACCORD.search("validée(s)")
    assert not PARENTHESE_ACCORD.search("Effectif (ETP)") and not PARENTHESE_ACCORD.search("f(x)")


@pytest.mark.parametrize(
    ("n", "mot", "attendu"),
    [
        (12, "ligne", "12 lignes"),
        (1, "ligne", "1 ligne"),
        (0, "ligne", "0 ligne"),
        (1234, "ligne", "1\u202f234 lignes"),
        (2, "annexe modifiée", "2 annexes modifiées"),
        (1, "annexe modifiée", "1 annexe modifiée"),
    ],
)
def test_counts_agree_with_their_noun(n, mot, attendu):
    assert fmt_compte(n, mot) == attendu


def test_accord_puts_below_two_in_the_singular():
    assert [accord(n, "validée") for n in (0, 1, 1.5, 2)] == [
        "validée",
        "validée",
        "validée",
        "validées",
    ]


def test_a_month_with_non_validated_afs_is_worded_with_agreement():
    etats = ["SAISI"] * 4 + ["BROUILLON", None, "VALIDE"]
    assert _etat_du_mois(etats, [False] * 6 + [True], a_venir=False) == (
        "6 non validées : 4 saisies, 1 en brouillon, 1 non saisie"
    )
    assert _etat_du_mois(["SAISI", "VALIDE"], [False, True], a_venir=False) == (
        "1 non validée : 1 saisie"
    )


# --------------------------------------------------------------------------- collation

REGIONS = ["Occitanie", "Île-de-France", "Bretagne", "Hauts-de-France", "Grand Est"]


def test_french_order_puts_accented_capitals_with_their_letter():
    assert sorted(REGIONS)[-1] == "Île-de-France"  # what code-point order did
    assert trier_fr(REGIONS) == [
        "Bretagne",
        "Grand Est",
        "Hauts-de-France",
        "Île-de-France",
        "Occitanie",
    ]
    assert trier_fr(["Zinc", "Économie", "ecole", "Œuvre", "Oasis"]) == [
        "ecole",
        "Économie",
        "Oasis",
        "Œuvre",
        "Zinc",
    ]
    assert cle_fr("Île") < cle_fr("Ivry") < cle_fr("Jura")


def test_pandas_key_sorts_text_in_french_and_leaves_numbers_alone():
    noms = pd.Series(["Zèbre", "Écluse", "avenir", None])
    ordre = noms.sort_values(key=cle_serie_fr, na_position="last").tolist()
    assert ordre[:3] == ["avenir", "Écluse", "Zèbre"] and pd.isna(ordre[3])
    nombres = pd.Series([10, 9, 100], dtype=object)
    assert nombres.sort_values(key=cle_serie_fr).tolist() == [9, 10, 100]
    # repeated names (12 monthly rows per AF) and every kind of missing value
    repetes = pd.Series(["Zèbre", "Écluse", float("nan"), "Zèbre", pd.NA, "avenir", "Écluse"])
    ordre = repetes.sort_values(key=cle_serie_fr, na_position="last").tolist()
    assert ordre[:5] == ["avenir", "Écluse", "Écluse", "Zèbre", "Zèbre"]
    assert all(pd.isna(v) for v in ordre[5:])


def test_a_function_mapped_once_per_distinct_value_gives_what_map_gives():
    appels: list = []

    def libelle(v):
        appels.append(v)
        return "–" if v is None or v is pd.NA or v != v else f"« {v} »"

    for serie in (
        pd.Series(["Zèbre", None, "Écluse", "Zèbre", pd.NA, "Zèbre"], index=[5, 3, 9, 1, 0, 2]),
        pd.Series([3, 1, None, 3], dtype="Int64"),
        pd.Series([2.5, float("nan"), 2.5]),
        pd.Series([], dtype=object),
    ):
        attendu = serie.map(libelle)
        appels.clear()
        obtenu = par_valeur_distincte(serie, libelle)
        assert obtenu.tolist() == attendu.tolist()
        assert obtenu.index.tolist() == serie.index.tolist()
        assert len(appels) == serie.nunique() + int(serie.isna().sum())


def test_the_region_filter_lists_ile_de_france_with_the_i(engine):
    d = Donnees(engine)
    d.structure(1, "Structure de Paris")
    d.structure(2, "Atelier Toulousain")
    d.structure(3, "Écrivains Rennais")
    d.structure(4, "Zéphyr Rennes")
    d.af(numero="EI075220001", structure_id=1, departement="75")
    d.af(numero="EI031220002", structure_id=2, departement="31")
    d.af(numero="EI035220003", structure_id=3, departement="35")
    d.af(numero="EI035220004", structure_id=4, departement="35")
    options = queries.options_filtres(engine, Scope.everything(), Filtres(annee=2022))
    assert [lib for _, lib in options["regions"]] == ["Bretagne", "Île-de-France", "Occitanie"]
    assert [lib.split(" - ")[0] for _, lib in options["structures"]] == [
        "Atelier Toulousain",
        "Écrivains Rennais",
        "Structure de Paris",
        "Zéphyr Rennes",
    ]


# --------------------------------------------------------------------------- DataTable texts


def test_datatables_speak_french():
    """DataTable's English texts: the filter row's placeholder ("filter data...") is set in
    French on every filterable table, and the case toggle (title "Toggle filter case
    sensitivity") is hidden by the stylesheet, the filters being case-insensitive anyway."""
    from dash import dash_table

    from layouts import detail_annuel, detail_mensuel

    for vue in (detail_mensuel.VUE, detail_annuel.VUE):
        (table,) = _composants(vue.layout(), dash_table.DataTable)
        assert table.filter_action == "custom"
        assert table.filter_options == {"case": "insensitive", "placeholder_text": "Filtrer…"}
    css = (RACINE / "assets" / "style.css").read_text(encoding="utf-8")
    assert re.search(r"\.dash-filter--case\s*\{\s*display:\s*none", css)


# --------------------------------------------------------------------------- title and tabs


def _composants(racine, genre) -> list:
    """Every component of type ``genre`` in a layout tree."""
    trouves = [racine] if isinstance(racine, genre) else []
    enfants = getattr(racine, "children", None)
    if isinstance(racine, list | tuple):
        enfants = racine
    if isinstance(enfants, list | tuple):
        for e in enfants:
            trouves += _composants(e, genre)
    elif enfants is not None and not isinstance(enfants, str):
        trouves += _composants(enfants, genre)
    return trouves


def _textes(composant) -> list[str]:
    if isinstance(composant, str):
        return [composant]
    if isinstance(composant, list | tuple):
        return [t for c in composant for t in _textes(c)]
    if hasattr(composant, "to_plotly_json"):
        props = composant.to_plotly_json().get("props", {})
        return _textes(props.get("children")) + (
            [props["label"]] if isinstance(props.get("label"), str) else []
        )
    return []


@pytest.mark.parametrize("territoire", [True, False])
def test_page_title_once_and_no_funders_tab_for_an_siae(territoire):
    page = shell.layout(shell.PageContext(nom="X", show_territoire=territoire))
    textes = _textes(page)
    assert textes.count("Suivi des effectifs annuels et mensuels en ETP") == 1
    assert ("Synthèse financeur" in textes) is territoire
    onglets = [o.tab_id for o in tabs.onglets_pour(territoire)]
    assert ("financeurs" in onglets) is territoire
    attendu = "financeurs" if territoire else tabs.DEFAUT
    assert filters.onglet_de_query("?onglet=financeurs", territoire) == attendu
