"""États mensuels par annexe et par année, rangés pour la lecture.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 10:20:00

The table ``etats_annee`` (``etp.etats_annee``): one row per AF × year holding the twelve months
of ``etat_mensuel``, which every view of a selection reads instead of the ``etat_mensuel`` rows.
An existing database gets it filled from its ``etat_mensuel`` rows, in the migration's
transaction; from then on the EMI import maintains it. And an index on
``etat_mensuel.derniere_creation``: the data date (its maximum) is read by every first view of a
selection, which scanned the table for it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    op.create_table(
        "etats_annee",
        sa.Column("af_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("annee", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("etats", sa.Text(), nullable=False),
        sa.Column("heures", sa.LargeBinary(), nullable=False),
        sa.Column("nb_salaries", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("af_id", "annee"),
    )
    # a database made by create_all of a schema that had it (tests) already has the index
    index = {i["name"] for i in sa.inspect(op.get_bind()).get_indexes("etat_mensuel")}
    if "ix_etat_mensuel_derniere_creation" not in index:
        op.create_index("ix_etat_mensuel_derniere_creation", "etat_mensuel", ["derniere_creation"])
    # the rows of the months already imported, packed by the code the import uses
    from etp.etats_annee import reconstruire

    reconstruire(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_etat_mensuel_derniere_creation", table_name="etat_mensuel")
    op.drop_table("etats_annee")
