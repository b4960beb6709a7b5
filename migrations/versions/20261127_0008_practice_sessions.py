"""practice sessions: the state of /practice in the database, so that any replica takes any reply

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("practice_sessions",
    sa.Column("person_id", sa.Integer(), autoincrement=False, nullable=False),
    sa.Column("scenario_id", sa.String(length=100), nullable=False),
    sa.Column("replies", sa.JSON(), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_practice_sessions_person_id_people"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("person_id", name=op.f("pk_practice_sessions"))
    )


def downgrade() -> None:
    op.drop_table("practice_sessions")
