"""Schéma initial : référentiel, structures, annexes, états mensuels, imports, comptes.

The schema of the first version (2026-11-29): régions, départements, structures, annexes
financières, monthly states, the import log, accounts, organisations and memberships.

Revision ID: 0001
Revises:
Create Date: 2026-11-29 04:00:06

A database made by ``create_all`` before migrations already has some or all of these tables:
each is created only when missing (``etp.migrations.legacy``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from etp.migrations.legacy import missing_table

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    if missing_table("region"):
        op.create_table(
            "region",
            sa.Column("code", sa.String(length=3), nullable=False),
            sa.Column("libelle", sa.String(length=80), nullable=False),
            sa.PrimaryKeyConstraint("code"),
        )
    if missing_table("departement"):
        op.create_table(
            "departement",
            sa.Column("code", sa.String(length=3), nullable=False),
            sa.Column("libelle", sa.String(length=80), nullable=False),
            sa.Column("region_code", sa.String(length=3), nullable=True),
            sa.ForeignKeyConstraint(["region_code"], ["region.code"]),
            sa.PrimaryKeyConstraint("code"),
        )
        op.create_index("ix_departement_region_code", "departement", ["region_code"])
    if missing_table("structure"):
        op.create_table(
            "structure",
            sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("siret", sa.String(length=14), nullable=True),
            sa.Column("denomination", sa.String(length=255), nullable=False),
            sa.Column("code_insee", sa.String(length=5), nullable=True),
            sa.Column("commune", sa.String(length=120), nullable=True),
            sa.Column("date_modification", sa.DateTime(), nullable=True),
            sa.Column("import_id", sa.Integer(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_structure_siret", "structure", ["siret"])
    if missing_table("annexe_financiere"):
        op.create_table(
            "annexe_financiere",
            sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("id_avenant_modification", sa.Integer(), nullable=False),
            sa.Column("numero", sa.String(length=20), nullable=False),
            sa.Column("numero_avenant_renouvellement", sa.Integer(), nullable=False),
            sa.Column("numero_avenant_modification", sa.Integer(), nullable=False),
            sa.Column("structure_id", sa.Integer(), nullable=False),
            sa.Column("mesure_code", sa.String(length=12), nullable=False),
            sa.Column("type_structure", sa.String(length=8), nullable=False),
            sa.Column("milieu_penitentiaire", sa.Boolean(), nullable=False),
            sa.Column("etat", sa.String(length=16), nullable=False),
            sa.Column("compte", sa.Boolean(), nullable=False),
            sa.Column("date_debut", sa.Date(), nullable=False),
            sa.Column("date_fin", sa.Date(), nullable=False),
            sa.Column("annee_debut", sa.Integer(), nullable=False),
            sa.Column("annee_fin", sa.Integer(), nullable=False),
            sa.Column("etp_postes_insertion", sa.Float(), nullable=True),
            sa.Column("duree_heure_annuel_etp", sa.Float(), nullable=True),
            sa.Column("montant_unitaire_annuel", sa.Float(), nullable=True),
            sa.Column("montant_total_annuel", sa.Float(), nullable=True),
            sa.Column("mt_cofinance", sa.Float(), nullable=True),
            sa.Column("departement_code", sa.String(length=3), nullable=False),
            sa.Column("region_code", sa.String(length=3), nullable=True),
            sa.Column("import_id", sa.Integer(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_af_annees", "annexe_financiere", ["annee_debut", "annee_fin"])
        op.create_index(
            "ix_af_dep_type", "annexe_financiere", ["departement_code", "type_structure"]
        )
        for colonne in (
            "compte",
            "departement_code",
            "numero",
            "region_code",
            "structure_id",
            "type_structure",
        ):
            op.create_index(f"ix_annexe_financiere_{colonne}", "annexe_financiere", [colonne])
    if missing_table("etat_mensuel"):
        op.create_table(
            "etat_mensuel",
            sa.Column("af_id", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("annee", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("mois", sa.Integer(), autoincrement=False, nullable=False),
            sa.Column("heures", sa.Float(), nullable=False),
            sa.Column("etat", sa.String(length=12), nullable=False),
            sa.Column("nb_salaries", sa.Integer(), nullable=False),
            sa.Column("nb_lignes", sa.Integer(), nullable=False),
            sa.Column("etats_discordants", sa.Boolean(), nullable=False),
            sa.Column("derniere_creation", sa.DateTime(), nullable=True),
            sa.Column("import_id", sa.Integer(), nullable=True),
            sa.PrimaryKeyConstraint("af_id", "annee", "mois"),
        )
        op.create_index("ix_etat_mensuel_annee", "etat_mensuel", ["annee", "af_id"])
    if missing_table("import_log"):
        op.create_table(
            "import_log",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("fichier", sa.String(length=255), nullable=False),
            sa.Column("vue", sa.String(length=64), nullable=False),
            sa.Column("checksum", sa.String(length=64), nullable=False),
            sa.Column("importe_le", sa.DateTime(), nullable=False),
            sa.Column("statut", sa.String(length=16), nullable=False),
            sa.Column("lignes_lues", sa.Integer(), nullable=False),
            sa.Column("lignes_gardees", sa.Integer(), nullable=False),
            sa.Column("lignes_rejetees", sa.Integer(), nullable=False),
            sa.Column("motifs", sa.Text(), nullable=False),
            sa.Column("date_donnees", sa.DateTime(), nullable=True),
            sa.Column("message", sa.Text(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_import_log_checksum", "import_log", ["checksum"])
    if missing_table("compte"):
        op.create_table(
            "compte",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("email", sa.String(length=254), nullable=False),
            sa.Column("nom", sa.String(length=120), nullable=True),
            sa.Column("password_hash", sa.String(length=255), nullable=False),
            sa.Column("actif", sa.Boolean(), nullable=False),
            sa.Column("est_admin", sa.Boolean(), nullable=False),
            sa.Column("derniere_connexion", sa.DateTime(), nullable=True),
            sa.Column("cree_le", sa.DateTime(), nullable=False),
            sa.Column("jeton_session", sa.String(length=32), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("email"),
        )
    if missing_table("organisation"):
        op.create_table(
            "organisation",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("kind", sa.String(length=12), nullable=False),
            sa.Column("departement_code", sa.String(length=3), nullable=True),
            sa.Column("region_code", sa.String(length=3), nullable=True),
            sa.Column("cle_structures", sa.String(length=255), nullable=True),
            sa.ForeignKeyConstraint(["departement_code"], ["departement.code"]),
            sa.ForeignKeyConstraint(["region_code"], ["region.code"]),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_organisation_kind", "organisation", ["kind"])
    if missing_table("organisation_structure"):
        op.create_table(
            "organisation_structure",
            sa.Column("organisation_id", sa.Integer(), nullable=False),
            sa.Column("structure_id", sa.Integer(), autoincrement=False, nullable=False),
            sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("organisation_id", "structure_id"),
        )
    if missing_table("adhesion"):
        op.create_table(
            "adhesion",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("user_id", sa.Integer(), nullable=False),
            sa.Column("organisation_id", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"], ondelete="CASCADE"),
            sa.ForeignKeyConstraint(["user_id"], ["compte.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("user_id", "organisation_id"),
        )
        op.create_index("ix_adhesion_organisation_id", "adhesion", ["organisation_id"])
        op.create_index("ix_adhesion_user_id", "adhesion", ["user_id"])


def downgrade() -> None:
    for table in (
        "adhesion",
        "organisation_structure",
        "organisation",
        "compte",
        "import_log",
        "etat_mensuel",
        "annexe_financiere",
        "structure",
        "departement",
        "region",
    ):
        op.drop_table(table)
