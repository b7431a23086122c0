"""Cofinancement CD, journal des actions, notes de terrain, avis, bourse aux postes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 17:24:38

The schema of main on 2026-12-01, before migrations: the two co-financer columns of
``annexe_financiere`` (``id_financeur_code``, ``indic_cofinancement``: nullable, existing rows
keep their values and get null there until their file is imported again, exactly as the former
``ALTER TABLE`` of ``init_db`` did), the co-financing tables (``contrat``, ``montant_rsa``,
``emi_contrat``, ``brsa_mensuel``), the audit log (``journal``), field notes (``note_terrain``,
``note_terrain_version``), feedback (``avis``) and the bourse aux postes (``demande_ajustement``,
``scenario``, ``ligne_scenario``).

A database made by ``create_all`` before migrations may already have any of them: each table and
column is created only when missing (``etp.migrations.legacy``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from etp.migrations.legacy import missing_columns, missing_table

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None

COLONNES_COFINANCEUR = {
    "id_financeur_code": sa.String(length=60),
    "indic_cofinancement": sa.Boolean(),
}


def upgrade() -> None:
    manquantes = missing_columns("annexe_financiere", list(COLONNES_COFINANCEUR))
    if manquantes:
        # batch mode: SQLite adds a nullable column in place (ALTER TABLE … ADD COLUMN)
        with op.batch_alter_table("annexe_financiere") as batch_op:
            for nom in manquantes:
                batch_op.add_column(sa.Column(nom, COLONNES_COFINANCEUR[nom], nullable=True))

    if missing_table("contrat"):
        op.create_table(
            "contrat",
            sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
            sa.Column("salarie_rsa", sa.String(length=8), nullable=True),
            sa.Column("import_id", sa.Integer(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_contrat_import_id", "contrat", ["import_id"])
    if missing_table("montant_rsa"):
        op.create_table(
            "montant_rsa",
            sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("valeur", sa.Float(), nullable=False),
            sa.Column("date_debut", sa.Date(), nullable=False),
            sa.Column("date_fin", sa.Date(), nullable=True),
            sa.Column("code_dpt", sa.String(length=3), nullable=True),
            sa.Column("import_id", sa.Integer(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
    if missing_table("emi_contrat"):
        op.create_table(
            "emi_contrat",
            sa.Column("af_id", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("annee", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("mois", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("pph_id", sa.BigInteger(), autoincrement=False, nullable=False),
            sa.Column("ctr_id", sa.BigInteger(), autoincrement=False, nullable=False),
            sa.Column("milliheures", sa.BigInteger(), nullable=False),
            sa.PrimaryKeyConstraint("af_id", "annee", "mois", "pph_id", "ctr_id"),
        )
        op.create_index("ix_emi_contrat_ctr", "emi_contrat", ["ctr_id"])
    if missing_table("brsa_mensuel"):
        op.create_table(
            "brsa_mensuel",
            sa.Column("af_id", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("annee", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("mois", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("nb_salaries", sa.Integer(), nullable=False),
            sa.Column("heures", sa.Float(), nullable=False),
            sa.PrimaryKeyConstraint("af_id", "annee", "mois"),
        )
        op.create_index("ix_brsa_mensuel_annee", "brsa_mensuel", ["annee", "af_id"])

    if missing_table("journal"):
        op.create_table(
            "journal",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("horodatage", sa.DateTime(), nullable=False),
            sa.Column("action", sa.String(length=40), nullable=False),
            sa.Column("acteur_id", sa.Integer(), nullable=True),
            sa.Column("acteur_email", sa.String(length=254), nullable=True),
            sa.Column("cible", sa.String(length=254), nullable=True),
            sa.Column("adresse", sa.String(length=64), nullable=True),
            sa.Column("details", sa.Text(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_journal_acteur_email", "journal", ["acteur_email"])
        op.create_index("ix_journal_action", "journal", ["action"])
        op.create_index("ix_journal_horodatage", "journal", ["horodatage"])

    if missing_table("note_terrain"):
        op.create_table(
            "note_terrain",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("structure_id", sa.Integer(), nullable=False),
            sa.Column("auteur_id", sa.Integer(), nullable=False),
            sa.Column("auteur_nom", sa.String(length=254), nullable=False),
            sa.Column("organisation", sa.String(length=255), nullable=False),
            sa.Column("date_note", sa.Date(), nullable=False),
            sa.Column("categorie", sa.String(length=16), nullable=False),
            sa.Column("texte", sa.Text(), nullable=False),
            sa.Column("cree_le", sa.DateTime(), nullable=False),
            sa.Column("modifie_le", sa.DateTime(), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_note_terrain_auteur_id", "note_terrain", ["auteur_id"])
        op.create_index("ix_note_terrain_structure_id", "note_terrain", ["structure_id"])
    if missing_table("note_terrain_version"):
        op.create_table(
            "note_terrain_version",
            sa.Column("note_id", sa.Integer(), nullable=False),
            sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("date_note", sa.Date(), nullable=False),
            sa.Column("categorie", sa.String(length=16), nullable=False),
            sa.Column("texte", sa.Text(), nullable=False),
            sa.Column("enregistre_le", sa.DateTime(), nullable=False),
            sa.Column("auteur_id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["note_id"], ["note_terrain.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("note_id", "version"),
        )

    if missing_table("avis"):
        op.create_table(
            "avis",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("date", sa.DateTime(), nullable=False),
            sa.Column("note", sa.Integer(), nullable=False),
            sa.Column("indicateur_utilise", sa.Boolean(), nullable=True),
            sa.Column("commentaire", sa.Text(), nullable=True),
            sa.Column("onglet", sa.String(length=40), nullable=True),
            sa.Column("roles", sa.String(length=80), nullable=False),
            sa.Column("email", sa.String(length=254), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_avis_date", "avis", ["date"])

    if missing_table("demande_ajustement"):
        op.create_table(
            "demande_ajustement",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("af_id", sa.Integer(), nullable=False),
            sa.Column("annee", sa.Integer(), nullable=False),
            sa.Column("delta_etp", sa.Float(), nullable=False),
            sa.Column("mois", sa.Integer(), nullable=False),
            sa.Column("justification", sa.Text(), nullable=False),
            sa.Column("etat", sa.String(length=12), nullable=False),
            sa.Column("auteur", sa.String(length=254), nullable=False),
            sa.Column("cree_le", sa.DateTime(), nullable=False),
            sa.Column("reponse", sa.Text(), nullable=True),
            sa.Column("repondu_par", sa.String(length=254), nullable=True),
            sa.Column("repondu_le", sa.DateTime(), nullable=True),
            sa.Column("scenario_id", sa.Integer(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_demande_ajustement_af_id", "demande_ajustement", ["af_id"])
        op.create_index("ix_demande_ajustement_annee", "demande_ajustement", ["annee"])
        op.create_index("ix_demande_ajustement_etat", "demande_ajustement", ["etat"])
    if missing_table("scenario"):
        op.create_table(
            "scenario",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("nom", sa.String(length=120), nullable=False),
            sa.Column("annee", sa.Integer(), nullable=False),
            sa.Column("auteur", sa.String(length=254), nullable=False),
            sa.Column("organisation_id", sa.Integer(), nullable=False),
            sa.Column("cree_le", sa.DateTime(), nullable=False),
            sa.Column("modifie_le", sa.DateTime(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_scenario_organisation_id", "scenario", ["organisation_id"])
    if missing_table("ligne_scenario"):
        op.create_table(
            "ligne_scenario",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("scenario_id", sa.Integer(), nullable=False),
            sa.Column("af_id", sa.Integer(), nullable=False),
            sa.Column("delta_etp", sa.Float(), nullable=False),
            sa.Column("mois", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["scenario_id"], ["scenario.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_ligne_scenario_scenario_id", "ligne_scenario", ["scenario_id"])


def downgrade() -> None:
    for table in (
        "ligne_scenario",
        "scenario",
        "demande_ajustement",
        "avis",
        "note_terrain_version",
        "note_terrain",
        "journal",
        "brsa_mensuel",
        "emi_contrat",
        "montant_rsa",
        "contrat",
    ):
        op.drop_table(table)
    # SQLite: batch mode copies the table without the two columns, rows included
    with op.batch_alter_table("annexe_financiere") as batch_op:
        batch_op.drop_column("indic_cofinancement")
        batch_op.drop_column("id_financeur_code")
