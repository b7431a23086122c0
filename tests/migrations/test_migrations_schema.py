"""Schema migrations (issue 12, item 6): a database of the previous schema, or one made by
``create_all`` before migrations, reaches the last revision without losing a row, and the last
revision is exactly the models' schema. Each test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Engine, func, inspect, select, text
from sqlalchemy.orm import Session

import auth.models
from etp import migrations
from etp.db import init_db
from etp.schema import AnnexeFinanciere, Avis, Base, Region

#: The tables of the first deployed schema (2026-11-29), written out here rather than read from
#: revision 0001, with the columns each had then.
SCHEMA_PRECEDENT: dict[str, list[str]] = {
    "region": ["code", "libelle"],
    "departement": ["code", "libelle", "region_code"],
    "structure": [
        "id",
        "siret",
        "denomination",
        "code_insee",
        "commune",
        "date_modification",
        "import_id",
    ],
    "annexe_financiere": [
        "id",
        "id_avenant_modification",
        "numero",
        "numero_avenant_renouvellement",
        "numero_avenant_modification",
        "structure_id",
        "mesure_code",
        "type_structure",
        "milieu_penitentiaire",
        "etat",
        "compte",
        "date_debut",
        "date_fin",
        "annee_debut",
        "annee_fin",
        "etp_postes_insertion",
        "duree_heure_annuel_etp",
        "montant_unitaire_annuel",
        "montant_total_annuel",
        "mt_cofinance",
        "departement_code",
        "region_code",
        "import_id",
    ],
    "etat_mensuel": [
        "af_id",
        "annee",
        "mois",
        "heures",
        "etat",
        "nb_salaries",
        "nb_lignes",
        "etats_discordants",
        "derniere_creation",
        "import_id",
    ],
    "import_log": [
        "id",
        "fichier",
        "vue",
        "checksum",
        "importe_le",
        "statut",
        "lignes_lues",
        "lignes_gardees",
        "lignes_rejetees",
        "motifs",
        "date_donnees",
        "message",
    ],
    "compte": [
        "id",
        "email",
        "nom",
        "password_hash",
        "actif",
        "est_admin",
        "derniere_connexion",
        "cree_le",
        "jeton_session",
    ],
    "organisation": ["id", "kind", "departement_code", "region_code", "cle_structures"],
    "organisation_structure": ["organisation_id", "structure_id"],
    "adhesion": ["id", "user_id", "organisation_id"],
}

#: One or two rows per table of the previous schema, as its code wrote them.
LIGNES: dict[str, list[dict]] = {
    "region": [{"code": "53", "libelle": "Bretagne"}],
    "departement": [{"code": "35", "libelle": "Ille-et-Vilaine", "region_code": "53"}],
    "structure": [
        {
            "id": 1001,
            "siret": "12345678900011",
            "denomination": "Atelier du Port",
            "code_insee": "35238",
            "commune": "Rennes",
            "date_modification": datetime(2026, 10, 2, 9, 30),
            "import_id": 1,
        }
    ],
    "annexe_financiere": [
        {
            "id": 501,
            "id_avenant_modification": 7001,
            "numero": "ACI035260001A0M0",
            "numero_avenant_renouvellement": 0,
            "numero_avenant_modification": 0,
            "structure_id": 1001,
            "mesure_code": "ACI_DC",
            "type_structure": "ACI",
            "milieu_penitentiaire": False,
            "etat": "VALIDE",
            "compte": True,
            "date_debut": date(2026, 1, 1),
            "date_fin": date(2026, 12, 31),
            "annee_debut": 2026,
            "annee_fin": 2026,
            "etp_postes_insertion": 12.5,
            "duree_heure_annuel_etp": 1607.0,
            "montant_unitaire_annuel": 23_570.0,
            "montant_total_annuel": 294_625.0,
            "mt_cofinance": 1_234.56,
            "departement_code": "35",
            "region_code": "53",
            "import_id": 1,
        }
    ],
    "etat_mensuel": [
        {
            "af_id": 501,
            "annee": 2026,
            "mois": mois,
            "heures": 1_642.25 + mois,
            "etat": "VALIDE",
            "nb_salaries": 14,
            "nb_lignes": 16,
            "etats_discordants": False,
            "derniere_creation": datetime(2026, mois + 1, 5, 8, 0),
            "import_id": 2,
        }
        for mois in (1, 2)
    ],
    "import_log": [
        {
            "id": 1,
            "fichier": "fluxIAE_AnnexeFinanciere_01112026_063002.csv",
            "vue": "fluxIAE_AnnexeFinanciere",
            "checksum": "a" * 64,
            "importe_le": datetime(2026, 11, 1, 7, 0),
            "statut": "importe",
            "lignes_lues": 3,
            "lignes_gardees": 2,
            "lignes_rejetees": 1,
            "motifs": '{"état inconnu": 1}',
            "date_donnees": datetime(2026, 11, 1, 6, 30, 2),
            "message": None,
        }
    ],
    "compte": [
        {
            "id": 1,
            "email": "agent@ddets.gouv.fr",
            "nom": "Agent DDETS",
            "password_hash": "$argon2id$v=19$m=1024,t=1,p=1$c2VsZGVtZXI$aGFjaGU",
            "actif": True,
            "est_admin": False,
            "derniere_connexion": None,
            "cree_le": datetime(2026, 11, 29, 10, 0),
            "jeton_session": "0" * 32,
        }
    ],
    "organisation": [
        {"id": 1, "kind": "ddets", "departement_code": "35", "region_code": None},
        {"id": 2, "kind": "siae", "departement_code": None, "region_code": None},
    ],
    "organisation_structure": [{"organisation_id": 2, "structure_id": 1001}],
    "adhesion": [{"id": 1, "user_id": 1, "organisation_id": 1}],
}
for _org in LIGNES["organisation"]:
    _org["cle_structures"] = "1001" if _org["kind"] == "siae" else None

#: The tables revision 0002 adds (today's schema less the previous one).
TABLES_AJOUTEES = {
    "contrat",
    "montant_rsa",
    "emi_contrat",
    "brsa_mensuel",
    "journal",
    "note_terrain",
    "note_terrain_version",
    "avis",
    "demande_ajustement",
    "scenario",
    "ligne_scenario",
}


def _inserer(engine: Engine) -> None:
    with engine.begin() as conn:
        for table, lignes in LIGNES.items():
            colonnes = SCHEMA_PRECEDENT[table]
            conn.execute(
                text(
                    f"INSERT INTO {table} ({', '.join(colonnes)}) "
                    f"VALUES ({', '.join(':' + c for c in colonnes)})"
                ),
                lignes,
            )


def _contenu(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of the previous schema's tables, its columns only, in primary-key order."""
    contenu = {}
    with engine.connect() as conn:
        for table, colonnes in SCHEMA_PRECEDENT.items():
            cles = inspect(conn).get_pk_constraint(table)["constrained_columns"]
            contenu[table] = [
                tuple(r)
                for r in conn.execute(
                    text(f"SELECT {', '.join(colonnes)} FROM {table} ORDER BY {', '.join(cles)}")
                )
            ]
    return contenu


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def _colonnes(engine: Engine, table: str) -> list[str]:
    return [c["name"] for c in inspect(engine).get_columns(table)]


def _differences(engine: Engine) -> list:
    with engine.connect() as conn:
        return migrations.schema_differences(conn)


def _verifier_tete(engine: Engine) -> None:
    assert migrations.current(engine) == migrations.head()
    assert _differences(engine) == []
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM alembic_version")) == 1


def test_une_seule_derniere_revision():
    """Two branches that each added a revision after the same one leave two heads: the second
    merged must start from the first's (``down_revision``), else ``upgrade`` cannot choose."""
    assert len(migrations.heads()) == 1, (
        f"plusieurs dernières révisions {migrations.heads()} : faites partir la vôtre de l'autre"
    )


def test_base_neuve_creee_a_la_derniere_revision_egale_aux_modeles(base_vide):
    resultat = init_db(base_vide)
    assert (resultat.avant, resultat.apres, resultat.action) == (None, migrations.head(), "creee")
    _verifier_tete(base_vide)
    # every table of the models is there, and nothing else
    assert _tables(base_vide) == set(Base.metadata.tables)
    assert "compte" in _tables(base_vide)  # account tables: auth.models is on the metadata
    assert auth.models.User.__tablename__ == "compte"
    with Session(base_vide) as session:
        assert session.scalar(select(func.count()).select_from(Region)) == 18


def test_init_db_deux_fois_ne_change_rien(base_vide):
    init_db(base_vide)
    _inserer_tete(base_vide)
    avant = _contenu(base_vide)
    resultat = init_db(base_vide)
    assert resultat.action == "a_jour" and resultat.avant == resultat.apres == migrations.head()
    assert _contenu(base_vide) == avant
    _verifier_tete(base_vide)


def _inserer_tete(engine: Engine) -> None:
    """The previous schema's rows into a database at head (the referentiel is already there)."""
    lignes = {k: v for k, v in LIGNES.items() if k not in {"region", "departement"}}
    with engine.begin() as conn:
        for table, rangs in lignes.items():
            colonnes = SCHEMA_PRECEDENT[table]
            conn.execute(
                text(
                    f"INSERT INTO {table} ({', '.join(colonnes)}) "
                    f"VALUES ({', '.join(':' + c for c in colonnes)})"
                ),
                rangs,
            )


def test_revision_0001_est_le_schema_precedent(base_vide):
    migrations.upgrade(base_vide, migrations.BASELINE)
    assert migrations.current(base_vide) == "0001"
    assert _tables(base_vide) == set(SCHEMA_PRECEDENT)
    for table, colonnes in SCHEMA_PRECEDENT.items():
        assert _colonnes(base_vide, table) == colonnes, table


def _sans_referentiel(contenu: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    return {t: v for t, v in contenu.items() if t not in {"region", "departement"}}


def _verifier_donnees_gardees(engine: Engine, avant: dict[str, list[tuple]]) -> None:
    apres = _contenu(engine)
    # the référentiel load after the upgrade adds the other régions and départements
    for table in ("region", "departement"):
        assert set(avant[table]) <= set(apres[table])
    assert _sans_referentiel(apres) == _sans_referentiel(avant)
    assert all(avant[t] for t in avant)  # the comparison compared rows
    with Session(engine) as session:
        af = session.get(AnnexeFinanciere, 501)
        assert af is not None and af.numero == "ACI035260001A0M0"
        assert af.etp_postes_insertion == 12.5 and af.mt_cofinance == 1_234.56
        # what the former ALTER TABLE left: null until the AF file is imported again
        assert af.id_financeur_code is None and af.indic_cofinancement is None
        assert session.scalar(select(auth.models.User.email)) == "agent@ddets.gouv.fr"
        # the new tables take rows
        session.add(Avis(date=datetime(2026, 12, 1, 12, 0), note=9, roles="ddets"))
        session.commit()
        assert session.scalar(select(func.count()).select_from(Avis)) == 1


def test_base_du_schema_precedent_mise_a_jour_sans_perte(base_vide):
    """The issue's test: a database of the previous schema, versioned, with data."""
    migrations.upgrade(base_vide, migrations.BASELINE)
    _inserer(base_vide)
    avant = _contenu(base_vide)

    resultat = init_db(base_vide)

    assert (resultat.avant, resultat.apres, resultat.action) == (
        "0001",
        migrations.head(),
        "migree",
    )
    _verifier_tete(base_vide)
    assert _tables(base_vide) >= TABLES_AJOUTEES
    _verifier_donnees_gardees(base_vide, avant)
    # revision 0003 packed the months already imported for reading (etp.etats_annee)
    with base_vide.connect() as conn:
        lignes = conn.execute(text("SELECT af_id, annee, etats FROM etats_annee")).all()
    assert lignes == [(501, 2026, "VALIDE|VALIDE" + "|" * 10)]


def test_base_create_all_sans_version_reprise_sans_perte(base_vide):
    """A database made by the former init_db (create_all) of the previous schema: no
    alembic_version. It goes through the revisions, which add only what it lacks."""
    migrations.upgrade(base_vide, migrations.BASELINE)
    with base_vide.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
    _inserer(base_vide)
    avant = _contenu(base_vide)
    assert migrations.current(base_vide) is None

    resultat = init_db(base_vide)

    assert (resultat.avant, resultat.action) == (None, "reprise")
    _verifier_tete(base_vide)
    _verifier_donnees_gardees(base_vide, avant)
    assert init_db(base_vide).action == "a_jour"


def test_base_create_all_intermediaire_reprise(base_vide):
    """A database made by create_all between the two schemas: the co-financing columns
    (added by the former ALTER TABLE) and some new tables present, others missing."""
    presentes = [*SCHEMA_PRECEDENT, "contrat", "montant_rsa", "journal"]
    Base.metadata.create_all(base_vide, tables=[Base.metadata.tables[t] for t in presentes])
    _inserer(base_vide)
    with base_vide.begin() as conn:
        conn.execute(text("UPDATE annexe_financiere SET id_financeur_code = 'CD ILLE ET VILAINE'"))
        conn.execute(text("INSERT INTO contrat (id, salarie_rsa, import_id) VALUES (9, 'NON', 3)"))
    avant = _contenu(base_vide)

    resultat = init_db(base_vide)

    assert resultat.action == "reprise"
    _verifier_tete(base_vide)
    assert _sans_referentiel(_contenu(base_vide)) == _sans_referentiel(avant)
    with base_vide.connect() as conn:
        assert conn.scalar(text("SELECT id_financeur_code FROM annexe_financiere")) == (
            "CD ILLE ET VILAINE"
        )
        assert conn.execute(text("SELECT id, salarie_rsa FROM contrat")).all() == [(9, "NON")]


def test_base_create_all_complete_seulement_estampillee(base_vide):
    """create_all of today's models (what the former init_db made): nothing to create, the
    database is only stamped with the last revision."""
    Base.metadata.create_all(base_vide)
    _inserer(base_vide)
    avant = _contenu(base_vide)

    resultat = init_db(base_vide)

    assert (resultat.avant, resultat.apres, resultat.action) == (
        None,
        migrations.head(),
        "estampillee",
    )
    _verifier_tete(base_vide)
    assert _sans_referentiel(_contenu(base_vide)) == _sans_referentiel(avant)


def test_retour_a_0001_garde_les_lignes_puis_remonte(base_vide):
    """downgrade drops the later tables and the two columns (SQLite: batch copy of the table)
    and keeps the previous schema's rows; upgrading again gives them back null."""
    migrations.upgrade(base_vide, migrations.BASELINE)
    _inserer(base_vide)
    init_db(base_vide)
    with base_vide.begin() as conn:
        conn.execute(text("UPDATE annexe_financiere SET indic_cofinancement = :v"), {"v": True})
    avant = _contenu(base_vide)

    resultat = migrations.downgrade(base_vide, "0001")

    assert (resultat.avant, resultat.apres) == (migrations.head(), "0001")
    assert _tables(base_vide) == set(SCHEMA_PRECEDENT)
    assert _colonnes(base_vide, "annexe_financiere") == SCHEMA_PRECEDENT["annexe_financiere"]
    assert _contenu(base_vide) == avant
    init_db(base_vide)
    _verifier_tete(base_vide)
    _verifier_donnees_gardees(base_vide, avant)


@pytest.mark.parametrize("revision", ["0001", "head"])
def test_upgrade_jusqua_une_revision(base_vide, revision):
    resultat = migrations.upgrade(base_vide, revision)
    attendu = "0001" if revision == "0001" else migrations.head()
    assert (resultat.avant, resultat.apres, resultat.action) == (None, attendu, "creee")
    assert migrations.upgrade(base_vide, revision).action == "a_jour"


def test_base_a_une_revision_inconnue_refusee(base_vide):
    """A database upgraded by a newer version (or made on another branch) is left untouched."""
    init_db(base_vide)
    with base_vide.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(RuntimeError, match="révision 9999, que cette version"):
        init_db(base_vide)
    assert migrations.current(base_vide) == "9999"
    assert _tables(base_vide) == set(Base.metadata.tables)
