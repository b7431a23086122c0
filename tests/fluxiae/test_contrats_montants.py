"""Import of fluxIAE_ContratMission and fluxIAE_RefMontantIae: same file rules as every vue
(line/column errors, atomic, idempotent), and the bRSA figures kept up to date whichever file
arrives last."""

from __future__ import annotations

import pytest
from cas_cofinancement import (
    LATER,
    contrats,
    etats,
    montants,
    tous_les_fichiers,
    write,
)
from cas_cofinancement import emi as emi_row
from sqlalchemy import select

from etp.fluxiae import FluxIAEError, import_paths
from etp.schema import (
    AnnexeFinanciere,
    BrsaMensuel,
    Contrat,
    EmiContrat,
    EtatMensuel,
    MontantRsa,
)

TABLES = (AnnexeFinanciere, EtatMensuel, Contrat, MontantRsa, EmiContrat, BrsaMensuel)


def _snapshot(engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {
            m.__tablename__: sorted(tuple(r) for r in conn.execute(select(*m.__table__.columns)))
            for m in TABLES
        }


def _brsa(engine) -> dict[tuple[int, int], tuple[int, float]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(BrsaMensuel.af_id, BrsaMensuel.mois, BrsaMensuel.nb_salaries, BrsaMensuel.heures)
        ).all()
    return {(a, m): (n, h) for a, m, n, h in rows}


#: stored for every month whatever its state (February is SAISI): validity is applied on read
ATTENDU = {
    (1000, 1): (2, 101.2),
    (1000, 2): (1, 100.0),
    (1000, 4): (1, 120.0),
    (2000, 7): (5, 400.0),
    (2000, 8): (4, 320.0),
    (4000, 3): (1, 50.0),
}


def _approx(d):
    return {k: (n, pytest.approx(h)) for k, (n, h) in d.items()}


def test_one_delivery(engine, tmp_path):
    import_paths(engine, list(tous_les_fichiers(tmp_path).values()))
    assert _brsa(engine) == _approx(ATTENDU)
    with engine.connect() as conn:
        assert conn.execute(select(Contrat.salarie_rsa).where(Contrat.id == 18)).scalar() is None
        stored = conn.execute(select(MontantRsa.id, MontantRsa.code_dpt)).all()
    assert sorted(stored) == [(1, None), (2, None), (3, "976")]  # MT_AN_ETP_ACI set aside


def test_a_national_recomputation_gives_what_the_per_af_one_gives(engine, tmp_path, monkeypatch):
    """More AF-months than one chunk (a national file): one aggregate over every AF of the
    years instead of one per chunk of AFs; the same figures. (The staged EMI path: the direct
    one computes its AF-months' bRSA figures as it reads, compared with this SQL in
    test_etats_voie_directe.py.)"""
    from etp.fluxiae import brsa, etats

    monkeypatch.setattr(etats, "DIRECT", False)
    appels = []
    original = brsa._agregat

    def espion(afs, annees):
        appels.append(afs)
        return original(afs, annees)

    monkeypatch.setattr(brsa, "_agregat", espion)
    monkeypatch.setattr(brsa, "CHUNK", 2)
    import_paths(engine, list(tous_les_fichiers(tmp_path).values()))
    assert None in appels  # the national form ran
    assert _brsa(engine) == _approx(ATTENDU)


def test_contracts_arriving_after_the_monthly_states(engine, tmp_path):
    files = tous_les_fichiers(tmp_path)
    first = [
        files[v] for v in ("Structure", "AnnexeFinanciere", "RefMontantIae", "EtatMensuelIndiv")
    ]
    import_paths(engine, first)
    assert _brsa(engine) == {}  # no contract known yet: nobody is bRSA
    report = import_paths(engine, [files["ContratMission"]])
    assert report.files[0].rows_kept == len(contrats())
    assert _brsa(engine) == _approx(ATTENDU)


def test_reimport_changes_nothing(engine, tmp_path):
    files = list(tous_les_fichiers(tmp_path).values())
    import_paths(engine, files)
    before = _snapshot(engine)
    report = import_paths(engine, files)
    assert {f.status for f in report.files} == {"deja_importe"}
    assert _snapshot(engine) == before


def test_a_later_emi_delivery_replaces_the_month(engine, tmp_path):
    import_paths(engine, list(tous_les_fichiers(tmp_path / "a").values()))
    # January of AF 1000 again: p1 now 0 h, p5 unchanged
    janvier = [r for r in etats() if r["emi_afi_id"] == 1000 and r["emi_sme_mois"] == 1]
    for r in janvier:
        if r["emi_pph_id"] == 1:
            r["emi_nb_heures_travail"] = 0.0
    import_paths(engine, [write(tmp_path / "b", "EtatMensuelIndiv", janvier, when=LATER)])
    attendu = {**ATTENDU, (1000, 1): (1, 1.2)}
    assert _brsa(engine) == _approx(attendu)


def test_a_contract_changing_rsa_situation_updates_the_months(engine, tmp_path):
    import_paths(engine, list(tous_les_fichiers(tmp_path / "a").values()))
    modifies = [dict(c) for c in contrats() if c["contrat_id_ctr"] in (11, 13)]
    for c in modifies:
        c["contrat_salarie_rsa"] = "NON" if c["contrat_id_ctr"] == 11 else "OUI-NM"
    import_paths(engine, [write(tmp_path / "b", "ContratMission", modifies, when=LATER)])
    # January: p1 out, p3 (151,67 h) in; April: p1 out
    attendu = {**ATTENDU, (1000, 1): (2, 152.87)}
    del attendu[(1000, 2)], attendu[(1000, 4)]
    assert _brsa(engine) == _approx(attendu)


def test_an_older_contract_file_does_not_replace_a_later_one(engine, tmp_path):
    import_paths(engine, list(tous_les_fichiers(tmp_path / "a").values()))
    later = [dict(c) for c in contrats() if c["contrat_id_ctr"] == 11]
    later[0]["contrat_salarie_rsa"] = "NON"
    import_paths(engine, [write(tmp_path / "b", "ContratMission", later, when=LATER)])
    before = _snapshot(engine)
    old = [dict(c) for c in contrats() if c["contrat_id_ctr"] == 11]
    old[0]["contrat_id_pph"] = 999  # another content, older extraction (between the two)
    from datetime import datetime

    report = import_paths(
        engine,
        [write(tmp_path / "c", "ContratMission", old, when=datetime(2023, 1, 20, 6, 30))],
    )
    assert report.files[0].skipped
    assert _snapshot(engine) == before


@pytest.mark.parametrize(
    ("vue", "rows", "line", "column"),
    [
        # DEB line 1, header line 2: the third data row is line 5
        ("ContratMission", "rsa_inconnu", 5, "contrat_salarie_rsa"),
        ("ContratMission", "ctr_absent", 4, "contrat_id_ctr"),
        ("ContratMission", "ctr_texte", 3, "contrat_id_ctr"),
        ("RefMontantIae", "fin_avant_debut", 4, "rmi_date_fin_effet"),
        ("RefMontantIae", "valeur_absente", 3, "rmi_valeur"),
        ("RefMontantIae", "valeur_texte", 3, "rmi_valeur"),
        ("RefMontantIae", "date_invalide", 4, "rmi_date_debut_effet"),
        ("RefMontantIae", "departement_inconnu", 5, "code_dpt"),
    ],
)
def test_refused_file_names_line_and_column_and_changes_nothing(
    engine, tmp_path, vue, rows, line, column
):
    import_paths(engine, list(tous_les_fichiers(tmp_path / "a").values()))
    before = _snapshot(engine)
    if vue == "ContratMission":
        data = [dict(c, contrat_salarie_rsa=None) for c in contrats()]  # would change bRSA
        if rows == "rsa_inconnu":
            data[2]["contrat_salarie_rsa"] = "OUI"
        elif rows == "ctr_absent":
            data[1]["contrat_id_ctr"] = None
        else:
            data[0]["contrat_id_ctr"] = "C-12"
    else:
        data = [dict(m) for m in montants()]
        data[0]["rmi_valeur"] = 1.0  # a valid change that must not survive the refusal
        if rows == "fin_avant_debut":
            data[1]["rmi_date_fin_effet"] = "01/01/2022"
        elif rows == "valeur_absente":
            data[0]["rmi_valeur"] = None
        elif rows == "valeur_texte":
            data[0]["rmi_valeur"] = "cinq cents"
        elif rows == "date_invalide":
            data[1]["rmi_date_debut_effet"] = "31/02/2022"
        else:
            data[2]["code_dpt"] = "999"
    bad = write(tmp_path / "b", vue, data, when=LATER)
    # a good EMI file in the same call is rolled back with it
    good = write(
        tmp_path / "b", "EtatMensuelIndiv", [emi_row(99, 1000, 6, 1, 11, 50.0)], when=LATER
    )
    with pytest.raises(FluxIAEError) as caught:
        import_paths(engine, [good, bad])
    assert (caught.value.path, caught.value.line, caught.value.column) == (str(bad), line, column)
    assert _snapshot(engine) == before


def test_missing_column_is_named(engine, tmp_path):
    cols = ("contrat_id_ctr", "contrat_id_pph")
    rows = [{k: c[k] for k in cols} for c in contrats()]
    bad = write(tmp_path, "ContratMission", rows, columns=cols)
    with pytest.raises(FluxIAEError) as caught:
        import_paths(engine, [bad])
    assert (caught.value.line, caught.value.column) == (2, "contrat_salarie_rsa")


def test_personal_columns_are_never_stored(engine, tmp_path):
    import_paths(engine, list(tous_les_fichiers(tmp_path).values()))
    assert [c.name for c in Contrat.__table__.columns] == ["id", "salarie_rsa", "import_id"]
