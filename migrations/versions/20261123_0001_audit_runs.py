"""audit runs: the supervisors' 质检 history

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("lines_read", sa.Integer(), nullable=False),
        sa.Column("drafts_checked", sa.Integer(), nullable=False),
        sa.Column("drafts_flagged", sa.Integer(), nullable=False),
        sa.Column("drafts_blocked", sa.Integer(), nullable=False),
        sa.Column("per_rule", sa.JSON(), nullable=False),
        sa.Column("per_agent", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_runs")),
    )


def downgrade() -> None:
    op.drop_table("audit_runs")
