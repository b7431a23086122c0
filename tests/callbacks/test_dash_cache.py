"""The cache of scoped reads: keyed by scope (never shared across perimeters), reused for the
same scope and filters, invalidated by a new import."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy.orm import Session

from app.extensions import cache
from app.local_cache import local_cache
from callbacks import context, detail_annuel
from etp import queries
from etp.filters import Filtres
from etp.schema import ImportLog
from etp.scope import Scope


def _appels(monkeypatch, module, nom: str) -> list[tuple]:
    """Replace ``module.nom`` by a wrapper recording the arguments of each call."""
    original = getattr(module, nom)
    appels: list[tuple] = []

    def enregistre(*args, **kwargs):
        appels.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, nom, enregistre)
    return appels


def test_same_filters_different_scopes_never_share_an_entry(users, en_tant_que):
    with en_tant_que(users["ddets"]):
        ddets, _, _, _ = detail_annuel.reponse({"annee": 2022})
    with en_tant_que(users["siae"]):
        siae, _, _, _ = detail_annuel.reponse({"annee": 2022})
    assert any("Atelier Rennais" in r["structure"] for r in ddets)
    assert [r["numero_annexe_financiere"] for r in siae] == ["EI035220001"]


def test_reads_are_memoized_and_an_import_invalidates_them(users, en_tant_que, engine, monkeypatch):
    appels = _appels(monkeypatch, queries, "indicateurs")
    filtres = Filtres(annee=2022)
    with en_tant_que(users["ddets"]):
        scope = context.scope()
        context.annuels(scope, filtres)
        context.annuels(scope, filtres)
        context.mensuels(scope, filtres)  # the same read gave the monthly frame
        assert len(appels) == 1
        with Session(engine) as s, s.begin():
            s.add(
                ImportLog(
                    fichier="f.csv",
                    vue="EtatMensuelIndiv",
                    checksum="x" * 64,
                    importe_le=datetime(2022, 10, 13),
                    statut="importe",
                )
            )
        context.annuels(scope, filtres)
        assert len(appels) == 2


def test_a_tab_is_rendered_once_per_scope_and_filters(users, en_tant_que, engine, monkeypatch):
    from callbacks import annuel, mensuel
    from etp import synthese
    from tests.callbacks.outils_dash import textes

    rendus = _appels(monkeypatch, synthese, "tableau_de_bord")
    with en_tant_que(users["ddets"]):
        premier = textes(mensuel.contenu({"annee": 2022}))
        assert textes(mensuel.contenu({"annee": 2022})) == premier
        assert len(rendus) == 1
        # another tab: its own rendering, from the same figures (computed once for both tabs)
        assert textes(annuel.contenu({"annee": 2022})) != premier
        assert len(rendus) == 1
    with en_tant_que(users["siae"]):
        siae = textes(mensuel.contenu({"annee": 2022}))
        assert len(rendus) == 2  # another scope never reuses the DDETS' figures
    assert siae != premier
    with Session(engine) as s, s.begin():
        s.add(
            ImportLog(
                fichier="g.csv",
                vue="EtatMensuelIndiv",
                checksum="y" * 64,
                importe_le=datetime(2022, 10, 14),
                statut="importe",
            )
        )
    with en_tant_que(users["ddets"]):
        mensuel.contenu({"annee": 2022})
    assert len(rendus) == 3  # a new import computes again


def test_sorted_detail_rows_are_memoized_per_sort_and_never_mixed(users, en_tant_que):
    from callbacks import detail, tables
    from layouts.detail_annuel import VUE

    colonnes = VUE.colonnes
    par_nom = [{"column_id": "structure", "direction": "asc"}]
    inverse = [{"column_id": "structure", "direction": "desc"}]
    with en_tant_que(users["ddets"]):
        df = detail.donnees_annuelles(context.scope(), Filtres(annee=2022))
        pages = {}
        for tri in (par_nom, inverse, par_nom, inverse):
            lignes, _, _, _ = detail_annuel.TABLEAU.reponse({"annee": 2022}, 0, 200, tri, "")
            # the same rows as sorting afresh (no cache), every time
            assert lignes == tables.page(df, colonnes, 2022, "", tri, 0, 200).data
            pages.setdefault(tri[0]["direction"], lignes)
    assert len(df) > 1 and pages["asc"] == pages["desc"][::-1]
    # a forged sort on unknown columns or directions is the same cache entry as no sort
    assert tables.tri_normalise(colonnes, [{"column_id": "pirate", "direction": "x"}]) == ()
    assert tables.tri_normalise(colonnes, [{"column_id": "structure", "direction": "x"}]) == (
        ("structure", "asc"),
    )


def test_the_funders_data_reuse_the_selections_cached_reads(users, en_tant_que, monkeypatch):
    from etp import pilotage

    lus = _appels(monkeypatch, queries, "indicateurs")
    n1 = _appels(monkeypatch, queries, "lire_realises_par_numero")
    filtres = Filtres(annee=2022)
    with en_tant_que(users["ddets"]):
        scope = context.scope()
        context.mensuels(scope, filtres)  # the default tab read this year's frames
        d = context.pilotage(scope, filtres)
        assert [f.annee for _, _, f in lus] == [2022]  # this year's frames not read again
        assert [f.annee for _, _, f in n1] == [2021]  # last year: only its realised ETP
        reference = pilotage.charger(context.engine(), scope, filtres)
    pd.testing.assert_frame_equal(d.annuel, reference.annuel)
    assert d.realises_n1 == reference.realises_n1


def test_frames_stay_local_and_views_are_shared(app, users, en_tant_que):
    filtres = Filtres(annee=2022)
    with en_tant_que(users["ddets"]):
        scope = context.scope()
        annuel, _ = context.indicateurs(scope, filtres)
        cle = context.cache_key("indicateurs", scope, filtres)
        assert local_cache().get(cle)[0] is annuel  # the same object, not a copy
        assert cache.get(cle) is None
        context.vue("essai", scope, filtres, lambda: ["rendu"])
        assert cache.get(context.cache_key("vue:essai", scope, filtres)) == ["rendu"]


def test_two_scopes_never_share_local_frames(app, users, en_tant_que):
    filtres = Filtres(annee=2022)
    with en_tant_que(users["siae"]):
        siae = context.annuels(context.scope(), filtres)
    with en_tant_que(users["ddets"]):
        ddets = context.annuels(context.scope(), filtres)
        assert context.annuels(Scope.nothing(), filtres).empty
    assert set(siae["structure_id"]) == {1}
    assert len(ddets) > len(siae)


def test_a_sorted_detail_table_shares_its_order_not_its_rows(app, users, en_tant_que):
    from callbacks import detail_mensuel, tables

    t = detail_mensuel.TABLEAU
    tri = [{"column_id": "structure", "direction": "desc"}]
    filtres = Filtres(annee=2022)
    with en_tant_que(users["ddets"]):
        scope = context.scope()
        lignes, _, _, _ = t.reponse({"annee": 2022}, 0, 5, tri)
        source = t.source.__name__
        df = local_cache().get(context.cache_key(f"memoire:lignes:{source}", scope, filtres))
        cle = context.cache_key(
            f"vue:ordre:{source}:{tables.tri_normalise(t.vue.colonnes, tri)!r}", scope, filtres
        )
        ordre = cache.get(cle)
    attendu = tables.filtrer_trier(df, t.vue.colonnes, 2022, "", tri)
    assert ordre.dtype.kind == "i" and len(ordre) == len(df)
    assert ordre.tolist() == df.index.get_indexer(attendu.index).tolist()
    page = tables.page_de(attendu, t.vue.colonnes, 2022, 0, 5)
    assert lignes == page.data


def test_an_order_that_does_not_fit_the_rows_is_not_used(app, users, en_tant_que):
    import numpy as np

    from callbacks import detail_mensuel, tables

    t = detail_mensuel.TABLEAU
    tri = [{"column_id": "structure", "direction": "asc"}]
    with en_tant_que(users["ddets"]):
        attendu, _, _, _ = t.reponse({"annee": 2022}, 0, 5, tri)
        scope, filtres = context.scope(), Filtres(annee=2022)
        cle = context.cache_key(
            f"vue:ordre:{t.source.__name__}:{tables.tri_normalise(t.vue.colonnes, tri)!r}",
            scope,
            filtres,
        )
        cache.set(cle, np.array([0], dtype=np.int32))  # an entry of other rows
        lignes, _, _, _ = t.reponse({"annee": 2022}, 0, 5, tri)
    assert lignes == attendu
