"""daily reports: each team's day reported once; charts in the outbox

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("daily_reports",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("team", sa.String(length=50), nullable=False),
    sa.Column("day", sa.Date(), nullable=False),
    sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("figures", sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_daily_reports")),
    sa.UniqueConstraint("team", "day", name="uq_daily_reports_team_day")
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("photo", sa.LargeBinary(), nullable=True))
    # The report reads a day's grouped counts from this index alone (it replaces (team, at)).
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_report", ["team", "at", "type", "detail", "subject", "person_id"])
        batch_op.drop_index("ix_events_team_at")


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_team_at", ["team", "at"])
        batch_op.drop_index("ix_events_report")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("photo")

    op.drop_table("daily_reports")
