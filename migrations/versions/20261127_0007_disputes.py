"""disputes: an agent's "这句没问题" under a flagged draft

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("disputes",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("person_id", sa.Integer(), nullable=False),
    sa.Column("team", sa.String(length=50), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("chat_id", sa.BigInteger(), nullable=False),
    sa.Column("message_id", sa.BigInteger(), nullable=False),
    sa.Column("rules", sa.JSON(), nullable=False),
    sa.Column("flags", sa.JSON(), nullable=False),
    sa.Column("draft", sa.Text(), nullable=False),
    sa.Column("state", sa.String(length=20), nullable=False),
    sa.Column("proposal_id", sa.Integer(), nullable=True),
    sa.Column("reviewer_id", sa.Integer(), nullable=True),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("note", sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_disputes_person_id_people"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["proposal_id"], ["proposals.id"], name=op.f("fk_disputes_proposal_id_proposals"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["reviewer_id"], ["people.id"], name=op.f("fk_disputes_reviewer_id_people"), ondelete="SET NULL"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_disputes")),
    sa.UniqueConstraint("chat_id", "message_id", name="uq_disputes_message")
    )
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.create_index("ix_disputes_state_team", ["state", "team"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.drop_index("ix_disputes_state_team")

    op.drop_table("disputes")
