"""leases and processed updates: replicas on one database

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("leases",
    sa.Column("name", sa.String(length=100), nullable=False),
    sa.Column("holder", sa.String(length=200), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("name", name=op.f("pk_leases"))
    )
    op.create_table("processed_updates",
    sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("update_id", name=op.f("pk_processed_updates"))
    )
    with op.batch_alter_table("processed_updates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_processed_updates_received_at"), ["received_at"], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("processed_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_processed_updates_received_at"))

    op.drop_table("processed_updates")
    op.drop_table("leases")
