"""The direct path of the EMI import (``etats_direct``: AF-months aggregated in NumPy as the
blocks are parsed, ``emi_contrat`` written as they come) stores exactly what the staged fast
path and the exact reader store, on files made to be awkward: duplicates of ``emi_dsm_id``
within and across blocks and AF-months, ids in no order, discordant and unknown states, null
persons, contracts, hours and creation dates, a contract on several rows of a month, AF-months
spread over several blocks, AFs absent from the base, bRSA contracts, months stored from a
later extraction, a second file replacing months of a first. A file whose AF-months are not
together falls back to the staged path, and a refused file changes nothing."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import numpy as np
import pytest
from fluxiae_helpers import WHEN, af_row, emi_row, write
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, inspect, select

from etp.fluxiae import FluxIAEError, etats, etats_direct, etats_rapide, import_paths
from etp.schema import BrsaMensuel, EmiContrat, EtatMensuel, ImportLog

EMI = "EtatMensuelIndiv"
#: AFs of the generated files; 5000 is absent from AnnexeFinanciere (an anomaly, kept)
AFS = (1000, 1001, 1002, 5000)
BRSA = {
    90000 + k: ("OUI-M" if k % 3 == 0 else "OUI-NM" if k % 3 == 1 else "NON") for k in range(60)
}


@pytest.fixture
def base(engine, files):
    """AFs and contracts (some bRSA) in the base, as a delivery brings them before the EMI."""
    annexes = [
        af_row(af_id_annexe_financiere=a, af_id_avenant_modification=a * 10) for a in AFS[:3]
    ]
    contrats = [
        {"contrat_id_ctr": ctr, "contrat_id_pph": ctr, "contrat_salarie_rsa": rsa}
        for ctr, rsa in BRSA.items()
    ]
    import_paths(
        engine,
        [write(files, "AnnexeFinanciere", annexes), write(files, "ContratMission", contrats)],
    )
    return engine


def _mois_du_fichier(rng: random.Random, n_mois: int) -> list[tuple[int, int, int]]:
    tous = [(a, y, m) for a in AFS for y in (2022, 2023) for m in range(1, 13)]
    return rng.sample(tous, n_mois)


def _lignes(rng: random.Random, mois: list[tuple[int, int, int]], dsm0: int = 0) -> list[dict]:
    """Rows of ``mois`` (each AF-month's rows together), awkward on purpose."""
    lignes: list[dict] = []
    vus: list[int] = []
    for af, annee, m in mois:
        etats_du_mois = rng.choice(
            [["VALIDE"], ["VALIDE"], ["SAISI"], ["VALIDE", "SAISI"], ["BROUILLON", "DEBLOQUE"]]
        )
        for _ in range(rng.randint(1, 25)):
            if vus and rng.random() < 0.06:
                dsm = rng.choice(vus)  # a duplicate: the first line keeps it
            else:
                dsm = dsm0 + rng.randrange(1, 2**40)
                vus.append(dsm)
            pph = rng.randrange(8) + 70000 if rng.random() > 0.05 else None
            ctr = rng.choice(list(BRSA)[:12]) if rng.random() > 0.05 else None
            if rng.random() < 0.02:
                pph, ctr = 2**62 + rng.randrange(3), 2**62 - 1
            heures = rng.choice([round(rng.uniform(0, 160), 2), 0.0005, 0.0015, None, 1.0, -2.5])
            creation = rng.choice(
                [datetime(annee, m, 1) + timedelta(minutes=rng.randrange(200_000)), None]
            )
            etat = rng.choice(etats_du_mois) if rng.random() > 0.03 else "ANNULE"
            lignes.append(
                emi_row(
                    dsm,
                    emi_afi_id=af,
                    emi_sme_annee=annee,
                    emi_sme_mois=m,
                    emi_esm_etat_code=etat,
                    emi_pph_id=pph,
                    emi_ctr_id=ctr,
                    emi_nb_heures_travail=heures,
                    emi_date_creation=creation,
                )
            )
    return lignes


def _contenu(engine) -> tuple:
    """etat_mensuel (import id -> its file), emi_contrat, brsa_mensuel, import_log, sorted."""
    with engine.connect() as conn:
        fichiers = dict(conn.execute(select(ImportLog.id, ImportLog.fichier)).all())
        em = EtatMensuel.__table__
        mois = [(*r[:-1], fichiers.get(r[-1])) for r in conn.execute(select(em)).all()]
        contrats = conn.execute(select(EmiContrat.__table__)).all()
        brsa = conn.execute(select(BrsaMensuel.__table__)).all()
        il = ImportLog
        logs = conn.execute(
            select(
                il.fichier, il.statut, il.lignes_lues, il.lignes_gardees, il.lignes_rejetees,
                il.motifs, il.date_donnees, il.message,
            ).where(il.vue == EMI).order_by(il.id)
        ).all()  # fmt: skip
    return (
        sorted(mois),
        sorted(tuple(c) for c in contrats),
        sorted(tuple(b) for b in brsa),
        [tuple(r) for r in logs],
    )


def _vider(engine) -> None:
    with engine.begin() as conn:
        for table in (BrsaMensuel, EmiContrat, EtatMensuel):
            conn.execute(delete(table))
        conn.execute(delete(ImportLog).where(ImportLog.vue == EMI))


@pytest.fixture
def issues(monkeypatch):
    """What the direct path did with each file: ``fait``, ``declin`` or ``desordre``."""
    vues = []
    original = etats._import_direct

    def espion(*args, **kwargs):
        vues.append(original(*args, **kwargs))
        return vues[-1]

    monkeypatch.setattr(etats, "_import_direct", espion)
    return vues


MODES = {"direct": (True, True), "stage": (True, False), "exact": (False, False)}


def _importer(engine, appels: list[list], monkeypatch, mode: str) -> tuple:
    """Each list of paths imported by one call with the ``mode`` path, on emptied EMI tables:
    the contents and what each call refused."""
    rapide, direct = MODES[mode]
    monkeypatch.setattr(etats, "RAPIDE", rapide)
    monkeypatch.setattr(etats, "DIRECT", direct)
    _vider(engine)
    refus = []
    for paths in appels:
        try:
            import_paths(engine, paths)
        except FluxIAEError as error:
            refus.append(str(error))
    return _contenu(engine), refus


def _trois_voies(engine, appels, monkeypatch, issues) -> tuple:
    """The same calls by the three paths: equal results; returns them and the direct path's
    issues."""
    direct = _importer(engine, appels, monkeypatch, "direct")
    vues = list(issues)
    stage = _importer(engine, appels, monkeypatch, "stage")
    exact = _importer(engine, appels, monkeypatch, "exact")
    assert direct == exact
    assert stage == exact
    return direct, vues


@pytest.mark.parametrize("graine", [1, 2, 3])
def test_direct_path_stores_what_the_exact_reader_stores(base, files, monkeypatch, issues, graine):
    monkeypatch.setattr(etats_rapide, "BLOC", 1500)  # AF-months over several blocks
    rng = random.Random(graine)
    lignes = _lignes(rng, _mois_du_fichier(rng, 30))
    path = write(files, EMI, lignes, compression="gzip")
    (contenu, refus), vues = _trois_voies(base, [[path]], monkeypatch, issues)
    assert vues == ["fait"] and not refus
    mois, contrats, brsa, logs = contenu
    motifs = logs[0][5]
    assert "doublon emi_dsm_id" in motifs and "état inconnu" in motifs
    assert "discordants" in motifs and "AF absentes" in motifs
    assert brsa and len(contrats) > len(mois)
    sommes = [c for c in contrats if (c[3], c[4]) == (2**62, 2**62 - 1)]
    assert all(isinstance(c[5], int) for c in sommes)


def test_later_extraction_and_duplicates_across_stale_months(base, files, monkeypatch, issues):
    """A later file stored first; then an older one: its months already stored later are set
    aside *before* duplicates are dropped (an id seen first in a set-aside row is kept in a
    fresh month), in another call; then a third, later still, replaces months of the first."""
    monkeypatch.setattr(etats_rapide, "BLOC", 1200)
    rng = random.Random(7)
    mois = _mois_du_fichier(rng, 24)
    recent = write(files, EMI, _lignes(rng, mois[:12]), extract_date=WHEN + timedelta(days=30))
    anciennes = _lignes(rng, mois[6:18], dsm0=2**41)
    libre = next(
        (a, y, m) for a, y, m in _mois_du_fichier(rng, 96) if (a, y, m) not in mois
    )  # a month of neither file
    anciennes.append(
        emi_row(
            anciennes[0]["emi_dsm_id"],  # first seen in a month stored from the later file
            emi_afi_id=libre[0],
            emi_sme_annee=libre[1],
            emi_sme_mois=libre[2],
        )
    )
    ancien = write(files, EMI, anciennes, extract_date=WHEN)
    suivant = write(
        files, EMI, _lignes(rng, mois[3:9] + mois[18:]), extract_date=WHEN + timedelta(days=60)
    )
    (contenu, refus), vues = _trois_voies(
        base, [[recent], [ancien], [suivant]], monkeypatch, issues
    )
    assert vues == ["fait"] * 3 and not refus
    _mois, _contrats, _brsa, logs = contenu
    assert "extraction plus récente" in logs[1][5]
    stockes = {(m[0], m[1], m[2]) for m in contenu[0]}
    assert libre in stockes


def test_one_call_with_two_deliveries(base, files, monkeypatch, issues):
    """Two EMI files in one call (one transaction): the later extraction wins its months."""
    rng = random.Random(11)
    mois = _mois_du_fichier(rng, 16)
    premier = write(files, EMI, _lignes(rng, mois[:10]), extract_date=WHEN)
    second = write(files, EMI, _lignes(rng, mois[5:]), extract_date=WHEN + timedelta(days=1))
    (_c, refus), vues = _trois_voies(base, [[second, premier]], monkeypatch, issues)
    assert vues == ["fait", "fait"] and not refus


@pytest.mark.parametrize("ou", ["debut", "fin"])
def test_months_not_together_fall_back_to_the_staged_path(base, files, monkeypatch, issues, ou):
    """An AF-month met again once closed: the direct path (which had already written blocks
    when it is found at the end, into emi_contrat without its indexes on PostgreSQL) is rolled
    back and the staged path gives the same result; indexes as they were."""
    monkeypatch.setattr(etats_rapide, "BLOC", 1500)
    rng = random.Random(5)
    lignes = _lignes(rng, _mois_du_fichier(rng, 20))
    egare = lignes.pop(len(lignes) // 2 if ou == "fin" else 3)
    egare.update(emi_dsm_id=2**45, emi_esm_etat_code="VALIDE")  # counted in its month
    if ou == "fin":
        lignes.append(egare)
    else:
        lignes.insert(len(lignes) // 2, egare)
    index = _index(base)
    path = write(files, EMI, lignes)
    (_c, refus), vues = _trois_voies(base, [[path]], monkeypatch, issues)
    assert vues == ["desordre"] and not refus
    assert _index(base) == index


def _index(engine) -> tuple:
    inspecteur = inspect(engine)
    return (
        inspecteur.get_pk_constraint("emi_contrat")["constrained_columns"],
        sorted(i["name"] for i in inspecteur.get_indexes("emi_contrat")),
    )


def _tout(engine) -> dict:
    with engine.connect() as conn:
        return {
            m.__tablename__: sorted(tuple(r) for r in conn.execute(select(m.__table__)))
            for m in (EtatMensuel, EmiContrat, BrsaMensuel, ImportLog)
        }


@pytest.mark.parametrize("deja", [False, True])
def test_a_file_refused_late_changes_nothing(base, files, monkeypatch, issues, deja):
    """The direct path wrote blocks (into the table without its indexes when empty, on
    PostgreSQL) before the exact reader finds a bad line at the end: nothing changed but the
    refusal's log row, indexes back, same message as the exact reader's."""
    monkeypatch.setattr(etats_rapide, "BLOC", 1500)
    rng = random.Random(9)
    mois = _mois_du_fichier(rng, 20)
    if deja:
        import_paths(base, [write(files, EMI, _lignes(rng, mois[:8]))])
    avant, index = _tout(base), _index(base)
    lignes = _lignes(rng, mois[4:], dsm0=2**42)
    lignes.append(emi_row(2**43, emi_sme_mois=13))
    path = write(files, EMI, lignes, extract_date=WHEN + timedelta(days=1))
    with pytest.raises(FluxIAEError) as rapide:
        import_paths(base, [path])
    assert issues[-1] == "declin"
    apres = _tout(base)
    refus = [r for r in apres["import_log"] if r not in avant["import_log"]]
    assert len(refus) == 1 and "refuse" in refus[0]
    apres["import_log"] = avant["import_log"]
    assert apres == avant
    assert _index(base) == index
    monkeypatch.setattr(etats, "RAPIDE", False)
    with pytest.raises(FluxIAEError) as exact:
        import_paths(base, [path])
    assert str(rapide.value) == str(exact.value)
    assert ":" in str(exact.value) and "emi_sme_mois" in str(exact.value)


def test_a_first_import_rebuilds_the_indexes_once(base, files, monkeypatch, issues):
    """PostgreSQL, emi_contrat empty: copied into without its indexes, built once at the end;
    SQLite: inserted into with them. Same rows as the exact reader (above), indexes back."""
    appels = []
    original = etats.index_reconstruits

    def espion(conn):
        appels.append(conn.dialect.name)
        return original(conn)

    monkeypatch.setattr(etats, "index_reconstruits", espion)
    index = _index(base)
    rng = random.Random(3)
    import_paths(base, [write(files, EMI, _lignes(rng, _mois_du_fichier(rng, 6)))])
    assert issues == ["fait"]
    assert appels == (["postgresql"] if base.dialect.name == "postgresql" else [])
    assert _index(base) == index
    # a second file: emi_contrat holds rows, no rebuild below the threshold
    autre = write(
        files, EMI, _lignes(rng, _mois_du_fichier(rng, 6)), extract_date=WHEN + timedelta(1)
    )
    import_paths(base, [autre])
    assert len(appels) == (1 if base.dialect.name == "postgresql" else 0)


def test_creation_years_below_1000_read_back_right(base, files, monkeypatch, issues):
    """``yyyymmddhhmmss`` keys of a year below 1000 (the strptime reading took 9990 for 0999
    and failed)."""
    lignes = [emi_row(1), emi_row(2, emi_sme_mois=2, emi_date_creation=datetime(1999, 3, 4))]
    path = write(files, EMI, lignes)
    path.write_bytes(path.read_bytes().replace(b"04/03/1999", b"04/03/0999"))
    (contenu, refus), vues = _trois_voies(base, [[path]], monkeypatch, issues)
    assert vues == ["fait"] and not refus
    assert [m[8] for m in contenu[0]] == [datetime(2022, 2, 3, 9, 15), datetime(999, 3, 4)]
    assert etats._from_key(20240229235959) == datetime(2024, 2, 29, 23, 59, 59)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=-(2**63), max_value=2**63 - 1) | st.integers(0, 40)),
        max_size=12,
    )
)
def test_dsm_vus_keeps_the_first_of_each_id(blocs):
    """Block by block, the mask of DsmVus is the first occurrence of each id in the file."""
    vus, reference = etats_direct.DsmVus(), set()
    for bloc in blocs:
        attendu = []
        for dsm in bloc:
            attendu.append(dsm not in reference)
            reference.add(dsm)
        masque = vus.premiers(np.array(bloc, dtype=np.int64))
        assert masque.tolist() == attendu
