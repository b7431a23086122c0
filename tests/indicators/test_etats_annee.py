"""``etats_annee``: the monthly states packed per AF × year give the indicators of the
``etat_mensuel`` rows, to the last bit (etp.etats_annee, etp.queries._charger)."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pytest
from builders import annexe_financiere, etat_mensuel, inserer
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from etp import etats_annee, queries
from etp.filters import Filtres
from etp.indicators_tableau import calculer
from etp.schema import AnnexeFinanciere, EtatMensuel, EtatsAnnee
from etp.scope import Scope

ETATS = ("VALIDE", "DEBLOQUE", "SAISI", "BROUILLON", "ANNULE")

ligne = st.tuples(
    st.integers(1, 40),  # af_id
    st.sampled_from([2024, 2025]),
    st.integers(1, 12),
    st.sampled_from(ETATS),
    st.floats(0, 5_000, allow_nan=False),
    st.integers(0, 300).map(float),
)


def _uniques(lignes: list[tuple]) -> list[tuple]:
    """One row per (AF, year, month), as the primary key of ``etat_mensuel`` wants."""
    vues: dict[tuple, tuple] = {}
    for row in lignes:
        vues.setdefault(row[:3], row)
    return list(vues.values())


@settings(max_examples=200, deadline=None)
@given(st.lists(ligne, max_size=120).map(_uniques))
def test_emballer_puis_deballer_rend_les_memes_mois(lignes):
    paquets = etats_annee.emballer(lignes)
    assert len(paquets) == len({(a, y) for a, y, *_ in lignes})
    attendu = {(a, y, m): (e, h, n) for a, y, m, e, h, n in lignes}
    cles = [(p["af_id"], p["annee"]) for p in paquets]
    index, mois, etat, heures, nb = etats_annee.deballer(
        [(p["etats"], p["heures"], p["nb_salaries"]) for p in paquets]
    )
    rendu = {
        (*cles[int(i)], int(m)): (e, float(h), float(n))
        for i, m, e, h, n in zip(index, mois, etat, heures, nb, strict=True)
    }
    assert rendu == attendu  # floats compared exactly: the same bytes


def test_une_annexe_sans_mois_ne_donne_aucun_etat():
    sans = (None, None, None)
    paquet = etats_annee.emballer([(7, 2025, 3, "SAISI", 12.5, 2.0)])[0]
    index, mois, etat, heures, nb = etats_annee.deballer(
        [sans, (paquet["etats"], paquet["heures"], paquet["nb_salaries"]), sans]
    )
    assert (index.tolist(), mois.tolist(), etat.tolist()) == ([1], [3], ["SAISI"])
    assert (heures.tolist(), nb.tolist()) == ([12.5], [2.0])
    assert etats_annee.deballer([sans, sans]) == ((), (), (), (), ())


def test_un_etat_contenant_le_separateur_est_refuse():
    with pytest.raises(etats_annee.EtatIllisible):
        etats_annee.emballer([(1, 2025, 1, "VA|LIDE", 1.0, 1.0)])


def _afs_aleatoires(rng: np.random.Generator, n: int) -> list[object]:
    rows: list[object] = []
    for i in range(n):
        af_id = 100 + i
        debut = date(2024 + int(rng.integers(0, 2)), int(rng.integers(1, 13)), 1)
        fin = date(debut.year + int(rng.integers(0, 2)), int(rng.integers(1, 13)), 28)
        rows.append(
            annexe_financiere(
                af_id,
                numero=f"ACI0{35 + i % 3}25{i:04d}",
                structure_id=1 + i % 5,
                debut=debut,
                fin=fin,
                c=float(rng.integers(1, 40)) / 2,
                h=float(rng.choice([1820.0, 1607.0, 1505.0])),
                aide=21_000.0,
                type_structure="ACI",
                departement=f"{35 + i % 3}",
            )
        )
        for annee in (2024, 2025):
            for mois in range(1, 13):
                if rng.random() < 0.3:
                    continue  # non saisi
                etat = str(rng.choice(ETATS[:4], p=[0.7, 0.1, 0.1, 0.1]))
                heures = round(float(rng.uniform(0, 4_000)), 2)
                creation = datetime(2025, 9, int(rng.integers(1, 28)))
                rows.append(etat_mensuel(af_id, annee, mois, etat, heures, creation=creation))
    return rows


def _reference(engine, annee: int, as_of) -> tuple[list[int], object]:
    """The indicators from the ``etat_mensuel`` rows themselves (no ``etats_annee``), for the
    AFs ``_charger`` reads, in its order."""
    af = AnnexeFinanciere
    with engine.connect() as conn:
        afs = conn.execute(
            select(
                af.id,
                af.date_debut,
                af.date_fin,
                af.etp_postes_insertion,
                af.duree_heure_annuel_etp,
                af.montant_unitaire_annuel,
            )
            .where(af.compte.is_(True), queries._annee_condition(annee))
            .order_by(af.departement_code, af.numero, af.id)
        ).all()
        em = EtatMensuel
        etats = conn.execute(
            select(em.af_id, em.mois, em.etat, em.heures, em.nb_salaries).where(em.annee == annee)
        ).all()
    position = {row[0]: i for i, row in enumerate(afs)}
    gardes = [e for e in etats if e[0] in position]
    colonnes = (
        [position[e[0]] for e in gardes],
        [e[1] for e in gardes],
        [e[2] for e in gardes],
        [float(e[3]) for e in gardes],
        [float(e[4]) for e in gardes],
    )
    ids, debuts, fins, c, h, aide = zip(*afs, strict=True)
    return list(ids), calculer(debuts, fins, c, h, aide, colonnes, annee, as_of)


@pytest.mark.parametrize("as_of", [None, (2025, 6)])
def test_les_indicateurs_lus_par_annee_sont_ceux_des_etats_mensuels(engine, as_of):
    inserer(engine, _afs_aleatoires(np.random.default_rng(12), 60))
    for annee in (2024, 2025):
        filtres = Filtres(annee=annee, as_of=as_of)
        lu = queries._charger(engine, Scope.everything(), filtres)
        quand = as_of or queries.as_of_par_defaut(engine)
        ids, reference = _reference(engine, annee, quand)
        assert lu.identites["id_annexe_financiere"] == ids and len(ids) > 10
        t = lu.tableau
        for nom in ("conventionne", "valide", "etat"):
            assert (getattr(t, nom) == getattr(reference, nom)).all(), nom
        for nom in ("heures", "nb_salaries", "etp_mensuel_realise", "taux_realisation_mensuel"):
            np.testing.assert_array_equal(getattr(t, nom), getattr(reference, nom), err_msg=nom)
        for nom, valeurs in reference.annuel.items():
            np.testing.assert_array_equal(t.annuel[nom], valeurs, err_msg=nom)
        assert t.statut_consommation == reference.statut_consommation


def test_reconstruire_une_annexe_ne_touche_pas_les_autres(engine):
    inserer(engine, _afs_aleatoires(np.random.default_rng(3), 8))
    with engine.connect() as conn:
        avant = sorted(tuple(r) for r in conn.execute(select(EtatsAnnee.__table__)))
    with engine.begin() as conn:
        conn.execute(
            EtatMensuel.__table__.update()
            .where(EtatMensuel.af_id == 101, EtatMensuel.annee == 2025)
            .values(etat="SAISI")
        )
        assert etats_annee.reconstruire(conn, [101]) in (1, 2)
    with engine.connect() as conn:
        apres = sorted(tuple(r) for r in conn.execute(select(EtatsAnnee.__table__)))
    changees = [a for a, b in zip(avant, apres, strict=True) if a != b]
    assert [r[:2] for r in changees] == [(101, 2025)]
    assert set(apres[[r[:2] for r in apres].index((101, 2025))][2].split("|")) <= {"SAISI", ""}
