"""service days: a team's service figures per agent and transcript day, from a conversation audit

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("service_days",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("team", sa.String(length=50), nullable=False),
    sa.Column("day", sa.Date(), nullable=False),
    sa.Column("whole_team", sa.Boolean(), nullable=False),
    sa.Column("agent", sa.String(length=64), nullable=True),
    sa.Column("conversations", sa.Integer(), nullable=False),
    sa.Column("answered", sa.Integer(), nullable=False),
    sa.Column("first_response_mean", sa.Float(), nullable=True),
    sa.Column("first_response_p90", sa.Float(), nullable=True),
    sa.Column("customer_messages", sa.Integer(), nullable=False),
    sa.Column("answered_in_time", sa.Integer(), nullable=False),
    sa.Column("unanswered", sa.Integer(), nullable=False),
    sa.Column("agent_messages", sa.Integer(), nullable=False),
    sa.Column("flags", sa.Integer(), nullable=False),
    sa.Column("score_mean", sa.Float(), nullable=True),
    sa.Column("worst", sa.JSON(), nullable=False),
    sa.Column("audited_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("source", sa.String(length=500), nullable=False),
    sa.Column("audited_by", sa.Integer(), nullable=True),
    sa.CheckConstraint("(whole_team AND agent IS NULL) OR (NOT whole_team AND agent IS NOT NULL)",
                       name=op.f("ck_service_days_team_row_has_no_agent")),
    sa.ForeignKeyConstraint(["audited_by"], ["people.id"], name=op.f("fk_service_days_audited_by_people"),
                            ondelete="SET NULL"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_service_days")),
    sa.UniqueConstraint("team", "day", "agent", name="uq_service_days_team_day_agent")
    )
    with op.batch_alter_table("service_days", schema=None) as batch_op:
        batch_op.create_index("uq_service_days_team_row", ["team", "day"], unique=True,
                              sqlite_where=sa.text("whole_team"), postgresql_where=sa.text("whole_team"))


def downgrade() -> None:
    with op.batch_alter_table("service_days", schema=None) as batch_op:
        batch_op.drop_index("uq_service_days_team_row")

    op.drop_table("service_days")
